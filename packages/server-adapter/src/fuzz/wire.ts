/**
 * Generated messages are plain values with markers in some strings, turned
 * into wire text only when sent:
 *  - a reference to an id the server made (`ref('producer', 3)`): ids exist
 *    only once earlier requests of the same run were answered, so generation
 *    cannot know them;
 *  - deep nesting (`deep(50_000)`): building such a value would overflow our
 *    own JSON.stringify, so it is spliced into the text instead;
 *  - own keys named `__proto__`: an object literal would set the prototype.
 */

export type RefKind =
  | 'transport'
  | 'producer'
  | 'consumer'
  | 'dataProducer'
  | 'peer'
  | 'token'
  /** A request id: index 0 a fresh one, 1 the last one sent again. */
  | 'requestId';

const MARK = '\u0001fuzz:';

export function ref(kind: RefKind, index: number): string {
  return `${MARK}ref:${kind}:${index}`;
}

export const FRESH_ID = ref('requestId', 0);
export const REPEATED_ID = ref('requestId', 1);

/** `[[[...]]]` or `{"a":{"a":...}}`, `depth` levels. */
export function deep(depth: number, shape: 'array' | 'object'): string {
  return `${MARK}deep:${shape}:${depth}`;
}

/** An object with an own enumerable key, whatever its name (`__proto__` included). */
export function withOwnKey(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Finds the id an index names among those known now; undefined when none is. */
export type RefResolver = (kind: RefKind, index: number) => string | number | undefined;

const REF = /^ref:(\w+):(\d+)$/;
// JSON.stringify writes the marker's control character as the escape \u0001.
const DEEP = /"\\u0001fuzz:deep:(array|object):(\d+)"/g;

function nested(shape: string, depth: number): string {
  return shape === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

/** The wire text of a generated value, with every marker replaced. */
export function render(value: unknown, resolve: RefResolver): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'string' || !v.startsWith(MARK)) return v;
    const match = REF.exec(v.slice(MARK.length));
    if (!match) return v;
    // An unknown id is still worth sending: it must get NOT_FOUND.
    return resolve(match[1] as RefKind, Number(match[2])) ?? `gone-${match[2]}`;
  });
  return (text ?? 'null').replace(DEEP, (_all, shape: string, depth: string) =>
    nested(shape, Number(depth)),
  );
}
