/**
 * Where every timer of the `@aiotools` family gets time from. Values are milliseconds on a
 * monotonic scale (like `performance.now()`); deadlines are absolute values of `now()`.
 *
 * @example
 * ```ts
 * import { type Clock, currentClock } from '@aiotools/core';
 *
 * const clock: Clock = currentClock();
 * const handle = clock.setTimer(() => console.log('tick'), 100);
 * clock.clearTimer(handle);
 * ```
 */
export interface Clock {
  /** The current time in milliseconds. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now; returns a handle for `clearTimer`. */
  setTimer(callback: () => void, ms: number): unknown;
  /** Cancels a timer set by `setTimer`; clearing a fired or cleared timer does nothing. */
  clearTimer(handle: unknown): void;
}

const MAX_TIMEOUT = 2_147_483_647;

/** The handle of a delay longer than one `setTimeout` can wait: the current link of the chain. */
class LongTimer {
  id: ReturnType<typeof setTimeout> | undefined = undefined;
}

/**
 * The real clock: `performance.now()` and the global timers. It looks up `performance.now`,
 * `setTimeout` and `clearTimeout` on every call, never at import time, so fake timers installed
 * later take over. Delays beyond Node's 2^31-1 ms limit (about 24.8 days) are chained instead
 * of firing at once.
 *
 * @example
 * ```ts
 * import { currentClock, realClock } from '@aiotools/core';
 *
 * const usingRealTime = currentClock() === realClock;
 * ```
 */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(callback, ms) {
    if (ms <= MAX_TIMEOUT) return setTimeout(callback, ms);
    const end = performance.now() + ms;
    const timer = new LongTimer();
    const arm = () => {
      const left = end - performance.now();
      timer.id = left > MAX_TIMEOUT ? setTimeout(arm, MAX_TIMEOUT) : setTimeout(callback, left);
    };
    arm();
    return timer;
  },
  clearTimer(handle) {
    if (typeof handle === 'object' && handle !== null && 'id' in handle) {
      clearTimeout((handle as LongTimer).id);
    } else {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    }
  },
};
