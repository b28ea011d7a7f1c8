import { CancelScope, cancelAndWait } from '@aiotools/cancel';
import { currentClock, isCancellation, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { captureWarnings } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTimer } from './create-timer.js';
import { TimerDelayPolicy } from './timer-delay-policy.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock();
});
afterEach(() => clock[Symbol.dispose]());

interface Counts {
  spawned: number;
  done: number;
  cancelled: number;
}

function counting(
  work: () => Promise<void>,
): [Counts, (interval: number, signal: AbortSignal) => Promise<void>] {
  const counts: Counts = { spawned: 0, done: 0, cancelled: 0 };
  return [
    counts,
    async () => {
      counts.spawned++;
      try {
        await work();
        counts.done++;
      } catch (error) {
        if (isCancellation(error)) counts.cancelled++;
        throw error;
      }
    },
  ];
}

describe('createTimer', () => {
  for (const policy of [TimerDelayPolicy.DEFAULT, TimerDelayPolicy.CANCEL]) {
    it(`ticks at 0, 100 and 200 within 220 ms (policy ${policy})`, async () => {
      const times: number[] = [];
      const timer = createTimer(
        (interval) => {
          expect(interval).toBe(100);
          times.push(clock.now());
        },
        100,
        { delayPolicy: policy },
      );
      await sleep(220);
      await cancelAndWait(timer);
      expect(times).toEqual([0, 100, 200]);
      expect(timer.done).toBe(true);
      expect(clock.pending).toBe(0);
    });
  }

  it('reports failing ticks and keeps going', async () => {
    const errors: unknown[] = [];
    let ticks = 0;
    const timer = createTimer(
      () => {
        ticks++;
        throw new Error(`tick ${ticks}`);
      },
      1000,
      { exceptionHandler: ({ error }) => errors.push(error) },
    );
    await sleep(5000);
    expect(ticks).toBeGreaterThan(1);
    expect(timer.done).toBe(false);
    await cancelAndWait(timer);
    expect(errors).toHaveLength(ticks);
    expect((errors[0] as Error).message).toBe('tick 1');
  });

  it('reports failing ticks as a process warning by default', async () => {
    const warnings = await captureWarnings(async () => {
      const timer = createTimer(
        () => {
          throw new Error('boom');
        },
        1000,
        { name: 'failing' },
      );
      await sleep(10);
      await cancelAndWait(timer);
    });
    expect(warnings.map((w) => w.name)).toEqual(['TaskError']);
    expect(warnings[0]!.message).toMatch(/failing-tick-0/);
  });

  it('lets overlapping ticks accumulate and cancels them together (DEFAULT)', async () => {
    const [counts, cb] = counting(() => sleep(5000));
    const timer = createTimer(cb, 1000);
    await sleep(9900);
    await cancelAndWait(timer);
    expect(counts).toEqual({ spawned: 10, done: 5, cancelled: 5 });
    expect(clock.pending).toBe(0);
  });

  it('cancels and awaits the unfinished tick before the next one (CANCEL)', async () => {
    const [counts, cb] = counting(() => sleep(1000));
    const timer = createTimer(cb, 10, { delayPolicy: TimerDelayPolicy.CANCEL });
    await sleep(100);
    await cancelAndWait(timer);
    expect(counts).toEqual({ spawned: 10, done: 0, cancelled: 10 });
    expect(clock.pending).toBe(0);
  });

  it('cancels nothing when each tick finishes in time (CANCEL)', async () => {
    const [counts, cb] = counting(() => sleep(0));
    const timer = createTimer(cb, 10, { delayPolicy: TimerDelayPolicy.CANCEL });
    await sleep(96);
    await cancelAndWait(timer);
    expect(counts).toEqual({ spawned: 10, done: 10, cancelled: 0 });
  });

  it('waits for a slow cancellation handler before the next tick and skips the missed slots (CANCEL)', async () => {
    const starts: number[] = [];
    const timer = createTimer(
      async (_interval, signal) => {
        starts.push(clock.now());
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        await new CancelScope({ shield: true }).run(() => sleep(25)); // slow clean-up
      },
      10,
      { delayPolicy: TimerDelayPolicy.CANCEL },
    );
    await sleep(75);
    await cancelAndWait(timer);
    // Tick 0 at 0; at 10 its clean-up runs until 35, where the late tick starts; the next
    // slot ahead is 40, whose hand-over ends at 65; then 70 is the slot ahead.
    expect(starts).toEqual([0, 35, 65]);
  });

  it('keeps to the ideal grid without drift', async () => {
    const times: number[] = [];
    const timer = createTimer(() => {
      times.push(clock.now());
    }, 1000 / 3);
    await sleep(10_001);
    await cancelAndWait(timer);
    expect(times).toHaveLength(31);
    expect(times[30]).toBeCloseTo(10_000, 6);
  });

  it('is stopped by the cancellation of the scope it was created in', async () => {
    const scope = new CancelScope();
    let ticks = 0;
    let timer: ReturnType<typeof createTimer> | undefined;
    await scope.run(async () => {
      timer = createTimer(() => {
        ticks++;
      }, 100);
      await sleep(250);
      scope.cancel();
      await sleep(1);
    });
    await cancelAndWait(timer!);
    expect(timer!.done).toBe(true);
    expect(timer!.cancelled()).toBe(true);
    expect(ticks).toBe(3);
  });

  it('does not get stuck at a realistic clock value', async () => {
    clock[Symbol.dispose]();
    clock = installVirtualClock({ start: 1_709_591_365_000 });
    const times: number[] = [];
    const timer = createTimer(() => {
      times.push(currentClock().now());
    }, 1);
    await sleep(1000);
    await cancelAndWait(timer);
    // The sleep was armed first, so it wins the tie with the tick due at +1000.
    expect(times).toHaveLength(1000);
    expect(times.at(-1)).toBe(1_709_591_365_999);
  });

  it('validates its arguments', () => {
    expect(() => createTimer('x' as never, 1)).toThrow(/`cb`/);
    expect(() => createTimer(() => {}, 0)).toThrow(RangeError);
    expect(() => createTimer(() => {}, 0)).toThrow(
      'Expected `intervalMs` to be greater than 0, got `0` (number)',
    );
    expect(() => createTimer(() => {}, -1)).toThrow(/`intervalMs`/);
    expect(() => createTimer(() => {}, 1, { delayPolicy: 2 as never })).toThrow(
      'Expected `options.delayPolicy` to be 0 or 1, got `2` (number)',
    );
    expect(() => createTimer(() => {}, 1, { delayPolicy: 'cancel' as never })).toThrow(
      /options\.delayPolicy/,
    );
    expect(() => createTimer(() => {}, 1, { name: 3 as never })).toThrow(
      'Expected `options.name` to be a string, got `3` (number)',
    );
    expect(() => createTimer(() => {}, 1, { exceptionHandler: 1 as never })).toThrow(
      'Expected `options.exceptionHandler` to be a function or null, got `1` (number)',
    );
  });
});
