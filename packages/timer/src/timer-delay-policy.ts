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
 * import { createTimer, TimerDelayPolicy } from '@aiotools/timer';
 *
 * const timer = createTimer(poll, 1_000, { delayPolicy: TimerDelayPolicy.CANCEL });
 * ```
 */
export const TimerDelayPolicy = Object.freeze({ DEFAULT: 0, CANCEL: 1 } as const);

/** `TimerDelayPolicy.DEFAULT` (0) or `TimerDelayPolicy.CANCEL` (1). */
export type TimerDelayPolicy = (typeof TimerDelayPolicy)[keyof typeof TimerDelayPolicy];
