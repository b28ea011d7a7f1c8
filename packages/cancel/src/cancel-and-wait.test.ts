import {
  CancelledError,
  CancelNode,
  checkpoint,
  currentNode,
  ExceptionGroup,
  sleep,
  type Task,
} from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { rejection } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelAndWait } from './cancel-and-wait.js';
import { CancelScope } from './cancel-scope.js';
import { shield } from './shield.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
});
afterEach(() => clock[Symbol.dispose]());

/**
 * A minimal task for these tests (the real ones live in @aiotools/scope): runs `body` under its
 * own node, a child of the ambient scope, and ends "cancelled" when it swallows its own
 * cancellation.
 */
function spawn<T>(body: (signal: AbortSignal) => Promise<T>, name = 'task'): Task<T> {
  const node = new CancelNode(currentNode(), { kind: 'task', name });
  let done = false;
  let cancelled = false;
  let value: T | undefined;
  let error: unknown;
  const promise = (async () => {
    try {
      value = await node.run(() => body(node.signal));
      return value;
    } catch (e) {
      error = e;
      cancelled = node.swallows(e);
      throw e;
    } finally {
      node.detach();
      done = true;
    }
  })();
  promise.catch(() => undefined);
  return {
    name,
    get signal() {
      return node.signal;
    },
    cancel(reason?: unknown) {
      if (done) return false;
      node.cancel(reason);
      return true;
    },
    get done() {
      return done;
    },
    get state() {
      if (!done) return node.cancelled ? 'cancelling' : 'running';
      if (cancelled) return 'cancelled';
      return error === undefined ? 'fulfilled' : 'rejected';
    },
    cancelled: () => cancelled,
    result() {
      if (!done) throw new Error('not done');
      if (error !== undefined) throw error;
      return value as T;
    },
    exception: () => (cancelled ? undefined : error),
    // biome-ignore lint/suspicious/noThenProperty: a Task is a thenable by contract
    then: (onFulfilled, onRejected) => promise.then(onFulfilled, onRejected),
  };
}

/** A task that works for `work` ms and cleans up for `cleanup` ms (shielded) when cancelled. */
function worker(trace: string[], work: number, cleanup = 0, name = 'w'): Task<string> {
  return spawn(async () => {
    try {
      await sleep(work);
      trace.push(`${name} done`);
      return name;
    } catch (error) {
      trace.push(`${name} cancelling`);
      if (cleanup > 0) await shield(() => sleep(cleanup));
      trace.push(`${name} cleaned up at ${clock.now()}`);
      throw error;
    }
  }, name);
}

describe('cancelAndWait(task)', () => {
  it('leaves a task that is already done alone, without inspecting its result', async () => {
    const ok = spawn(async () => 'done');
    const failed = spawn(async () => {
      throw new Error('old failure');
    });
    await clock.advance(0);
    expect(ok.done && failed.done).toBe(true);
    await expect(cancelAndWait(ok)).resolves.toBeUndefined();
    await expect(cancelAndWait(failed)).resolves.toBeUndefined();
    expect(ok.cancelled()).toBe(false);
    expect(ok.result()).toBe('done');
  });

  it('cancels the task and waits until its cleanup has finished', async () => {
    const trace: string[] = [];
    const task = worker(trace, 1000, 30);
    await clock.advance(10);
    const p = cancelAndWait(task).then(() => trace.push(`returned at ${clock.now()}`));
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['w cancelling', 'w cleaned up at 40', 'returned at 40']);
    expect(task.cancelled()).toBe(true);
  });

  it('passes the reason to the task', async () => {
    const reason = { why: 'shutdown' };
    let seen: unknown;
    const task = spawn(async () => {
      try {
        await sleep(100);
      } catch (error) {
        seen = error;
        throw error;
      }
    });
    await cancelAndWait(task, reason);
    expect(seen).toBe(reason);
    expect(task.cancelled()).toBe(true);
  });

  it('cancels a task that has not reached its first checkpoint; it runs to it first', async () => {
    const trace: string[] = [];
    const task = spawn(async () => {
      trace.push('started');
      await checkpoint();
      trace.push('unreachable');
    });
    await cancelAndWait(task);
    expect(trace).toEqual(['started']);
    expect(task.cancelled()).toBe(true);
  });

  it('throws a non-cancellation error of the task as it is (aiotools §3.2)', async () => {
    const failure = new RangeError('cleanup failed');
    const task = spawn(async () => {
      try {
        await sleep(100);
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: the case under test
        throw failure;
      }
    });
    await expect(cancelAndWait(task)).rejects.toBe(failure);
  });

  it('returns normally when the task catches the cancellation and returns a value', async () => {
    const task = spawn(async () => {
      try {
        await sleep(100);
        return 'finished';
      } catch {
        return 'stopped politely';
      }
    });
    await expect(cancelAndWait(task)).resolves.toBeUndefined();
    expect(task.result()).toBe('stopped politely');
  });

  it('returns normally when a third party cancelled the task during the wait (differs from aiotools §3.1)', async () => {
    const trace: string[] = [];
    const task = worker(trace, 1000, 50);
    const p = cancelAndWait(task);
    await clock.advance(10);
    task.cancel('third party');
    await clock.advance(100);
    await expect(p).resolves.toBeUndefined();
    expect(task.cancelled()).toBe(true);
  });

  it('is not cut short when the caller is cancelled, then throws the caller cancellation', async () => {
    const trace: string[] = [];
    const task = worker(trace, 1000, 50);
    const caller = new CancelScope();
    let leaving: unknown;
    const p = caller.run(async () => {
      try {
        await cancelAndWait(task);
      } catch (error) {
        leaving = error;
        trace.push(`caller got it at ${clock.now()}`);
        throw error;
      }
    });
    await clock.advance(10);
    caller.cancel('caller');
    await clock.advance(100);
    await expect(p).resolves.toBeUndefined();
    expect(leaving).toBe(caller.reason);
    expect(trace).toEqual(['w cancelling', 'w cleaned up at 50', 'caller got it at 50']);
    expect(caller.cancelledCaught).toBe(true);
  });

  it('a caller already cancelled still cancels and waits, then throws its cancellation', async () => {
    const trace: string[] = [];
    const task = worker(trace, 1000, 20);
    const caller = new CancelScope();
    caller.cancel();
    const p = caller.run(() => cancelAndWait(task));
    await clock.advance(50);
    await p;
    expect(trace).toEqual(['w cancelling', 'w cleaned up at 20']);
    expect(caller.cancelledCaught).toBe(true);
  });

  it('a task error wins over the caller cancellation', async () => {
    const failure = new Error('broken cleanup');
    const task = spawn(async () => {
      try {
        await sleep(100);
      } catch {
        await shield(() => sleep(10));
        throw failure;
      }
    });
    const caller = new CancelScope();
    const p = rejection(caller.run(() => cancelAndWait(task)));
    caller.cancel();
    await clock.advance(20);
    await expect(p).resolves.toBe(failure);
  });

  it('children of a cancelled caller are cancelled with it and awaited; only shielded cleanup survives', async () => {
    const trace: string[] = [];
    const child = (name: string, shielded: boolean) =>
      spawn(async () => {
        try {
          await sleep(1000);
        } finally {
          await (shielded ? shield(() => sleep(30)) : sleep(30)).catch(() =>
            trace.push(`${name} cleanup interrupted`),
          );
          trace.push(`${name} finished at ${clock.now()}`);
        }
      });
    const caller = new CancelScope();
    caller.cancel();
    const p = caller.run(() => cancelAndWait([child('plain', false), child('shielded', true)]));
    await clock.advance(100);
    await p;
    expect(trace).toEqual([
      'plain cleanup interrupted',
      'plain finished at 0',
      'shielded finished at 30',
    ]);
    expect(caller.cancelledCaught).toBe(true);
  });

  it('a task spawned into a cancelled scope still starts and stops at its first checkpoint (asyncbis D)', async () => {
    const trace: string[] = [];
    const group = new CancelNode(undefined, { kind: 'group' });
    group.cancel();
    const task = group.run(() =>
      spawn(async () => {
        trace.push('late task started');
        await sleep(10);
        trace.push('unreachable');
      }),
    );
    await expect(rejection(task)).resolves.toBeInstanceOf(CancelledError);
    expect(trace).toEqual(['late task started']);
    await expect(cancelAndWait(task)).resolves.toBeUndefined();
  });

  it('refuses to wait for the task it runs in, without cancelling it', async () => {
    let self: Task<unknown> | undefined;
    const errors: unknown[] = [];
    const task = spawn(async () => {
      await checkpoint();
      errors.push(await rejection(cancelAndWait(self!)));
      errors.push(await rejection(cancelAndWait([self!])));
      return 'still running';
    }, 'worker');
    self = task;
    await expect(task).resolves.toBe('still running');
    expect(errors.map((e) => (e as Error).message)).toEqual([
      expect.stringMatching(/"worker" it runs in/),
      expect.stringMatching(/"worker" it runs in/),
    ]);
    expect(task.cancelled()).toBe(false);
  });

  it('rejects something that is not a task with a TypeError', async () => {
    await expect(cancelAndWait(42 as unknown as Task<unknown>)).rejects.toThrow(
      'Expected `tasks` to be a Task or an iterable of tasks, got `42` (number)',
    );
    await expect(
      cancelAndWait(Promise.resolve() as unknown as Task<unknown>),
    ).rejects.toBeInstanceOf(TypeError);
    await expect(cancelAndWait(null as unknown as Task<unknown>)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('cancelAndWait(tasks)', () => {
  it('cancels every task first, then waits for all, leaving finished ones alone', async () => {
    const trace: string[] = [];
    const fast = worker(trace, 5, 0, 'fast');
    const slow = worker(trace, 1000, 40, 'slow');
    const slower = worker(trace, 1000, 60, 'slower');
    await clock.advance(10);
    const p = cancelAndWait(new Set([fast, slow, slower])).then(() =>
      trace.push(`returned at ${clock.now()}`),
    );
    await clock.advance(100);
    await p;
    expect(trace).toEqual([
      'fast done',
      'slow cancelling',
      'slower cancelling',
      'slow cleaned up at 50',
      'slower cleaned up at 70',
      'returned at 70',
    ]);
    expect(fast.result()).toBe('fast');
    expect(slow.cancelled() && slower.cancelled()).toBe(true);
  });

  it('throws an ExceptionGroup of the non-cancellation errors, after all settled', async () => {
    const trace: string[] = [];
    const a = new Error('a');
    const b = new TypeError('b');
    const failing = (error: Error, cleanup: number) =>
      spawn(async () => {
        try {
          await sleep(1000);
        } catch {
          await shield(() => sleep(cleanup));
          throw error;
        }
      });
    const tasks = [failing(a, 10), worker(trace, 1000, 30), failing(b, 20)];
    const p = rejection(cancelAndWait(tasks));
    await clock.advance(100);
    const group = (await p) as ExceptionGroup;
    expect(group).toBeInstanceOf(ExceptionGroup);
    expect(group.errors).toEqual([a, b]);
    expect(group.message).toMatch(/grouped cancellation/);
    expect(trace).toEqual(['w cancelling', 'w cleaned up at 30']);
  });

  it('reports the error of a task listed twice once', async () => {
    const a = new Error('a');
    const task = spawn(async () => {
      try {
        await sleep(1000);
      } catch {
        throw a;
      }
    });
    const p = rejection(cancelAndWait([task, task]));
    await clock.advance(10);
    expect(((await p) as ExceptionGroup).errors).toEqual([a]);
  });

  it('errors win over the caller cancellation; without errors the caller cancellation is thrown', async () => {
    const failure = new Error('failure');
    const caller1 = new CancelScope();
    const erring = spawn(async () => {
      try {
        await sleep(1000);
      } catch {
        throw failure;
      }
    });
    const p1 = caller1.run(() => cancelAndWait([erring, worker([], 1000)]));
    caller1.cancel();
    const error = await rejection(p1);
    expect((error as ExceptionGroup).errors).toEqual([failure]);

    const caller2 = new CancelScope();
    const p2 = caller2.run(() => cancelAndWait([worker([], 1000, 5), worker([], 1000, 10)]));
    caller2.cancel('caller');
    await clock.advance(20);
    await expect(p2).resolves.toBeUndefined();
    expect(caller2.cancelledCaught).toBe(true);
  });

  it('passes the reason to every task', async () => {
    const seen: unknown[] = [];
    const make = () =>
      spawn(async () => {
        try {
          await sleep(100);
        } catch (error) {
          seen.push(error);
          throw error;
        }
      });
    await cancelAndWait([make(), make()], 'stop all');
    expect(seen.map((e) => (e as Error).message)).toEqual(['stop all', 'stop all']);
  });

  it('returns at once for an empty iterable or only finished tasks', async () => {
    await expect(cancelAndWait([])).resolves.toBeUndefined();
    const done = spawn(async () => {
      throw new Error('ignored');
    });
    await clock.advance(0);
    await expect(cancelAndWait([done])).resolves.toBeUndefined();
  });

  it('rejects a non-task member with a TypeError naming it, before cancelling anything', async () => {
    const task = worker([], 100);
    await expect(cancelAndWait([task, 'x' as unknown as Task<unknown>])).rejects.toThrow(
      'Expected `tasks[1]` to be a Task, got `"x"` (string)',
    );
    expect(task.done).toBe(false);
    await cancelAndWait(task);
  });
});
