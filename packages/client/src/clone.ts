/**
 * Deep copy of plain data (capabilities, parameters). Keeps callers' objects
 * safe from the normalisation that ortc applies in place.
 */
export function clone<T>(value: T): T {
  if (value === undefined) return value;
  if (typeof structuredClone === 'function') return structuredClone(value);
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A random positive 32-bit integer, e.g. for SSRCs and fake ids. */
export function generateRandomNumber(): number {
  return Math.round(Math.random() * 10_000_000) + 100_000_000;
}
