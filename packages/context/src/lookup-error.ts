/**
 * Thrown by {@link ContextVar.get} when the variable has no value in the current context and
 * no default (Python's `LookupError`).
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
}
