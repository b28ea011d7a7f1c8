import { type Clock, checkpoint, installClock, sleep } from '@aiotools/core';
import { describe, expect, it } from 'vitest';
import { CancelScope } from './cancel-scope.js';
import { moveOnAfter } from './move-on-after.js';

// These tests run on the real clock: the deadlines share one timer. Node's timers count from the
// event loop's time, which lags behind `performance.now()`, so a deadline may fire a little
// before `performance.now()` reaches it, with a timer per scope as with a shared one: the
// checks allow for that (EARLY).
const EARLY = 10;

function refTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('deadlines on the real clock', () => {
  it('fire in deadline order, each when due, whatever order they were set in', async () => {
    const start = performance.now();
    const fired: number[] = [];
    const late: number[] = [];
    await Promise.all(
      [60, 20, 40].map((ms) =>
        moveOnAfter(ms, async (scope) => {
          try {
            await sleep(5_000);
          } finally {
            fired.push(ms);
            late.push(performance.now() - scope.deadline);
          }
        }),
      ),
    );
    expect(fired).toEqual([20, 40, 60]);
    for (const by of late) expect(by).toBeGreaterThanOrEqual(-EARLY);
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  it('keep one timer alive while any is pending, and none once all have exited', async () => {
    const before = refTimers();
    let during = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        moveOnAfter(10_000 + i, async () => {
          await Promise.resolve();
          during = Math.max(during, refTimers());
        }),
      ),
    );
    expect(during).toBe(before + 1);
    expect(refTimers()).toBe(before);
    await moveOnAfter(10_000, () => 1);
    expect(refTimers()).toBe(before);
  });

  it('honour a deadline that is due before the one the timer waits for', async () => {
    const long = new CancelScope({ deadline: performance.now() + 10_000 });
    const longRun = long.run(() => sleep(20_000));
    const short = await moveOnAfter(20, async () => {
      await sleep(5_000);
      return 'slept';
    });
    expect(short).toBeUndefined();
    expect(long.cancelCalled).toBe(false);
    long.cancel();
    await longRun;
  });

  it('honour a later deadline after the earlier ones have exited', async () => {
    const start = performance.now();
    // The timer waits for the first scope's deadline; that scope exits at once.
    await moveOnAfter(15, () => 1);
    const scope = new CancelScope({ deadline: performance.now() + 40 });
    await scope.run(() => sleep(5_000));
    expect(scope.deadlineExpired).toBe(true);
    expect(performance.now()).toBeGreaterThanOrEqual(scope.deadline - EARLY);
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  it('follow a deadline moved while the scope runs, earlier or later', async () => {
    const scope = new CancelScope({ deadline: performance.now() + 10_000 });
    let movedLater = 0;
    await scope.run(async (s) => {
      s.deadline = performance.now() + 30;
      await sleep(10);
      s.deadline = performance.now() + 40;
      movedLater = s.deadline;
      await sleep(5_000);
    });
    expect(scope.deadlineExpired).toBe(true);
    expect(performance.now()).toBeGreaterThanOrEqual(movedLater - EARLY);
  });

  it('do not fire for a scope cancelled or exited before its deadline', async () => {
    const cancelled = new CancelScope({ deadline: performance.now() + 20 });
    const run = cancelled.run(() => sleep(100));
    cancelled.cancel('stop');
    await run;
    const exited = new CancelScope({ deadline: performance.now() + 20 });
    await exited.run(() => sleep(1));
    await sleep(60);
    expect(cancelled.deadlineExpired).toBe(false);
    expect(exited.cancelCalled).toBe(false);
    expect(exited.deadlineExpired).toBe(false);
  });

  it('cancel a moveOnAfter(0) body at its first checkpoint, and start a later one uncancelled', async () => {
    let cancelledAtStart: boolean | undefined;
    const zero = await moveOnAfter(0, async (scope) => {
      cancelledAtStart = scope.cancelCalled;
      await checkpoint();
      return 'ran';
    });
    expect(zero).toBeUndefined();
    expect(cancelledAtStart).toBe(true);
    const before = performance.now();
    let deadline = 0;
    const value = await moveOnAfter(1_000, (scope) => {
      expect(scope.cancelCalled).toBe(false);
      deadline = scope.deadline;
      return 'ran';
    });
    expect(value).toBe('ran');
    expect(deadline).toBeGreaterThanOrEqual(before + 1_000);
    expect(deadline).toBeLessThanOrEqual(performance.now() + 1_000);
  });

  it('read a test clock again when a scope starts, as before', async () => {
    let reads = 0;
    const clock: Clock = {
      now: () => reads++,
      setTimer: () => 0,
      clearTimer() {},
    };
    using _ = installClock(clock);
    const scope = await moveOnAfter(1, (s) => s);
    // moveOnAfter's reading (0), then the scope's own (1): the deadline 0 + 1 has passed
    expect(reads).toBe(2);
    expect(scope?.deadlineExpired).toBe(true);
  });

  it('wait past the longest delay of one setTimeout without firing early', async () => {
    const far = new CancelScope({ deadline: performance.now() + 2 ** 32 });
    const near = new CancelScope({ deadline: performance.now() + 3 * 2 ** 31 });
    const farRun = far.run(() => sleep(5_000));
    const nearRun = near.run(() => sleep(5_000));
    await sleep(20);
    expect(far.cancelCalled).toBe(false);
    expect(near.cancelCalled).toBe(false);
    far.cancel();
    near.cancel();
    await Promise.all([farRun, nearRun]);
  });

  it('leave an installed clock its own timer per scope', async () => {
    const timers: (() => void)[] = [];
    const clock: Clock = {
      now: () => 0,
      setTimer(callback) {
        timers.push(callback);
        return timers.length - 1;
      },
      clearTimer() {},
    };
    using _ = installClock(clock);
    const scope = new CancelScope({ deadline: 10 });
    const run = scope.run(() => sleep(5_000));
    await Promise.resolve();
    // the scope's timer and the sleep's
    expect(timers).toHaveLength(2);
    timers[0]!();
    await run;
    expect(scope.deadlineExpired).toBe(true);
  });
});
