import { brandedInstanceOf } from '@aiotools/core/internal';

/** The SuppressedError of the runtime (Node ≥ 24), if any. */
const native = (globalThis as { SuppressedError?: SuppressedErrorConstructor }).SuppressedError;

/**
 * The brand of the polyfill only. Where the runtime has `SuppressedError`, the export is that
 * class untouched: every copy of the package then shares it, and so do `await using` and
 * `AsyncDisposableStack`, so nothing is left to brand, and patching a platform class's
 * `Symbol.hasInstance` is not ours to do. On Node 20 and 22 each installed copy defines its
 * own polyfill; the brand lets `instanceof` accept the instances of another copy.
 */
const brand = Symbol.for('@aiotools/context.SuppressedError');

class SuppressedErrorPolyfill extends Error {
  readonly error: unknown;
  readonly suppressed: unknown;

  constructor(error: unknown, suppressed: unknown, message?: string) {
    super(message);
    this.error = error;
    this.suppressed = suppressed;
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
Object.defineProperty(SuppressedErrorPolyfill.prototype, 'name', {
  value: 'SuppressedError',
  writable: true,
  configurable: true,
});
// The constructor carries the standard name too: `console.log(error)` and Node's report of an
// uncaught error print the constructor's name when it differs from `error.name`.
Object.defineProperty(SuppressedErrorPolyfill, 'name', { value: 'SuppressedError' });

/**
 * The standard `SuppressedError` (what `await using` and `AsyncDisposableStack` throw when a
 * cleanup fails while an error is pending): the runtime's own class where it exists (Node 24),
 * an equivalent class with the same shape (`error`, `suppressed`, name `'SuppressedError'`)
 * on Node 20 and 22. {@link AsyncExitStack}, {@link defer} and {@link adefer} chain cleanup
 * errors with it, so `instanceof` this export works on every supported Node. On Node 20 and
 * 22 the equivalent class is branded: `instanceof` also recognises instances created by
 * another installed copy of `@aiotools/context` (on Node 24 every copy exports the same
 * runtime class).
 *
 * @example
 * ```ts
 * import { SuppressedError, defer } from '@aiotools/context';
 *
 * try {
 *   defer((d) => {
 *     d(() => { throw new Error('cleanup failed'); });
 *     throw new Error('work failed');
 *   });
 * } catch (error) {
 *   if (error instanceof SuppressedError) console.log(error.error, 'while handling', error.suppressed);
 * }
 * ```
 */
export const SuppressedError: SuppressedErrorConstructor =
  native ?? (SuppressedErrorPolyfill as unknown as SuppressedErrorConstructor);
export type SuppressedError = globalThis.SuppressedError;

/**
 * Folds a new cleanup error into the pending one, as `await using` does: the new error wins
 * and keeps the earlier one as `suppressed`. Re-throwing the pending error itself changes
 * nothing.
 */
export function chainCleanupError(hasPending: boolean, pending: unknown, error: unknown): unknown {
  if (!hasPending || error === pending) return error;
  return new SuppressedError(error, pending, 'An error was suppressed during cleanup');
}
