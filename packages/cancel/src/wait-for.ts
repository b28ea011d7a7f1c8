import { currentClock, currentNode, isCancellation, TimeoutError } from '@aiotools/core';
import { validateDuration, validateFunction } from '@aiotools/core/internal';
import { CancelScope } from './cancel-scope.js';

/**
 * Runs `fn` with a time limit and waits for its cleanup: hat.aio's `wait_for` (a correct
 * `asyncio.wait_for`).
 *
 * `fn` runs in a child scope whose deadline is `ms` from now; `signal` aborts when that scope
 * is cancelled. When the time runs out, the work is cancelled and awaited — its cleanup
 * completes before `waitFor` settles — and then:
 * - it ended by that cancellation → `TimeoutError` (its `cause` is the cancellation);
 * - it caught the cancellation and returned a value → that value;
 * - it threw another error → that error, as it is.
 *
 * When the caller is cancelled, the work (a child of the caller's scope) is cancelled and
 * awaited as well, and then the caller's cancellation is thrown — unless the work failed with
 * an error of its own, which wins. hat.aio throws `CancelledWithResultError` when the work had
 * already produced a result; here the result is dropped and the cancellation thrown.
 *
 * @param fn - the work; receives the signal of its scope
 * @param ms - the time limit: a finite number ≥ 0
 * @returns what `fn` returned
 * @throws TimeoutError; the caller's cancellation; `fn`'s error; TypeError/RangeError (as a
 * rejection) for a non-function `fn` or a bad `ms`
 * @example
 * ```ts
 * import { waitFor } from '@aiotools/cancel';
 *
 * const body = await waitFor((signal) => fetch(url, { signal }).then((r) => r.text()), 5_000);
 * ```
 */
export async function waitFor<T>(
  fn: (signal: AbortSignal) => PromiseLike<T> | T,
  ms: number,
): Promise<T> {
  validateFunction(fn, 'fn');
  validateDuration(ms, 'ms');
  const caller = currentNode();
  const scope = new CancelScope({ deadline: currentClock().now() + ms, name: 'waitFor' });
  let value: T | undefined;
  try {
    value = await scope.run((s) => fn(s.signal));
  } catch (error) {
    if (caller?.cancelled && (error === caller.reason || isCancellation(error)))
      throw caller.reason;
    throw error;
  }
  if (caller?.cancelled) throw caller.reason;
  if (scope.cancelledCaught) {
    throw new TimeoutError(`The operation timed out after ${ms} ms`, { cause: scope.reason });
  }
  return value as T;
}
