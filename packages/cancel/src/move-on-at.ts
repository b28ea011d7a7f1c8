import type { CancelScope } from './cancel-scope.js';
import { createDeadlineScope } from './deadline-scope.js';

/** Options of {@link moveOnAt}, {@link moveOnAfter}, `failAt` and `failAfter`. */
export interface DeadlineScopeOptions {
  /** Also block the cancellation of enclosing scopes; the deadline still applies. @default false */
  readonly shield?: boolean | undefined;
}

/**
 * Runs `fn` in a {@link CancelScope} that cancels itself at `deadline` (an absolute time of
 * `currentClock().now()`), and moves on when that happens: the promise resolves to `undefined`
 * and `scope.cancelledCaught` is true. A deadline already past makes the body run to its first
 * checkpoint and stop there. The cancellation of an enclosing scope passes through as usual.
 *
 * @param deadline - absolute ms on the current clock; `Infinity` means none
 * @param fn - the body; receives the scope (to read `cancelledCaught`, move the `deadline`, …)
 * @param options - `shield` (default `false`)
 * @returns what `fn` returned, or `undefined` when the deadline stopped it
 * @throws RangeError (as a rejection) for a NaN or `-Infinity` deadline; TypeError for a
 * non-function `fn` or bad options; anything `fn` throws other than the deadline's cancellation
 * @example
 * ```ts
 * import { moveOnAt } from '@aiotools/cancel';
 * import { currentClock, sleep } from '@aiotools/core';
 *
 * const deadline = currentClock().now() + 1_000;
 * const first = await moveOnAt(deadline, () => poll('a'));
 * const second = await moveOnAt(deadline, () => poll('b')); // shares what is left of the second
 * ```
 */
export function moveOnAt<T>(
  deadline: number,
  fn: (scope: CancelScope) => PromiseLike<T> | T,
  options?: DeadlineScopeOptions,
): Promise<T | undefined> {
  let scope: CancelScope;
  try {
    scope = createDeadlineScope(deadline, fn, options);
  } catch (error) {
    return Promise.reject(error);
  }
  return scope.run(fn);
}
