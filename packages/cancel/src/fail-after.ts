import { currentClock } from '@aiotools/core';
import { validateDuration } from '@aiotools/core/internal';
import type { CancelScope } from './cancel-scope.js';
import { runFailing } from './deadline-scope.js';
import type { DeadlineScopeOptions } from './move-on-at.js';

/**
 * Runs `fn` with a time limit of `ms` milliseconds (from the call, on the current clock) and
 * throws a `TimeoutError` when the limit ended the work. trio's `fail_after`, anyio's
 * `fail_after`, aiotools' `timeout` ({@link timeout}).
 *
 * On expiry the body is cancelled and its cleanup runs; the `TimeoutError` (whose `cause` is the
 * deadline's `CancelledError`) is thrown only if the scope then caught its own deadline's
 * cancellation. So: an enclosing cancellation surfaces as that cancellation, never as a timeout;
 * a body that catches the cancellation and returns a value returns that value; a group of
 * cancellations all caused by the deadline gives exactly one `TimeoutError`. Cancelling the
 * scope explicitly (`scope.cancel(reason)`) makes the call reject with `reason`. With
 * `shield: true`, enclosing cancellations are blocked but the time limit still applies.
 *
 * @param ms - a finite number ≥ 0
 * @param fn - the body; receives the scope
 * @param options - `shield` (default `false`)
 * @returns what `fn` returned
 * @throws TimeoutError when the time ran out; the reason of an explicit `scope.cancel()`;
 * RangeError (as a rejection) for a negative, NaN or infinite `ms`; TypeError for a non-function
 * `fn`; anything `fn` throws
 * @example
 * ```ts
 * import { failAfter } from '@aiotools/cancel';
 * import { TimeoutError, sleep } from '@aiotools/core';
 *
 * try {
 *   await failAfter(100, () => sleep(1_000));
 * } catch (error) {
 *   console.log(error instanceof TimeoutError); // true
 * }
 * ```
 */
export function failAfter<T>(
  ms: number,
  fn: (scope: CancelScope) => PromiseLike<T> | T,
  options?: DeadlineScopeOptions,
): Promise<T> {
  try {
    validateDuration(ms, 'ms');
  } catch (error) {
    return Promise.reject(error);
  }
  return runFailing(
    currentClock().now() + ms,
    fn,
    options,
    `The operation timed out after ${ms} ms`,
  );
}

/**
 * aiotools' name for {@link failAfter}: the same function.
 *
 * @example
 * ```ts
 * import { timeout } from '@aiotools/cancel';
 *
 * const body = await timeout(5_000, () => fetch(url).then((r) => r.text()));
 * ```
 */
export const timeout: typeof failAfter = failAfter;
