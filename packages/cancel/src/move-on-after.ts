import { currentClock } from '@aiotools/core';
import { validateDuration } from '@aiotools/core/internal';
import type { CancelScope } from './cancel-scope.js';
import { type DeadlineScopeOptions, moveOnAt } from './move-on-at.js';

/**
 * Runs `fn` with a time limit of `ms` milliseconds (from the call, on the current clock) and
 * moves on when it runs out: the promise resolves to `undefined` and `scope.cancelledCaught` is
 * true. trio's and anyio's `move_on_after`, aiotools' `move_on_after`.
 *
 * The work is cancelled, not abandoned: the body sees the cancellation at its next checkpoint,
 * its cleanup (`finally`, nested scopes) runs, and only then does the promise settle. An outer
 * cancellation passes through; a `TimeoutError` is never thrown.
 *
 * @param ms - a finite number ≥ 0 (0 stops the body at its first checkpoint)
 * @param fn - the body; receives the scope (to read `cancelledCaught`, move the `deadline`, …)
 * @param options - `shield`: also block the cancellation of enclosing scopes (default `false`)
 * @returns what `fn` returned, or `undefined` when the time ran out
 * @throws RangeError (as a rejection) for a negative, NaN or infinite `ms`; TypeError for a
 * non-function `fn`; anything `fn` throws other than the deadline's cancellation
 * @example
 * ```ts
 * import { moveOnAfter } from '@aiotools/cancel';
 * import { sleep } from '@aiotools/core';
 *
 * const value = await moveOnAfter(100, async () => {
 *   await sleep(1_000);
 *   return 'done';
 * });
 * console.log(value); // undefined: the body was cancelled after 100 ms
 * ```
 */
export function moveOnAfter<T>(
  ms: number,
  fn: (scope: CancelScope) => PromiseLike<T> | T,
  options?: DeadlineScopeOptions,
): Promise<T | undefined> {
  try {
    validateDuration(ms, 'ms');
  } catch (error) {
    return Promise.reject(error);
  }
  return moveOnAt(currentClock().now() + ms, fn, options);
}
