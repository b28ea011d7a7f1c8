import type { CancelScope } from './cancel-scope.js';
import { runFailing } from './deadline-scope.js';
import type { DeadlineScopeOptions } from './move-on-at.js';

/**
 * Runs `fn` in a {@link CancelScope} that cancels itself at `deadline` (an absolute time of
 * `currentClock().now()`), and throws a `TimeoutError` when that deadline ended the work.
 * trio's `fail_at`; aiotools' `timeout_at` ({@link timeoutAt}).
 *
 * The `TimeoutError` (whose `cause` is the deadline's `CancelledError`) is thrown only when the
 * scope caught its own cancellation and that cancellation came from the deadline, after the
 * body's cleanup ran. An enclosing cancellation surfaces as that cancellation, never as a
 * timeout. A body that catches the cancellation and returns a value returns that value.
 * Cancelling the scope explicitly (`scope.cancel(reason)`) makes the call reject with `reason`:
 * there is no value to return and it was not a timeout.
 *
 * @param deadline - absolute ms on the current clock; `Infinity` means none
 * @param fn - the body; receives the scope
 * @param options - `shield` (default `false`)
 * @returns what `fn` returned
 * @throws TimeoutError when the deadline ended the work; the reason of an explicit
 * `scope.cancel()`; RangeError (as a rejection) for a NaN or `-Infinity` deadline; TypeError for
 * a non-function `fn`; anything `fn` throws
 * @example
 * ```ts
 * import { failAt } from '@aiotools/cancel';
 * import { currentClock } from '@aiotools/core';
 *
 * const deadline = currentClock().now() + 5_000;
 * const user = await failAt(deadline, () => loadUser(id));
 * const posts = await failAt(deadline, () => loadPosts(id)); // same overall budget
 * ```
 */
export function failAt<T>(
  deadline: number,
  fn: (scope: CancelScope) => PromiseLike<T> | T,
  options?: DeadlineScopeOptions,
): Promise<T> {
  return runFailing(deadline, fn, options, 'The deadline passed before the operation finished');
}

/**
 * aiotools' name for {@link failAt}: the same function.
 *
 * @example
 * ```ts
 * import { timeoutAt } from '@aiotools/cancel';
 * import { currentClock } from '@aiotools/core';
 *
 * const deadline = currentClock().now() + 5_000;
 * await timeoutAt(deadline, () => syncAll());
 * ```
 */
export const timeoutAt: typeof failAt = failAt;
