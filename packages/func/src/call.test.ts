import { CancelledError, CancelNode, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { settle } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from './call.js';
import { callOnCancel } from './call-on-cancel.js';
import { callOnDone } from './call-on-done.js';

describe('call', () => {
  // hat test_call
  it('calls sync and async functions', async () => {
    expect(await call((x: number) => x, 123)).toBe(123);
    expect(
      await call(async (x: number) => {
        await Promise.resolve();
        return x;
      }, 123),
    ).toBe(123);
  });

  it('passes arguments through exactly, and turns a sync throw into a rejection', async () => {
    const options = { x: 2 };
    expect(await call((a: number, b: { x: number }) => [a, b], 1, options)).toEqual([1, options]);
    const error = new Error('sync');
    await expect(
      call(() => {
        throw error;
      }),
    ).rejects.toBe(error);
    await expect(call(5 as never)).rejects.toThrow(TypeError);
  });
});

describe('callOnCancel', () => {
  let clock: VirtualClock;
  beforeEach(() => {
    clock = installVirtualClock({ autojump: false });
  });
  afterEach(() => clock[Symbol.dispose]());

  // hat test_call_on_cancel / test_call_on_cancel_example
  it('calls fn when the scope is cancelled and resolves with its result', async () => {
    const task = new CancelNode(undefined, { kind: 'task' });
    const calls: unknown[][] = [];
    const p = task.run(() =>
      callOnCancel(
        (...args: unknown[]) => {
          calls.push(args);
          return 'closed';
        },
        123,
        { x: 2 },
      ),
    );
    await clock.advance(0);
    expect(calls).toEqual([]);
    task.cancel();
    await expect(p).resolves.toBe('closed');
    expect(calls).toEqual([[123, { x: 2 }]]); // no keyword-name mix-up
  });

  it('calls fn at once when the scope is already cancelled', async () => {
    const task = new CancelNode(undefined);
    task.cancel();
    await expect(task.run(() => callOnCancel((x: number) => x * 2, 21))).resolves.toBe(42);
  });

  it('runs fn shielded, so that it can await although the scope stays cancelled', async () => {
    const task = new CancelNode(undefined);
    let afterwards: unknown;
    const p = task.run(async () => {
      const result = await callOnCancel(async () => {
        await sleep(10);
        return 'cleaned up';
      });
      afterwards = await sleep(1).catch((error: unknown) => error);
      return result;
    });
    task.cancel();
    await clock.advance(10);
    await expect(p).resolves.toBe('cleaned up');
    expect(afterwards).toBeInstanceOf(CancelledError); // level-triggered: still cancelled
    expect([...task.children()]).toEqual([]);
  });

  it('rejects with the error of fn', async () => {
    const task = new CancelNode(undefined);
    const error = new Error('close failed');
    const p = task.run(() =>
      callOnCancel(() => {
        throw error;
      }),
    );
    task.cancel();
    await expect(p).rejects.toBe(error);
  });

  it('refuses to wait outside every scope, and validates fn', async () => {
    await expect(callOnCancel(() => 1)).rejects.toThrow(/cancel scope/);
    const task = new CancelNode(undefined);
    await expect(task.run(() => callOnCancel(1 as never))).rejects.toThrow(TypeError);
  });
});

describe('callOnDone', () => {
  // hat test_call_on_done
  it('calls fn only after the promise is done and returns its result', async () => {
    let resolveF1!: () => void;
    const f1 = new Promise<void>((resolve) => {
      resolveF1 = resolve;
    });
    const seen: number[] = [];
    let done = false;
    const f3 = callOnDone(f1, (x: number) => void seen.push(x), 123).then((value) => {
      done = true;
      return value;
    });
    await settle();
    expect(seen).toEqual([]);
    expect(done).toBe(false);
    resolveF1();
    expect(await f3).toBeUndefined();
    expect(seen).toEqual([123]);
  });

  it('ignores the error of the promise', async () => {
    const failed = Promise.reject(new Error('ignored'));
    await expect(callOnDone(failed, () => 'after')).resolves.toBe('after');
  });

  it('rejects with the cancellation and does not call fn when cancelled while waiting', async () => {
    let reject!: (error: unknown) => void;
    const pending = new Promise((_, rej) => {
      reject = rej;
    });
    const task = new CancelNode(undefined);
    let called = false;
    const p = task.run(() =>
      callOnDone(pending, () => {
        called = true;
      }),
    );
    const reason = new CancelledError('stop');
    task.cancel(reason);
    await expect(p).rejects.toBe(reason);
    reject(new Error('later')); // handled: no unhandled rejection
    await settle();
    expect(called).toBe(false);
  });

  it('rejects at once when already cancelled, and never leaves the promise unhandled', async () => {
    const task = new CancelNode(undefined);
    task.cancel();
    let called = false;
    const failing = Promise.reject(new Error('later'));
    await expect(
      task.run(() =>
        callOnDone(failing, () => {
          called = true;
        }),
      ),
    ).rejects.toBeInstanceOf(CancelledError);
    await settle();
    expect(called).toBe(false);
  });

  it('validates its arguments', async () => {
    await expect(callOnDone(1 as never, () => 1)).rejects.toThrow(
      'Expected `p` to be a promise, got `1` (number)',
    );
    await expect(callOnDone(Promise.resolve(), 1 as never)).rejects.toThrow(/`fn`/);
  });
});
