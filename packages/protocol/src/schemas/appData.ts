import * as v from 'valibot';

/**
 * Largest app data, in bytes of its JSON. The server echoes a peer's `join`
 * app data to every later joiner (in the `join` answer's `peers`) and a
 * producer's to every consumer of it, so it must stay small next to the
 * 128 KB message limit; the server also caps the sum over a room's peers.
 */
export const MAX_APP_DATA_BYTES = 4096;

/**
 * Deepest nesting of app data. JSON.parse accepts thousands of levels, but
 * JSON.stringify (writing it to others) then overflows the stack: 8 levels
 * is plenty for app-owned labels and flags.
 */
export const MAX_APP_DATA_DEPTH = 8;

/** Depth of a JSON value, walked without recursion; stops once past `max`. */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop() as { value: unknown; depth: number };
    if (typeof top.value !== 'object' || top.value === null) continue;
    if (top.depth > max) return true;
    for (const child of Object.values(top.value))
      stack.push({ value: child, depth: top.depth + 1 });
  }
  return false;
}

const encoder = new TextEncoder();

/** Bytes of the value's JSON, or undefined when it cannot be written as JSON. */
function jsonBytes(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : encoder.encode(text).byteLength;
  } catch {
    return undefined;
  }
}

/** Why this app data is refused, or undefined when it is fine. */
export function appDataProblem(value: unknown): string | undefined {
  return jsonValueProblem(value, MAX_APP_DATA_DEPTH, MAX_APP_DATA_BYTES);
}

/** Why a free-form JSON value is refused (too deep, not JSON, too large), or undefined. */
export function jsonValueProblem(
  value: unknown,
  maxDepth: number,
  maxBytes: number,
): string | undefined {
  if (depthExceeds(value, maxDepth)) return `nested deeper than ${maxDepth} levels`;
  const bytes = jsonBytes(value);
  if (bytes === undefined) return 'not serialisable as JSON';
  if (bytes > maxBytes) return `${bytes} bytes of JSON, more than the ${maxBytes} allowed`;
  return undefined;
}

/** Free-form, app-owned data, bounded in depth and size (see above). */
export const AppData = v.pipe(
  v.record(v.string(), v.unknown()),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = appDataProblem(dataset.value);
    if (problem) addIssue({ message: `appData is ${problem}; keep it small and flat` });
  }),
);
