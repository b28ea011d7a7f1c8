import { cancellable, type SignalOptions } from './cancellable.js';
import { currentClock } from './current-clock.js';
import { validateDuration } from './validate.js';

/**
 * Waits `ms` milliseconds on the current clock. A checkpoint: it rejects at once, with the
 * reason as it is, when the signal (or the ambient scope) is cancelled, and the timer is
 * cleared when cancelled while waiting.
 *
 * @param ms - a finite number ≥ 0
 * @param options - `signal`: cancels the wait (default: the ambient scope)
 * @throws RangeError (as a rejection) for a negative, NaN or infinite `ms`
 * @example
 * ```ts
 * import { sleep } from '@aiotools/core';
 *
 * await sleep(250);
 * await sleep(5_000, { signal: AbortSignal.timeout(100) }); // rejects after 100 ms
 * ```
 */
export function sleep(ms: number, options?: SignalOptions): Promise<void> {
  try {
    validateDuration(ms, 'ms');
  } catch (error) {
    return Promise.reject(error);
  }
  return cancellable<void>((resolve) => {
    const clock = currentClock();
    const handle = clock.setTimer(resolve, ms);
    return () => clock.clearTimer(handle);
  }, options);
}
