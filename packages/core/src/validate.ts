function describe(value: unknown): string {
  if (typeof value === 'string') return `\`"${value}"\` (string)`;
  if (typeof value === 'function') return '`[function]` (function)';
  if (typeof value === 'object' && value !== null)
    return `\`${Object.prototype.toString.call(value)}\` (object)`;
  return `\`${String(value)}\` (${value === null ? 'null' : typeof value})`;
}

/**
 * Checks a duration in milliseconds: a finite number ≥ 0.
 *
 * @param name - how the argument is named in the message, e.g. `'ms'` or `'options.timeout'`
 * @throws TypeError when `value` is not a number; RangeError when it is negative, NaN or infinite
 * @example
 * ```ts
 * import { validateDuration } from '@aiotools/core';
 *
 * validateDuration(-1, 'ms'); // RangeError: Expected `ms` to be a finite number ≥ 0, got `-1` (number)
 * ```
 */
export function validateDuration(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(
      `Expected \`${name}\` to be a number of milliseconds, got ${describe(value)}`,
    );
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Expected \`${name}\` to be a finite number ≥ 0, got ${describe(value)}`);
  }
}

/**
 * Checks a deadline: a number on the clock's scale, `Infinity` meaning none.
 *
 * @throws TypeError when `value` is not a number; RangeError when it is NaN or `-Infinity`
 * @example
 * ```ts
 * import { validateDeadline } from '@aiotools/core';
 *
 * validateDeadline(Number.NaN, 'deadline'); // RangeError
 * ```
 */
export function validateDeadline(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(
      `Expected \`${name}\` to be a number (a clock time in ms), got ${describe(value)}`,
    );
  }
  if (Number.isNaN(value) || value === Number.NEGATIVE_INFINITY) {
    throw new RangeError(
      `Expected \`${name}\` to be a clock time or Infinity, got ${describe(value)}`,
    );
  }
}

/**
 * Checks that `value` is a function.
 *
 * @throws TypeError naming the argument and what was received
 * @example
 * ```ts
 * import { validateFunction } from '@aiotools/core';
 *
 * validateFunction(42, 'fn'); // TypeError: Expected `fn` to be a function, got `42` (number)
 * ```
 */
export function validateFunction(value: unknown, name: string): asserts value is Function {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(value)}`);
  }
}

/**
 * Checks an optional `signal` option.
 *
 * @throws TypeError when `value` is neither `undefined` nor an `AbortSignal`
 * @example
 * ```ts
 * import { validateSignal } from '@aiotools/core';
 *
 * validateSignal(options?.signal, 'options.signal');
 * ```
 */
export function validateSignal(
  value: unknown,
  name: string,
): asserts value is AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw new TypeError(`Expected \`${name}\` to be an AbortSignal, got ${describe(value)}`);
  }
}

/**
 * Checks that `value` is undefined or an object (an options bag).
 *
 * @throws TypeError otherwise
 * @example
 * ```ts
 * import { validateOptions } from '@aiotools/core';
 *
 * validateOptions('fast', 'options'); // TypeError
 * ```
 */
export function validateOptions(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${describe(value)}`);
  }
}
