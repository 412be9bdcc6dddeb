import createDebug from 'debug';

export interface Logger {
  debug: createDebug.Debugger;
  warn: createDebug.Debugger;
  error: createDebug.Debugger;
}

/** `vroom:server:<area>`, with `WARN` and `ERROR` namespaces apps can enable alone. */
export function createLogger(area: string): Logger {
  return {
    debug: createDebug(`vroom:server:${area}`),
    warn: createDebug(`vroom:server:WARN:${area}`),
    error: createDebug(`vroom:server:ERROR:${area}`),
  };
}
