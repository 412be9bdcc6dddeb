import fc from 'fast-check';

/**
 * Turns a valibot schema of the protocol tables into a fast-check arbitrary of
 * values that schema accepts. It reads valibot's public schema objects (`type`,
 * `entries`, `wrapped`, `options`, `item`, `pipe` with its `requirement`s), so
 * a field added to `methods.ts` is fuzzed without touching this file.
 *
 * `hint` lets the caller replace what is generated for a named field (ids that
 * exist on the server, the protocol version, fixture RTP parameters...): a
 * schema-valid random `transportId` would never name anything.
 */
export type FieldHint = (key: string, derived: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>;

/** The parts of a valibot schema or action this walker reads. */
interface SchemaNode {
  kind?: string;
  type: string;
  entries?: Record<string, SchemaNode>;
  wrapped?: SchemaNode;
  options?: readonly unknown[];
  item?: SchemaNode;
  value?: SchemaNode;
  pipe?: readonly SchemaNode[];
  requirement?: unknown;
}

interface Bounds {
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  integer?: boolean;
  regex?: RegExp;
  checked?: boolean;
}

/** Arrays and strings are kept short: the table's bounds can reach 10,000. */
const MAX_GENERATED_LENGTH = 6;
const MAX_GENERATED_STRING = 24;

function boundsOf(node: SchemaNode): Bounds {
  const bounds: Bounds = {};
  for (const action of node.pipe ?? []) {
    const { type, requirement } = action;
    if (type === 'min_length' && typeof requirement === 'number') bounds.minLength = requirement;
    else if (type === 'max_length' && typeof requirement === 'number')
      bounds.maxLength = requirement;
    else if (type === 'min_value' && typeof requirement === 'number') bounds.minValue = requirement;
    else if (type === 'max_value' && typeof requirement === 'number') bounds.maxValue = requirement;
    else if (type === 'integer') bounds.integer = true;
    else if (type === 'regex' && requirement instanceof RegExp) bounds.regex = requirement;
    else if (type === 'check') bounds.checked = true;
  }
  return bounds;
}

function stringArbitrary(bounds: Bounds): fc.Arbitrary<string> {
  if (bounds.regex) {
    // fast-check's regex support has no flags: drop `i` (lower case still matches).
    const pattern = new RegExp(bounds.regex.source);
    return fc
      .stringMatching(pattern)
      .filter((s) => s.length <= (bounds.maxLength ?? Number.POSITIVE_INFINITY));
  }
  const minLength = bounds.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(bounds.maxLength ?? 64, MAX_GENERATED_STRING));
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function numberArbitrary(bounds: Bounds): fc.Arbitrary<number> {
  const min = bounds.minValue ?? -(2 ** 31);
  if (bounds.integer) {
    const max = bounds.maxValue ?? 2 ** 32;
    // Small values are where protocol meaning lives (payload types, stream ids).
    return fc.oneof(
      fc.integer({ min, max: Math.min(max, min + 200) }),
      fc.integer({ min, max: Math.min(max, Number.MAX_SAFE_INTEGER) }),
    );
  }
  const max = bounds.maxValue ?? 1e9;
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function arrayArbitrary(
  node: SchemaNode,
  bounds: Bounds,
  hint: FieldHint,
  key: string,
): fc.Arbitrary<unknown[]> {
  if (!node.item) return fc.constant([]);
  const minLength = bounds.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(bounds.maxLength ?? 16, MAX_GENERATED_LENGTH));
  return fc.array(arbitraryOf(node.item, hint, key), { minLength, maxLength });
}

function objectArbitrary(node: SchemaNode, hint: FieldHint): fc.Arbitrary<Record<string, unknown>> {
  const required: Record<string, fc.Arbitrary<unknown>> = {};
  const optional: string[] = [];
  for (const [key, entry] of Object.entries(node.entries ?? {})) {
    required[key] = hint(key, arbitraryOf(entry, hint, key));
    if (entry.type === 'optional') optional.push(key);
  }
  const requiredKeys = Object.keys(required).filter((key) => !optional.includes(key));
  return fc.record(required, { requiredKeys });
}

/** A value the schema `node` accepts (modulo `check` actions, which are opaque). */
export function arbitraryOf(node: SchemaNode, hint: FieldHint, key = ''): fc.Arbitrary<unknown> {
  const bounds = boundsOf(node);
  switch (node.type) {
    case 'object':
      return objectArbitrary(node, hint);
    case 'optional':
    case 'nullable':
      return node.wrapped ? arbitraryOf(node.wrapped, hint, key) : fc.constant(undefined);
    case 'string':
      return stringArbitrary(bounds);
    case 'number':
      return numberArbitrary(bounds);
    case 'boolean':
      return fc.boolean();
    case 'picklist':
      return fc.constantFrom(...(node.options ?? [null]));
    case 'array':
      return arrayArbitrary(node, bounds, hint, key);
    case 'record':
      return fc.dictionary(
        fc.string({ maxLength: 12 }),
        node.value ? arbitraryOf(node.value, hint) : fc.constant(null),
        { maxKeys: 4 },
      );
    case 'unknown':
      // The one `check` on unknown in the tables is a codec parameter: number or short string.
      return bounds.checked
        ? fc.oneof(fc.integer({ min: 0, max: 200 }), fc.string({ maxLength: 16 }))
        : fc.jsonValue({ maxDepth: 2 });
    default:
      throw new TypeError(
        `the fuzzer cannot generate valibot "${node.type}" schemas yet: add a case to schemaArbitrary.ts`,
      );
  }
}
