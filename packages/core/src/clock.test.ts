import { describe, expect, it, vi } from 'vitest';
import { realClock } from './clock.js';

const MAX_TIMEOUT = 2 ** 31 - 1;

interface Scheduled {
  readonly callback: () => void;
  readonly ms: number | undefined;
  readonly handle: object;
}

/**
 * Replaces the global timer functions and `performance.now` for the duration of `body`; this
 * also shows that the real clock looks them up on every call, not at import time.
 */
function withFakeGlobals(
  body: (fake: { scheduled: Scheduled[]; cleared: unknown[]; setNow(ms: number): void }) => void,
): void {
  const scheduled: Scheduled[] = [];
  const cleared: unknown[] = [];
  let now = 1_000;
  const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    callback: () => void,
    ms?: number,
  ) => {
    const handle = { fake: scheduled.length };
    scheduled.push({ callback, ms, handle });
    return handle;
  }) as unknown as typeof setTimeout);
  const clearTimeoutSpy = vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
    cleared.push(handle);
  });
  const nowSpy = vi.spyOn(performance, 'now').mockImplementation(() => now);
  try {
    body({
      scheduled,
      cleared,
      setNow(ms) {
        now = ms;
      },
    });
  } finally {
    setTimeoutSpy.mockRestore();
    clearTimeoutSpy.mockRestore();
    nowSpy.mockRestore();
  }
}

describe('realClock', () => {
  it('reads performance.now at every call', () => {
    withFakeGlobals(({ setNow }) => {
      expect(realClock.now()).toBe(1_000);
      setNow(1_234.5);
      expect(realClock.now()).toBe(1_234.5);
    });
  });

  it('uses the setTimeout and clearTimeout installed at call time', () => {
    withFakeGlobals(({ scheduled, cleared }) => {
      const callback = () => {};
      const handle = realClock.setTimer(callback, 50);
      expect(scheduled).toEqual([{ callback, ms: 50, handle }]);
      realClock.clearTimer(handle);
      expect(cleared).toEqual([handle]);
    });
  });

  it('chains delays longer than 2^31-1 ms instead of firing at once', () => {
    withFakeGlobals(({ scheduled, cleared, setNow }) => {
      const fired = vi.fn();
      const handle = realClock.setTimer(fired, MAX_TIMEOUT * 2 + 500);
      expect(scheduled.map((s) => s.ms)).toEqual([MAX_TIMEOUT]);
      setNow(1_000 + MAX_TIMEOUT);
      scheduled[0]!.callback();
      expect(scheduled.map((s) => s.ms)).toEqual([MAX_TIMEOUT, MAX_TIMEOUT]);
      // A late wake-up shortens the next link: the end stays where it was.
      setNow(1_000 + MAX_TIMEOUT * 2 + 100);
      scheduled[1]!.callback();
      expect(scheduled[2]!.ms).toBe(400);
      expect(scheduled[2]!.callback).toBe(fired);
      expect(fired).not.toHaveBeenCalled();
      realClock.clearTimer(handle);
      expect(cleared).toEqual([scheduled[2]!.handle]);
    });
  });

  it('clears a long timer before its first link fires', () => {
    withFakeGlobals(({ scheduled, cleared }) => {
      const handle = realClock.setTimer(() => {}, MAX_TIMEOUT + 1);
      realClock.clearTimer(handle);
      expect(cleared).toEqual([scheduled[0]!.handle]);
    });
  });

  it('fires a real short timer and clears a real one', async () => {
    const fired = await new Promise<boolean>((resolve) => {
      realClock.setTimer(() => resolve(true), 0);
    });
    expect(fired).toBe(true);
    const never = vi.fn();
    realClock.clearTimer(realClock.setTimer(never, 0));
    realClock.clearTimer(undefined);
    // Timers of equal delay fire in order: this one runs after the cleared one would have.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    expect(never).not.toHaveBeenCalled();
  });
});
