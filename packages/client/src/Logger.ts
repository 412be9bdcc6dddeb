import debug from 'debug';

const PREFIX = 'vroom';

/**
 * One `debug` namespace per module: `vroom:Transport` for debug
 * output, `vroom:WARN:Transport` and `vroom:ERROR:Transport`
 * so apps can enable only the problems (`DEBUG=vroom:WARN*,vroom:ERROR*`).
 */
export class Logger {
  readonly debug: debug.Debugger;
  readonly warn: debug.Debugger;
  readonly error: debug.Debugger;

  constructor(name: string) {
    this.debug = debug(`${PREFIX}:${name}`);
    this.warn = debug(`${PREFIX}:WARN:${name}`);
    this.error = debug(`${PREFIX}:ERROR:${name}`);
    // Problems should stand out in the browser console.
    this.warn.log = console.warn.bind(console);
    this.error.log = console.error.bind(console);
  }
}
