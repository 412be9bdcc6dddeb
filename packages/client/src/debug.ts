// The SDK's logging, with the conventions of the `debug` package that apps of
// mediasoup-client already use: namespaces (`vroom:Transport`), enabled by
// `localStorage.debug` in browsers or `DEBUG` in Node, comma or space
// separated, `*` wildcards and `-` exclusions, printf-style `%s %d %i %f %o %O
// %j %%`, and the `debug(namespace)` / `debug.enable()` / `debug.disable()` /
// `debug.enabled()` calls. Not the package itself: it weighs about as much as
// the SDK's whole event and queue machinery (see the README's dependencies).
// No colours; every line is `<namespace> <message> +<ms since the last line>`.

export interface Debugger {
  (formatter: unknown, ...args: unknown[]): void;
  readonly namespace: string;
  /** Whether this namespace prints; settable to override the enable list. */
  enabled: boolean;
  /** Where lines go; replace it to redirect one namespace. */
  log: (...args: unknown[]) => void;
  extend(namespace: string, delimiter?: string): Debugger;
}

export interface Debug {
  (namespace: string): Debugger;
  /** Prints the namespaces matching `namespaces` (e.g. `'vroom:*,-vroom:Transport'`) and no others. */
  enable(namespaces: string): void;
  /** Prints nothing; returns what was enabled, for a later `enable()`. */
  disable(): string;
  enabled(namespace: string): boolean;
  /** Default output of every namespace whose own `log` is unset. */
  log: (...args: unknown[]) => void;
}

type Env = { process?: { env?: Record<string, string | undefined> }; localStorage?: Storage };

const env = globalThis as Env;
let names = '';
let includes: RegExp[] = [];
let excludes: RegExp[] = [];
let previousTime: number | undefined;

function configured(): string {
  try {
    return env.localStorage?.getItem('debug') ?? env.process?.env?.DEBUG ?? '';
  } catch {
    // localStorage throws in sandboxed frames and opaque origins.
    return env.process?.env?.DEBUG ?? '';
  }
}

function toRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`);
}

function format(value: unknown, spec: string): string {
  if (spec === 's') return String(value);
  if (spec === 'd' || spec === 'f') return String(Number(value));
  if (spec === 'i') return String(Number.parseInt(String(value), 10));
  if (value instanceof Error) return value.stack ?? String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isEnabled(namespace: string): boolean {
  return !excludes.some((re) => re.test(namespace)) && includes.some((re) => re.test(namespace));
}

function createDebugger(namespace: string): Debugger {
  let override: boolean | undefined;
  const print = ((formatter: unknown, ...args: unknown[]): void => {
    if (!print.enabled) return;
    const now = Date.now();
    const elapsed = now - (previousTime ?? now);
    previousTime = now;
    let next = 0;
    const message = String(formatter).replace(/%([sdifoOj%])/g, (match, spec: string) => {
      if (spec === '%') return '%';
      if (next >= args.length) return match;
      return format(args[next++], spec);
    });
    (print.log ?? debug.log)(`${namespace} ${message} +${elapsed}ms`, ...args.slice(next));
  }) as Debugger;
  Object.defineProperties(print, {
    namespace: { value: namespace },
    enabled: {
      get: () => override ?? isEnabled(namespace),
      set: (value: boolean) => {
        override = value;
      },
    },
  });
  print.extend = (sub, delimiter = ':') => createDebugger(namespace + delimiter + sub);
  return print;
}

/** Creates the logger of a namespace. Also the `debug` export of the package. */
export const debug: Debug = Object.assign((namespace: string) => createDebugger(namespace), {
  enable(namespaces: string) {
    names = namespaces;
    includes = [];
    excludes = [];
    for (const name of namespaces.split(/[\s,]+/)) {
      if (!name) continue;
      if (name[0] === '-') excludes.push(toRegExp(name.slice(1)));
      else includes.push(toRegExp(name));
    }
  },
  disable() {
    const was = names;
    debug.enable('');
    return was;
  },
  enabled: isEnabled,
  // Browsers: console.debug (the devtools "verbose" level); Node: stderr, like `debug`.
  log: (...args: unknown[]) =>
    (env.process?.env ? console.error : (console.debug ?? console.log))(...args),
});

debug.enable(configured());
