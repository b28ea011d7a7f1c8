import type { Clock } from './clock.js';
import { state } from './state.js';
import { invalidType, validateFunction } from './validate.js';

/**
 * Makes `clock` the {@link currentClock} of the process (for every installed copy of
 * `@aiotools/core`) until the returned handle is disposed, which restores the previous one.
 * Timers already set keep the clock they were set on. Dispose nested installs in reverse
 * order (as `using` does); disposing twice does nothing.
 *
 * @param clock - an object with `now`, `setTimer` and `clearTimer`
 * @returns a handle whose `[Symbol.dispose]()` uninstalls the clock
 *
 * @throws TypeError when `clock` lacks `now`, `setTimer` or `clearTimer`
 * @example
 * ```ts
 * import { installClock, sleep } from '@aiotools/core';
 *
 * using _ = installClock(myTestClock);
 * await sleep(1000); // scheduled on myTestClock
 * ```
 */
export function installClock(clock: Clock): Disposable {
  if (typeof clock !== 'object' || clock === null) {
    throw invalidType('clock', 'a Clock (an object with now, setTimer and clearTimer)', clock);
  }
  for (const method of ['now', 'setTimer', 'clearTimer'] as const) {
    validateFunction(clock[method], `clock.${method}`);
  }
  const previous = state.clock;
  state.clock = clock;
  let restored = false;
  return {
    [Symbol.dispose]() {
      if (restored) return;
      restored = true;
      if (state.clock === clock) state.clock = previous;
    },
  };
}
