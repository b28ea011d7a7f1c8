import { CancelledError, checkpoint, sleep, TimeoutError } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { rejection } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelScope } from './cancel-scope.js';
import { shield } from './shield.js';
import { waitFor } from './wait-for.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
});
afterEach(() => clock[Symbol.dispose]());

describe('waitFor', () => {
  it('returns the value of work that finishes in time and leaves no timer', async () => {
    const p = waitFor(async () => {
      await sleep(10);
      return 'value';
    }, 100);
    await clock.advance(10);
    await expect(p).resolves.toBe('value');
    expect(clock.pending).toBe(0);
  });

  it('on timeout cancels the work, waits for its cleanup, then throws a TimeoutError', async () => {
    const trace: string[] = [];
    let signal: AbortSignal | undefined;
    const p = rejection(
      waitFor(async (s) => {
        signal = s;
        try {
          await sleep(1000);
        } finally {
          await shield(() => sleep(10));
          trace.push(`cleanup done at ${clock.now()}`);
        }
      }, 50),
    );
    await clock.advance(100);
    const error = (await p) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/50 ms/);
    expect(error.cause).toBeInstanceOf(CancelledError);
    expect(signal?.aborted).toBe(true);
    expect(trace).toEqual(['cleanup done at 60']);
  });

  it('returns the value when the work catches the cancellation and returns one (hat A.5 #9)', async () => {
    const p = waitFor(async () => {
      try {
        await sleep(1000);
        return 'late';
      } catch {
        return 'absorbed';
      }
    }, 50);
    await clock.advance(50);
    await expect(p).resolves.toBe('absorbed');
  });

  it('propagates an error of the work as it is', async () => {
    const failure = new Error('failed');
    await expect(
      waitFor(async () => {
        throw failure;
      }, 50),
    ).rejects.toBe(failure);
    const synchronous = new TypeError('sync');
    await expect(
      waitFor(() => {
        throw synchronous;
      }, 50),
    ).rejects.toBe(synchronous);
  });

  it('propagates an error raised by the cleanup after a timeout', async () => {
    const failure = new Error('cleanup failed');
    const p = rejection(
      waitFor(async () => {
        try {
          await sleep(1000);
        } catch {
          throw failure;
        }
      }, 50),
    );
    await clock.advance(50);
    expect(await p).toBe(failure);
  });

  it('with a zero time limit stops the work at its first checkpoint', async () => {
    const trace: string[] = [];
    const p = waitFor(async () => {
      trace.push('started');
      await checkpoint();
      trace.push('unreachable');
    }, 0);
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(trace).toEqual(['started']);
  });

  it('when the caller is cancelled, cancels the work, awaits it, then throws the caller cancellation', async () => {
    const trace: string[] = [];
    const caller = new CancelScope();
    let leaving: unknown;
    const p = caller.run(async () => {
      try {
        await waitFor(async () => {
          try {
            await sleep(1000);
          } finally {
            await shield(() => sleep(20));
            trace.push(`cleanup done at ${clock.now()}`);
          }
        }, 500);
      } catch (error) {
        leaving = error;
        throw error;
      }
    });
    await clock.advance(10);
    caller.cancel('caller');
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['cleanup done at 30']);
    expect(leaving).toBe(caller.reason);
    expect(caller.cancelledCaught).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('when the caller is cancelled and the work still returns a value, the caller cancellation is thrown', async () => {
    const caller = new CancelScope();
    caller.cancel('caller');
    let leaving: unknown;
    await caller.run(async () => {
      try {
        await waitFor(async () => {
          try {
            await checkpoint();
            return 'not cancelled';
          } catch {
            return 'absorbed';
          }
        }, 500);
      } catch (error) {
        leaving = error;
        throw error;
      }
    });
    expect(leaving).toBe(caller.reason);
  });

  it('a caller cancelled with a custom reason gets that reason back', async () => {
    const reason = { custom: true };
    const caller = new CancelScope();
    caller.cancel(reason);
    let leaving: unknown;
    await caller.run(async () => {
      leaving = await rejection(waitFor(() => sleep(100), 50));
      throw leaving;
    });
    expect(leaving).toBe(reason);
  });

  it('an error of the work wins over the caller cancellation', async () => {
    const failure = new Error('failed during cleanup');
    const caller = new CancelScope();
    caller.cancel();
    const error = await rejection(
      caller.run(() =>
        waitFor(async () => {
          try {
            await checkpoint();
          } catch {
            throw failure;
          }
        }, 50),
      ),
    );
    expect(error).toBe(failure);
  });

  it('validates its arguments', async () => {
    await expect(waitFor('x' as unknown as () => Promise<void>, 5)).rejects.toThrow(/`fn`/);
    await expect(waitFor(async () => 1, -1)).rejects.toThrow(/`ms`/);
    await expect(waitFor(async () => 1, Number.NaN)).rejects.toBeInstanceOf(RangeError);
  });
});
