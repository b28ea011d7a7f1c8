import { constants } from 'node:os';

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
 * function wait(options?: { signal?: AbortSignal }): void {
 *   validateSignal(options?.signal, 'options.signal');
 * }
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

/**
 * Checks an optional boolean option (`shield`, `continueOnError`…): `undefined` or a boolean.
 *
 * @throws TypeError otherwise
 * @example
 * ```ts
 * import { validateBoolean } from '@aiotools/core';
 *
 * validateBoolean('yes', 'options.shield'); // TypeError: Expected `options.shield` to be a boolean, got `"yes"` (string)
 * ```
 */
export function validateBoolean(
  value: unknown,
  name: string,
): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describe(value)}`);
  }
}

/**
 * Checks a count: an integer ≥ `min` (a safe integer, so not `Infinity`).
 *
 * @param min - the smallest value accepted (default 0)
 * @throws TypeError when `value` is not a number; RangeError when it is not an integer or is
 * below `min`
 * @example
 * ```ts
 * import { validateInteger } from '@aiotools/core';
 *
 * validateInteger(1.5, 'options.maxChildren'); // RangeError: Expected `options.maxChildren` to be an integer ≥ 0, got `1.5` (number)
 * ```
 */
export function validateInteger(value: unknown, name: string, min = 0): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(`Expected \`${name}\` to be an integer, got ${describe(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Expected \`${name}\` to be an integer ≥ ${min}, got ${describe(value)}`);
  }
}

/**
 * Checks that `value` is an instance of one of `classes` (with `instanceof`, so branded
 * classes also accept instances from another copy of the package).
 *
 * @param classes - the accepted classes (private constructors too); their names make up the
 * message
 * @throws TypeError naming the argument, the accepted classes and what was received
 * @example
 * ```ts
 * import { validateInstanceOf } from '@aiotools/core';
 *
 * validateInstanceOf(42, [Map, Set], 'store'); // TypeError: Expected `store` to be a Map or Set, got `42` (number)
 * ```
 */
export function validateInstanceOf(
  value: unknown,
  classes: readonly Function[],
  name: string,
): void {
  if (classes.some((cls) => value instanceof cls)) return;
  const names = classes.map((cls) => cls.name);
  const wanted =
    names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  const article = /^[AEIOU]/.test(wanted ?? '') ? 'an' : 'a';
  throw new TypeError(`Expected \`${name}\` to be ${article} ${wanted}, got ${describe(value)}`);
}

const UNCATCHABLE: ReadonlySet<string> = new Set(['SIGKILL', 'SIGSTOP']);

/**
 * Checks a list of OS signal names to listen to (`['SIGINT', 'SIGTERM']`): an array of names
 * that `os.constants.signals` knows, without `SIGKILL` and `SIGSTOP`, which cannot be caught.
 * Check before installing any listener: Node throws `uv_signal_start EINVAL` for those two
 * only once a listener is added, and accepts any other string as a plain event name.
 *
 * @throws TypeError when `value` is not an array or holds a non-string; RangeError for an
 * unknown name, `SIGKILL` or `SIGSTOP` — naming the element, e.g. `options.signals[1]`
 * @example
 * ```ts
 * import { validateSignalNames } from '@aiotools/core';
 *
 * validateSignalNames(['SIGINT', 'SIGKILL'], 'options.signals');
 * // RangeError: Expected `options.signals[1]` to be a signal that can be caught, got `"SIGKILL"` (string): SIGKILL and SIGSTOP cannot be handled
 * ```
 */
export function validateSignalNames(
  value: unknown,
  name: string,
): asserts value is readonly NodeJS.Signals[] {
  if (!Array.isArray(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be an array of signal names, got ${describe(value)}`,
    );
  }
  value.forEach((signal: unknown, i) => {
    const at = `${name}[${i}]`;
    if (typeof signal !== 'string') {
      throw new TypeError(
        `Expected \`${at}\` to be a signal name such as "SIGTERM", got ${describe(signal)}`,
      );
    }
    if (!Object.hasOwn(constants.signals, signal)) {
      throw new RangeError(
        `Expected \`${at}\` to be a signal name known to os.constants.signals, got ${describe(signal)}`,
      );
    }
    if (UNCATCHABLE.has(signal)) {
      throw new RangeError(
        `Expected \`${at}\` to be a signal that can be caught, got ${describe(signal)}: SIGKILL and SIGSTOP cannot be handled`,
      );
    }
  });
}
