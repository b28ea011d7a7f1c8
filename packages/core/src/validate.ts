import { constants } from 'node:os';

/**
 * How a received value is shown in the family's error messages, the part after "got" in
 * ``Expected `option` to be …, got `value` (type)``: strings quoted, objects by their tag,
 * never a call to the value's own `toString`.
 *
 * @example
 * ```ts
 * import { describeValue } from '@aiotools/core/internal';
 *
 * describeValue('fast'); // '`"fast"` (string)'
 * describeValue(null); // '`null` (null)'
 * describeValue([1]); // '`[object Array]` (object)'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `\`"${value}"\` (string)`;
  if (typeof value === 'function') return '`[function]` (function)';
  if (typeof value === 'object' && value !== null)
    return `\`${Object.prototype.toString.call(value)}\` (object)`;
  if (typeof value === 'symbol') return `\`${value.toString()}\` (symbol)`;
  if (typeof value === 'bigint') return `\`${value}n\` (bigint)`;
  return `\`${String(value)}\` (${value === null ? 'null' : typeof value})`;
}

/**
 * Throws a TypeError in the family's one message shape, for checks no validator here covers.
 *
 * @param name - the argument or option, e.g. `'options.key'`
 * @param expected - what was wanted, e.g. `'a function or null'`
 * @example
 * ```ts
 * import { invalidType } from '@aiotools/core/internal';
 *
 * throw invalidType('options.maxsize', 'a number or null', 'big');
 * // TypeError: Expected `options.maxsize` to be a number or null, got `"big"` (string)
 * ```
 */
export function invalidType(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`);
}

/**
 * Like {@link invalidType}, for a value of the right type outside the accepted range.
 *
 * @example
 * ```ts
 * import { invalidRange } from '@aiotools/core/internal';
 *
 * throw invalidRange('intervalMs', 'greater than 0', 0);
 * // RangeError: Expected `intervalMs` to be greater than 0, got `0` (number)
 * ```
 */
export function invalidRange(name: string, expected: string, value: unknown): RangeError {
  return new RangeError(`Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`);
}

/**
 * Checks a duration in milliseconds: a finite number ≥ 0.
 *
 * @param name - how the argument is named in the message, e.g. `'ms'` or `'options.timeout'`
 * @throws TypeError when `value` is not a number; RangeError when it is negative, NaN or infinite
 * @example
 * ```ts
 * import { validateDuration } from '@aiotools/core/internal';
 *
 * validateDuration(-1, 'ms'); // RangeError: Expected `ms` to be a finite number ≥ 0, got `-1` (number)
 * ```
 */
export function validateDuration(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') {
    throw invalidType(name, 'a number of milliseconds', value);
  }
  if (!Number.isFinite(value) || value < 0) {
    throw invalidRange(name, 'a finite number ≥ 0', value);
  }
}

/**
 * Checks a deadline: a number on the clock's scale, `Infinity` meaning none.
 *
 * @throws TypeError when `value` is not a number; RangeError when it is NaN or `-Infinity`
 * @example
 * ```ts
 * import { validateDeadline } from '@aiotools/core/internal';
 *
 * validateDeadline(Number.NaN, 'deadline'); // RangeError
 * ```
 */
export function validateDeadline(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') {
    throw invalidType(name, 'a number (a clock time in ms)', value);
  }
  if (Number.isNaN(value) || value === Number.NEGATIVE_INFINITY) {
    throw invalidRange(name, 'a clock time or Infinity', value);
  }
}

/**
 * Checks that `value` is a function.
 *
 * @throws TypeError naming the argument and what was received
 * @example
 * ```ts
 * import { validateFunction } from '@aiotools/core/internal';
 *
 * validateFunction(42, 'fn'); // TypeError: Expected `fn` to be a function, got `42` (number)
 * ```
 */
export function validateFunction(value: unknown, name: string): asserts value is Function {
  if (typeof value !== 'function') {
    throw invalidType(name, 'a function', value);
  }
}

/**
 * Checks an optional `signal` option.
 *
 * @throws TypeError when `value` is neither `undefined` nor an `AbortSignal`
 * @example
 * ```ts
 * import { validateSignal } from '@aiotools/core/internal';
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
    throw invalidType(name, 'an AbortSignal', value);
  }
}

/**
 * Checks that `value` is undefined or an object (an options bag).
 *
 * @throws TypeError otherwise
 * @example
 * ```ts
 * import { validateOptions } from '@aiotools/core/internal';
 *
 * validateOptions('fast', 'options'); // TypeError
 * ```
 */
export function validateOptions(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw invalidType(name, 'an object', value);
  }
}

/**
 * Checks an optional boolean option (`shield`, `continueOnError`…): `undefined` or a boolean.
 *
 * @throws TypeError otherwise
 * @example
 * ```ts
 * import { validateBoolean } from '@aiotools/core/internal';
 *
 * validateBoolean('yes', 'options.shield'); // TypeError: Expected `options.shield` to be a boolean, got `"yes"` (string)
 * ```
 */
export function validateBoolean(
  value: unknown,
  name: string,
): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw invalidType(name, 'a boolean', value);
  }
}

/**
 * Options of {@link validateInteger}.
 *
 * @example
 * ```ts
 * import { type IntegerRange, validateInteger } from '@aiotools/core/internal';
 *
 * const limit: IntegerRange = { min: 1, infinity: true };
 * validateInteger(Infinity, 'options.limit', limit); // passes
 * ```
 */
export interface IntegerRange {
  /** The smallest value accepted. @default 0 */
  readonly min?: number;
  /** Also accept `Infinity` (a limit that means "no limit"). @default false */
  readonly infinity?: boolean;
}

/**
 * Checks a count: a safe integer ≥ `range.min`, or `Infinity` when `range.infinity` allows it.
 *
 * @throws TypeError when `value` is not a number; RangeError when it is not an integer or is
 * below the minimum
 * @example
 * ```ts
 * import { validateInteger } from '@aiotools/core/internal';
 *
 * validateInteger(1.5, 'options.maxChildren'); // RangeError: Expected `options.maxChildren` to be an integer ≥ 0, got `1.5` (number)
 * validateInteger(0, 'totalTokens', { min: 1, infinity: true }); // RangeError: … an integer ≥ 1 or Infinity …
 * ```
 */
export function validateInteger(
  value: unknown,
  name: string,
  range?: IntegerRange,
): asserts value is number {
  const min = range?.min ?? 0;
  const infinity = range?.infinity ?? false;
  if (typeof value !== 'number') throw invalidType(name, 'an integer', value);
  if (infinity && value === Number.POSITIVE_INFINITY) return;
  if (!Number.isSafeInteger(value) || value < min) {
    throw invalidRange(name, `an integer ≥ ${min}${infinity ? ' or Infinity' : ''}`, value);
  }
}

/**
 * Checks an optional string option (`name`…): `undefined` or a string.
 *
 * @throws TypeError otherwise
 * @example
 * ```ts
 * import { validateString } from '@aiotools/core/internal';
 *
 * validateString(42, 'options.name'); // TypeError: Expected `options.name` to be a string, got `42` (number)
 * ```
 */
export function validateString(value: unknown, name: string): asserts value is string | undefined {
  if (value !== undefined && typeof value !== 'string') throw invalidType(name, 'a string', value);
}

/**
 * Checks that `value` is one of `choices` (compared with `===`).
 *
 * @throws TypeError when `value` has another type than every choice; RangeError when it has
 * the type but is none of them
 * @example
 * ```ts
 * import { validateOneOf } from '@aiotools/core/internal';
 *
 * validateOneOf('later', ['skip', 'coalesce'] as const, 'options.policy');
 * // RangeError: Expected `options.policy` to be "skip" or "coalesce", got `"later"` (string)
 * ```
 */
export function validateOneOf<const C extends readonly (string | number | boolean)[]>(
  value: unknown,
  choices: C,
  name: string,
): asserts value is C[number] {
  if (choices.includes(value as C[number])) return;
  const shown = choices.map((choice) => JSON.stringify(choice));
  const wanted =
    shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}` : shown[0];
  const sameType = choices.some((choice) => typeof choice === typeof value);
  throw (sameType ? invalidRange : invalidType)(name, wanted ?? 'nothing', value);
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
 * import { validateInstanceOf } from '@aiotools/core/internal';
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
  throw invalidType(name, `${article} ${wanted}`, value);
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
 * import { validateSignalNames } from '@aiotools/core/internal';
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
    throw invalidType(name, 'an array of signal names', value);
  }
  value.forEach((signal: unknown, i) => {
    const at = `${name}[${i}]`;
    if (typeof signal !== 'string') {
      throw invalidType(at, 'a signal name such as "SIGTERM"', signal);
    }
    if (!Object.hasOwn(constants.signals, signal)) {
      throw invalidRange(at, 'a signal name known to os.constants.signals', signal);
    }
    if (UNCATCHABLE.has(signal)) {
      throw new RangeError(
        `Expected \`${at}\` to be a signal that can be caught, got ${describeValue(signal)}: SIGKILL and SIGSTOP cannot be handled`,
      );
    }
  });
}
