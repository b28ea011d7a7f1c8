import { describe, expect, it, vi } from 'vitest';
import { type Clock, realClock } from './clock.js';
import { currentClock } from './current-clock.js';
import { installClock } from './install-clock.js';
import { sleep } from './sleep.js';

function testClock(): Clock & { readonly timers: Map<number, () => void> } {
  let next = 0;
  const timers = new Map<number, () => void>();
  return {
    timers,
    now: () => 0,
    setTimer(callback) {
      timers.set(++next, callback);
      return next;
    },
    clearTimer(handle) {
      timers.delete(handle as number);
    },
  };
}

describe('currentClock and installClock', () => {
  it('is the real clock when none is installed', () => {
    expect(currentClock()).toBe(realClock);
  });

  it('makes the installed clock current and restores the previous one on dispose', () => {
    const clock = testClock();
    const installed = installClock(clock);
    expect(currentClock()).toBe(clock);
    installed[Symbol.dispose]();
    expect(currentClock()).toBe(realClock);
  });

  it('restores each previous clock for nested installs, and disposes idempotently', () => {
    const outer = testClock();
    const inner = testClock();
    const first = installClock(outer);
    const second = installClock(inner);
    expect(currentClock()).toBe(inner);
    second[Symbol.dispose]();
    second[Symbol.dispose]();
    expect(currentClock()).toBe(outer);
    first[Symbol.dispose]();
    first[Symbol.dispose]();
    expect(currentClock()).toBe(realClock);
  });

  it('works with using', () => {
    const clock = testClock();
    {
      using _installed = installClock(clock);
      expect(currentClock()).toBe(clock);
    }
    expect(currentClock()).toBe(realClock);
  });

  it('schedules sleeps on the installed clock, and a timer keeps the clock it was set on', async () => {
    const clock = testClock();
    const installed = installClock(clock);
    const p = sleep(1_000);
    installed[Symbol.dispose]();
    expect(clock.timers.size).toBe(1);
    for (const fire of clock.timers.values()) fire();
    await expect(p).resolves.toBeUndefined();
  });

  it('rejects a clock without now, setTimer or clearTimer, naming the method', () => {
    const complete = testClock();
    expect(() => installClock(null as never)).toThrow(
      /Expected `clock` to be a Clock \(an object with now, setTimer and clearTimer\), got `null` \(null\)/,
    );
    expect(() => installClock({} as never)).toThrow(TypeError);
    expect(() => installClock({ ...complete, setTimer: 1 } as never)).toThrow(/`clock.setTimer`/);
    expect(() => installClock({ now: complete.now, setTimer: complete.setTimer } as never)).toThrow(
      /`clock.clearTimer`/,
    );
    expect(currentClock()).toBe(realClock);
  });

  it('accepts a clock whose methods live on its prototype', () => {
    class ProtoClock implements Clock {
      now = vi.fn(() => 5);
      setTimer(): unknown {
        return 0;
      }
      clearTimer(): void {}
    }
    const clock = new ProtoClock();
    using _installed = installClock(clock);
    expect(currentClock().now()).toBe(5);
  });
});
