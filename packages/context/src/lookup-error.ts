import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/context.LookupError');

/**
 * Thrown by {@link ContextVar.get} when the variable has no value in the current context and
 * no default (Python's `LookupError`).
 *
 * `instanceof LookupError` also recognises instances created by another installed copy of
 * `@aiotools/context`.
 *
 * @example
 * ```ts
 * import { ContextVar, LookupError } from '@aiotools/context';
 *
 * const user = new ContextVar<string>('user');
 * try {
 *   user.get();
 * } catch (error) {
 *   console.log(error instanceof LookupError); // true
 * }
 * ```
 */
export class LookupError extends Error {
  override readonly name: string = 'LookupError';
  declare readonly [brand]: true;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
