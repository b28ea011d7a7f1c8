import { brandedInstanceOf, brandOf } from './brand.js';
import { invalidType, validateFunction } from './validate.js';

const brand = brandOf('ExceptionGroup');

/**
 * What selects errors in {@link ExceptionGroup.split}: an error class (matched with
 * `instanceof`, so `CancelledError` also matches instances from another copy of core) or a
 * predicate. Classes must extend `Error`; any other function is called as a predicate.
 *
 * @example
 * ```ts
 * import { type ErrorMatcher, isCancellation } from '@aiotools/core';
 *
 * const byClass: ErrorMatcher = TypeError;
 * const byPredicate: ErrorMatcher = isCancellation;
 * ```
 */
export type ErrorMatcher =
  | (abstract new (
      ...args: never[]
    ) => unknown)
  | ((error: unknown) => boolean);

function isClass(matcher: ErrorMatcher): matcher is abstract new (...args: never[]) => unknown {
  const proto = (matcher as { prototype?: unknown }).prototype;
  return (
    typeof proto === 'object' &&
    proto !== null &&
    (proto === Error.prototype || proto instanceof Error)
  );
}

/**
 * Several errors raised together, like Python's `ExceptionGroup`: what a task group throws
 * when children failed. It is an `AggregateError`, so `errors` holds the members; nested
 * groups are kept as they are.
 *
 * @example
 * ```ts
 * import { ExceptionGroup } from '@aiotools/core';
 *
 * const group = new ExceptionGroup([new TypeError('a'), new RangeError('b')], 'two failures');
 * const [types, rest] = group.split(TypeError);
 * console.log(types?.errors.length, rest?.errors.length); // 1 1
 * ```
 */
export class ExceptionGroup extends AggregateError {
  override readonly name: string = 'ExceptionGroup';
  declare readonly [brand]: true;
  /** The members, in the order they were given. */
  declare readonly errors: unknown[];

  /**
   * @param errors - the member errors; must be iterable
   * @param message - the group's message
   * @param options - `cause`, as for `Error`
   * @throws TypeError when `errors` is not iterable, or is a string
   */
  constructor(
    errors: Iterable<unknown>,
    message = 'Multiple errors occurred',
    options?: ErrorOptions,
  ) {
    if (typeof errors === 'string') {
      // Python's ExceptionGroup takes the message first; catch that order here.
      throw invalidType(
        'errors',
        'an iterable of errors (the message comes second, as for AggregateError)',
        errors,
      );
    }
    if (errors === null || typeof (errors as Iterable<unknown>)?.[Symbol.iterator] !== 'function') {
      throw invalidType('errors', 'an iterable of errors', errors);
    }
    super(errors, message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }

  /**
   * A new group of the same message and cause holding `errors` (used by `split`). Subclasses
   * override it to keep their own class.
   */
  derive(errors: Iterable<unknown>): ExceptionGroup {
    return newGroup(errors, this.message, { cause: this.cause });
  }

  /**
   * Partitions the members, recursing into nested groups and keeping their structure.
   *
   * @param matcher - an error class or a predicate
   * @returns `[matching, rest]`; either is `undefined` when it would be empty
   * @throws TypeError when `matcher` is not a function
   */
  split(matcher: ErrorMatcher): [ExceptionGroup | undefined, ExceptionGroup | undefined] {
    validateFunction(matcher, 'matcher');
    const test = isClass(matcher)
      ? (error: unknown) => error instanceof matcher
      : (matcher as (error: unknown) => boolean);
    if (test(this)) return [this, undefined];
    const match: unknown[] = [];
    const rest: unknown[] = [];
    for (const error of this.errors) {
      if (isGroup(error)) {
        const [m, r] = error.split(matcher);
        if (m) match.push(m);
        if (r) rest.push(r);
      } else if (test(error)) {
        match.push(error);
      } else {
        rest.push(error);
      }
    }
    return [
      match.length === 0 ? undefined : rest.length === 0 ? this : this.derive(match),
      rest.length === 0 ? undefined : match.length === 0 ? this : this.derive(rest),
    ];
  }

  /**
   * The matching part of {@link ExceptionGroup.split}, or `undefined` when nothing matches.
   *
   * @throws TypeError when `matcher` is not a function
   */
  subgroup(matcher: ErrorMatcher): ExceptionGroup | undefined {
    return this.split(matcher)[0];
  }
}

// Outside the class body: a class that names itself in its body is renamed by the bundler.
function newGroup(
  errors: Iterable<unknown>,
  message: string,
  options: ErrorOptions,
): ExceptionGroup {
  return new ExceptionGroup(errors, message, options);
}

function isGroup(value: unknown): value is ExceptionGroup {
  return value instanceof ExceptionGroup;
}
