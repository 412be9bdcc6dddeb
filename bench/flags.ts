/** `--name=value` on the command line: a positive integer, or the fallback. */
export function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new TypeError(`--${name} must be a positive integer, got ${arg}`);
  return value;
}
