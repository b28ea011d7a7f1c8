import { CancelledError, checkpoint, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelScope } from './cancel-scope.js';
import { uncancellable } from './uncancellable.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
});
afterEach(() => clock[Symbol.dispose]());

/** A promise that ignores every signal and settles after `ms` on the virtual clock. */
function plain<T>(ms: number, value: T, error?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    clock.setTimer(() => (error === undefined ? resolve(value) : reject(error)), ms);
  });
}

describe('uncancellable', () => {
  it('returns the value when nothing is cancelled', async () => {
    const p = uncancellable(plain(10, 'value'));
    await clock.advance(10);
    await expect(p).resolves.toBe('value');
  });

  it('waits for the work although the caller is cancelled, then throws the caller cancellation', async () => {
    const trace: string[] = [];
    const caller = new CancelScope();
    let leaving: unknown;
    const p = caller.run(async () => {
      try {
        await uncancellable(
          plain(50, 'value').then((v) => trace.push(`work done at ${clock.now()}`) && v),
        );
      } catch (error) {
        leaving = error;
        trace.push(`caller cancelled at ${clock.now()}`);
        throw error;
      }
    });
    await clock.advance(10);
    caller.cancel('caller');
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['work done at 50', 'caller cancelled at 50']);
    expect(leaving).toBe(caller.reason);
    expect(caller.cancelledCaught).toBe(true);
  });

  it('with raiseCancel: false returns the value and leaves the cancellation to the next checkpoint', async () => {
    const trace: string[] = [];
    const caller = new CancelScope();
    const p = caller.run(async () => {
      const value = await uncancellable(plain(50, 123), { raiseCancel: false });
      trace.push(`got ${value}`);
      await checkpoint();
      trace.push('unreachable');
    });
    await clock.advance(10);
    caller.cancel();
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['got 123']);
    expect(caller.cancelledCaught).toBe(true);
  });

  it('throws the error of the work, which wins over the caller cancellation (hat masks it)', async () => {
    const failure = new Error('work failed');
    for (const raiseCancel of [true, false]) {
      const caller = new CancelScope();
      const p = caller.run(() => uncancellable(plain(50, 0, failure), { raiseCancel }));
      let error: unknown;
      p.catch((e) => {
        error = e;
      });
      await clock.advance(10);
      caller.cancel();
      await clock.advance(100);
      expect(error).toBe(failure);
    }
  });

  it('given a function, runs it shielded so that its own waits are protected', async () => {
    const trace: string[] = [];
    const caller = new CancelScope();
    const p = caller.run(async () => {
      await uncancellable(async (signal) => {
        await sleep(30);
        trace.push(`first wait done, signal aborted: ${signal.aborted}`);
        await sleep(30);
        trace.push(`second wait done at ${clock.now()}`);
      });
      trace.push('unreachable');
    });
    await clock.advance(10);
    caller.cancel();
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['first wait done, signal aborted: false', 'second wait done at 60']);
    expect(caller.cancelledCaught).toBe(true);
  });

  it('a bare promise started in a cancelled scope is not protected by waiting for it', async () => {
    const caller = new CancelScope();
    let error: unknown;
    caller.cancel();
    await caller.run(async () => {
      try {
        await uncancellable(sleep(30));
      } catch (e) {
        error = e;
        throw e;
      }
    });
    expect(error).toBeInstanceOf(CancelledError);
    expect(clock.pending).toBe(0);
  });

  it('a caller cancelled before the call still gets the work done first', async () => {
    const trace: string[] = [];
    const caller = new CancelScope();
    caller.cancel();
    const p = caller.run(() => uncancellable(() => sleep(20).then(() => trace.push('done'))));
    await clock.advance(20);
    await p;
    expect(trace).toEqual(['done']);
    expect(caller.cancelledCaught).toBe(true);
  });

  it('validates its arguments', async () => {
    await expect(uncancellable(42 as unknown as Promise<number>)).rejects.toThrow(
      'Expected `work` to be a thenable or a function, got `42` (number)',
    );
    await expect(
      uncancellable(Promise.resolve(1), { raiseCancel: 'no' as unknown as boolean }),
    ).rejects.toThrow(/`options\.raiseCancel`/);
    await expect(uncancellable(Promise.resolve(1), 3 as unknown as object)).rejects.toBeInstanceOf(
      TypeError,
    );
  });
});
