function describe(value: unknown): string {
  if (typeof value === 'string') return `\`"${value}"\` (string)`;
  if (typeof value === 'object' && value !== null)
    return `\`${Object.prototype.toString.call(value)}\` (object)`;
  return `\`${String(value)}\` (${value === null ? 'null' : typeof value})`;
}

/**
 * Checks a count: an integer ≥ `min`, or `Infinity` when `infinite` allows it.
 *
 * @throws TypeError when `value` is not a number; RangeError otherwise
 */
export function validateCount(
  value: unknown,
  name: string,
  min: number,
  infinite = false,
): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${describe(value)}`);
  }
  if (
    !(Number.isInteger(value) && value >= min) &&
    !(infinite && value === Number.POSITIVE_INFINITY)
  ) {
    const what = `an integer ≥ ${min}${infinite ? ' or Infinity' : ''}`;
    throw new RangeError(`Expected \`${name}\` to be ${what}, got ${describe(value)}`);
  }
}
