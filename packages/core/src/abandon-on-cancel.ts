import { cancellable, type SignalOptions } from './cancellable.js';

/**
 * The escape hatch for promises that ignore signals: waits for `promise`, but rejects with
 * the reason as soon as the signal or the ambient scope is cancelled. The promise is then
 * abandoned — it keeps running unsupervised, which breaks the structured guarantee — and its
 * later rejection is handled, so it never becomes an unhandled rejection.
 *
 * @param promise - any thenable
 * @param options - `signal`: also cancels the wait (the ambient scope always does)
 * @returns the promise's outcome, or a rejection with the cancellation reason
 * @throws TypeError (as a rejection) when `promise` is not a thenable
 * @example
 * ```ts
 * import { abandonOnCancel } from '@aiotools/core';
 *
 * const answer = await abandonOnCancel(legacyClient.query('SELECT 1'));
 * ```
 */
export function abandonOnCancel<T>(promise: PromiseLike<T>, options?: SignalOptions): Promise<T> {
  if (typeof (promise as { then?: unknown } | null)?.then !== 'function') {
    return Promise.reject(
      new TypeError(`Expected \`promise\` to be a thenable, got \`${String(promise)}\``),
    );
  }
  // Observe the promise before anything else: when the wait is cancelled, or was cancelled
  // before it began, its later rejection must not become an unhandled rejection.
  const observed = Promise.resolve(promise);
  observed.catch(ignore);
  return cancellable<T>((resolve, reject) => {
    observed.then(resolve, reject);
  }, options);
}

function ignore(): void {}
