/** Checks an optional boolean option (`shield`, `raiseCancel`): `undefined` or a boolean. */
export function validateBoolean(
  value: unknown,
  name: string,
): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(
      `Expected \`${name}\` to be a boolean, got \`${String(value)}\` (${value === null ? 'null' : typeof value})`,
    );
  }
}
