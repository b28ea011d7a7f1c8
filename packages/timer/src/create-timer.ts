import { cancelAndWait } from '@aiotools/cancel';
import { currentClock, sleep, type Task } from '@aiotools/core';
import {
  invalidRange,
  invalidType,
  validateDuration,
  validateFunction,
  validateOneOf,
  validateOptions,
  validateString,
} from '@aiotools/core/internal';
import { type ExceptionHandler, TaskScope } from '@aiotools/scope';
import { TimerDelayPolicy } from './timer-delay-policy.js';

/** A tick: receives the interval and the tick's own signal. */
export type TimerCallback = (intervalMs: number, signal: AbortSignal) => Promise<void> | void;

/** Options of {@link createTimer}. */
export interface TimerOptions {
  /** What to do with ticks still running when the next one is due. @default TimerDelayPolicy.DEFAULT */
  readonly delayPolicy?: TimerDelayPolicy | undefined;
  /** The timer task's name; ticks are named `<name>-tick-<n>`. @default `'Timer-<n>'` */
  readonly name?: string | undefined;
  /**
   * Receives each failing tick (as a `TaskScope` exception handler); `null` drops them.
   * @default a process warning naming the tick
   */
  readonly exceptionHandler?: ExceptionHandler | null | undefined;
}

let counter = 0;

const DELAY_POLICIES = Object.values(TimerDelayPolicy);

/**
 * Calls `cb` now and then every `intervalMs` on the current clock, each call in its own task,
 * until the returned task is cancelled (aiotools' `create_timer`). Ticks are due on the ideal
 * grid `start + n × intervalMs`, so they do not drift; a slot missed because the event loop was
 * blocked (or a slow `CANCEL` hand-over) is skipped, never replayed in a burst.
 *
 * Ticks run in a `TaskScope`: a failing tick is reported to `exceptionHandler` (by default a
 * process warning) and the timer goes on. With `DEFAULT`, overlapping ticks accumulate and are
 * cancelled together when the timer is; with `CANCEL`, the unfinished ticks are cancelled and
 * awaited before the next one starts.
 *
 * The timer task belongs to the ambient scope it was created in: cancelling that scope stops
 * it too. Stop it with `cancelAndWait(timer)`, which waits for the ticks to finish.
 *
 * @param cb - the tick; gets `intervalMs` and an AbortSignal that aborts when the tick is cancelled
 * @param intervalMs - a finite number > 0
 * @param options - `delayPolicy`, `name`, `exceptionHandler`
 * @returns the timer task (it only ends when cancelled, or on a bug in the timer itself)
 * @throws TypeError/RangeError naming the invalid argument or option
 * @example
 * ```ts
 * import { cancelAndWait } from '@aiotools/cancel';
 * import { createTimer, TimerDelayPolicy } from '@aiotools/timer';
 *
 * const timer = createTimer(async (interval, signal) => {
 *   await fetch('http://localhost:8080/health', { signal });
 * }, 1_000, { delayPolicy: TimerDelayPolicy.CANCEL });
 * // …
 * await cancelAndWait(timer);
 * ```
 */
export function createTimer(
  cb: TimerCallback,
  intervalMs: number,
  options?: TimerOptions,
): Task<void> {
  validateFunction(cb, 'cb');
  validateDuration(intervalMs, 'intervalMs');
  if (intervalMs === 0) throw invalidRange('intervalMs', 'greater than 0', intervalMs);
  validateOptions(options, 'options');
  const policy = options?.delayPolicy ?? TimerDelayPolicy.DEFAULT;
  validateOneOf(policy, DELAY_POLICIES, 'options.delayPolicy');
  const name = options?.name ?? `Timer-${++counter}`;
  validateString(name, 'options.name');
  const handler = options?.exceptionHandler;
  if (handler !== undefined && handler !== null && typeof handler !== 'function') {
    throw invalidType('options.exceptionHandler', 'a function or null', handler);
  }
  // A scope of one: the timer task, owned by the ambient scope. It closes once the task ends;
  // the task's own error reaches whoever awaits the task (hence no handler here).
  const host = new TaskScope({ name: `${name}-host`, exceptionHandler: null });
  const task = host.spawn((signal) => runTimer(cb, intervalMs, policy, name, handler, signal), {
    name,
  });
  host[Symbol.asyncDispose]().catch(() => {});
  return task;
}

async function runTimer(
  cb: TimerCallback,
  interval: number,
  policy: TimerDelayPolicy,
  name: string,
  exceptionHandler: ExceptionHandler | null | undefined,
  signal: AbortSignal,
): Promise<void> {
  await TaskScope.run(
    async (ts) => {
      const clock = currentClock();
      const start = clock.now();
      let running: Task<void>[] = [];
      for (let n = 0; ; ) {
        if (policy === TimerDelayPolicy.CANCEL) {
          try {
            await cancelAndWait(running);
          } catch (error) {
            // Failures of the cancelled ticks already went to the exception handler.
            if (signal.aborted) throw error;
          }
          running = [];
        } else {
          running = running.filter((t) => !t.done);
        }
        running.push(
          ts.spawn((tickSignal) => cb(interval, tickSignal), { name: `${name}-tick-${n}` }),
        );
        // The next slot of the ideal grid that is still ahead.
        n = Math.max(n + 1, Math.ceil((clock.now() - start) / interval));
        await sleep(Math.max(0, start + n * interval - clock.now()));
      }
    },
    { name: `${name}-ticks`, exceptionHandler },
  );
}
