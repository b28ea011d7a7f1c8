import { type Clock, realClock } from './clock.js';
import { state } from './state.js';

/**
 * The clock that `sleep`, deadlines and every timer of the family use now: the real clock,
 * unless another one (a `VirtualClock`, or a test clock) was installed with
 * {@link installClock}.
 *
 * @example
 * ```ts
 * import { currentClock } from '@aiotools/core';
 *
 * const deadline = currentClock().now() + 5_000;
 * ```
 */
export function currentClock(): Clock {
  return state.clock ?? realClock;
}
