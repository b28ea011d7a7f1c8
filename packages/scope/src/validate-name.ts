/** Checks an optional `name` option. @internal */
export function validateName(value: unknown, name: string): asserts value is string | undefined {
  if (value !== undefined && typeof value !== 'string') {
    throw new TypeError(
      `Expected \`${name}\` to be a string, got \`${String(value)}\` (${value === null ? 'null' : typeof value})`,
    );
  }
}
