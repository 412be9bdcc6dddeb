import fc from 'fast-check';
import { deep, withOwnKey } from './wire.js';

/**
 * Mutations around a valid value: one spot of it (the value itself, or any
 * field or item inside, chosen by index) is replaced, removed or given a
 * sibling key. Values near the schema's edges find more than random ones.
 */

/** Numbers at the edges of integer types, JSON and the schemas' own bounds. */
const boundaryNumbers = fc.constantFrom(
  -1,
  -0,
  0.5,
  255,
  256,
  65534,
  65535,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  1e15,
  1e300,
  -1e300,
  Number.MIN_VALUE,
);

/** Keys with a meaning to JavaScript objects. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
] as const;

/** Odd or multi-byte strings. */
const oddStrings = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\u202e',
    'null',
    '0',
    '../../etc',
    'zz',
    ...PROTOTYPE_KEYS,
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Long strings of one unit; the longest pass the message size limit. */
const longStrings = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '\ud83d'), fc.integer({ min: 100, max: 140_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

const deepValues = fc
  .tuple(
    fc.integer({ min: 10, max: 100_000 }),
    fc.constantFrom('array' as const, 'object' as const),
  )
  .map(([depth, shape]) => deep(depth, shape));

const protoObjects = fc
  .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 1 }))
  .map(([key, value]) => withOwnKey({}, key, value));

/**
 * A value of any JSON type, mostly of the kinds that break parsers and
 * validators. Big ones (long strings, deep nesting, long arrays) are rare:
 * they cost the most to make and send, and one per run finds what they find.
 */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 60, arbitrary: boundaryNumbers },
  { weight: 60, arbitrary: oddStrings },
  { weight: 40, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 30, arbitrary: protoObjects },
  { weight: 40, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: longStrings },
  { weight: 2, arbitrary: deepValues },
  {
    weight: 1,
    arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 200, maxLength: 600 }),
  },
);

type Path = (string | number)[];

/** Every spot of `value` a mutation can hit, the root (`[]`) first. */
function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) pathsOf(item, [...path, i], out);
  } else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], out);
  return out;
}

type Edit =
  | { op: 'replace'; value: unknown }
  | { op: 'remove' }
  | { op: 'addKey'; key: string; value: unknown };

function applyAt(value: unknown, path: Path, edit: Edit): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    if (edit.op === 'replace') return edit.value;
    if (
      edit.op === 'addKey' &&
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value)
    )
      return withOwnKey(value as Record<string, unknown>, edit.key, edit.value);
    return edit.op === 'remove' ? undefined : value;
  }
  if (Array.isArray(value)) {
    const copy = [...value];
    const index = Number(head);
    if (rest.length === 0 && edit.op === 'remove') copy.splice(index, 1);
    else copy[index] = applyAt(copy[index], rest, edit);
    return copy;
  }
  const record = value as Record<string, unknown>;
  const key = String(head);
  if (rest.length === 0 && edit.op === 'remove') {
    const { [key]: _removed, ...others } = record;
    return others;
  }
  return withOwnKey(record, key, applyAt(record[key], rest, edit));
}

const edits: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 5, arbitrary: nastyValue.map((value): Edit => ({ op: 'replace', value })) },
  { weight: 2, arbitrary: fc.constant<Edit>({ op: 'remove' }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 8 })), nastyValue)
      .map(([key, value]): Edit => ({ op: 'addKey', key, value })),
  },
);

/** `base` with one to three spots mutated. */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(base, fc.array(fc.tuple(fc.nat(), edits), { minLength: 1, maxLength: 3 }))
    .map(([value, changes]) =>
      changes.reduce((current, [spot, edit]) => {
        const paths = pathsOf(current);
        return applyAt(current, paths[spot % paths.length] ?? [], edit);
      }, value),
    );
}
