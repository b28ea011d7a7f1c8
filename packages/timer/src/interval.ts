import { currentClock, type SignalOptions, sleep } from '@aiotools/core';
import {
  invalidRange,
  validateDuration,
  validateOptions,
  validateSignal,
} from '@aiotools/core/internal';

/**
 * A drift-free stream of ticks on the current clock: slot `n` is due at `start + n × ms`
 * (`start` = when iteration begins), and the iterator yields `n` (1, 2, 3…). A consumer that
 * falls behind gets one tick at once, numbered with the latest slot missed, then the ticks go
 * on on the grid: missed slots are skipped (the gap shows in the numbers), never delivered in
 * a burst as `timers/promises` `setInterval` does.
 *
 * No timer is pending while the consumer holds a tick, so breaking out of the loop leaves
 * nothing behind. The wait is cancelled by `signal` or the ambient scope, and rejects with the
 * reason as it is.
 *
 * @param ms - the period, a finite number > 0
 * @param options - `signal`: also stops the iteration (the ambient scope always does)
 * @returns an async iterable of slot numbers
 * @throws TypeError/RangeError (on the first `next()`) for invalid arguments
 * @example
 * ```ts
 * import { interval } from '@aiotools/timer';
 *
 * try {
 *   for await (const n of interval(1_000, { signal: AbortSignal.timeout(10_000) })) {
 *     console.log('tick', n); // 1, 2, 3 … (4, 6 if a tick took 1.5 s)
 *   }
 * } catch (error) {
 *   console.log((error as DOMException).name); // TimeoutError (the signal's reason, as it is)
 * }
 * ```
 */
export async function* interval(
  ms: number,
  options?: SignalOptions,
): AsyncGenerator<number, void, undefined> {
  validateDuration(ms, 'ms');
  if (ms === 0) throw invalidRange('ms', 'greater than 0', ms);
  validateOptions(options, 'options');
  validateSignal(options?.signal, 'options.signal');
  const clock = currentClock();
  const start = clock.now();
  for (let n = 1; ; n++) {
    const now = clock.now();
    n = Math.max(n, Math.floor((now - start) / ms));
    const due = start + n * ms;
    // sleep(0) still checks for cancellation and yields to the event loop.
    await sleep(due > now ? due - now : 0, options);
    yield n;
  }
}
