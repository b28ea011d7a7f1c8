/**
 * What {@link createTimer} does with ticks still running when the next one is due.
 *
 * - `DEFAULT`: they keep running; overlapping ticks accumulate and are all cancelled when the
 *   timer is cancelled.
 * - `CANCEL`: they are cancelled, and awaited, before the next tick starts.
 *
 * A frozen object of numbers (like the `enum` of the Python original), with a type of the
 * same name, so it works under `isolatedModules`.
 *
 * @example
 * ```ts
 * import { cancelAndWait } from '@aiotools/cancel';
 * import { sleep } from '@aiotools/core';
 * import { createTimer, TimerDelayPolicy } from '@aiotools/timer';
 *
 * // A poll still running when the next one is due is cancelled before the next one starts.
 * const timer = createTimer(poll, 1_000, { delayPolicy: TimerDelayPolicy.CANCEL });
 * await sleep(5_000);
 * await cancelAndWait(timer); // stops the timer: its running poll is cancelled and awaited
 * ```
 */
export const TimerDelayPolicy = Object.freeze({ DEFAULT: 0, CANCEL: 1 } as const);

/** `TimerDelayPolicy.DEFAULT` (0) or `TimerDelayPolicy.CANCEL` (1). */
export type TimerDelayPolicy = (typeof TimerDelayPolicy)[keyof typeof TimerDelayPolicy];
