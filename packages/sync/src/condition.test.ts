import { CancelledError, CancelNode } from '@aiotools/core';
import { settle } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';
import { Condition } from './condition.js';
import { Lock } from './lock.js';

describe('Condition', () => {
  it('releases the lock while waiting and takes it back before returning', async () => {
    const condition = new Condition();
    const guard = await condition.acquire();
    const waiting = condition.wait();
    await settle(1);
    expect(condition.locked).toBe(false);
    {
      using _ = await condition.acquire();
      condition.notify();
    }
    await waiting;
    expect(condition.locked).toBe(true);
    expect(guard.released).toBe(false);
    guard.release();
    expect(condition.locked).toBe(false);
  });

  it('wakes n waiters in arrival order with notify and all with notifyAll', async () => {
    const condition = new Condition();
    const woken: number[] = [];
    const waiter = async (n: number) => {
      using _ = await condition.acquire();
      await condition.wait();
      woken.push(n);
    };
    const all = [1, 2, 3, 4].map(waiter);
    await settle(1);
    {
      using _ = await condition.acquire();
      condition.notify(2);
    }
    await settle(2);
    expect(woken).toEqual([1, 2]);
    {
      using _ = await condition.acquire();
      condition.notifyAll();
    }
    await Promise.all(all);
    expect(woken).toEqual([1, 2, 3, 4]);
    expect(condition.locked).toBe(false);
  });

  it('waits for a predicate with waitFor, rechecking it on each notification', async () => {
    const condition = new Condition();
    const jobs: string[] = [];
    let checks = 0;
    const worker = async () => {
      using _ = await condition.acquire();
      await condition.waitFor(() => {
        checks++;
        return jobs.length > 0;
      });
      return jobs.shift();
    };
    const result = worker();
    await settle(1);
    for (const job of [undefined, 'a']) {
      {
        using _ = await condition.acquire();
        if (job !== undefined) jobs.push(job);
        condition.notify();
      }
      await settle(1);
    }
    expect(await result).toBe('a');
    expect(checks).toBe(3);
  });

  it('takes the lock back before rejecting when cancelled while waiting', async () => {
    const condition = new Condition();
    const node = new CancelNode(undefined);
    const events: string[] = [];
    const waiter = node.run(async () => {
      using _ = await condition.acquire();
      try {
        await condition.wait();
      } finally {
        events.push(`locked in finally: ${condition.locked}`);
      }
    });
    await settle(1);
    const other = await condition.acquire();
    node.cancel();
    await settle(1);
    expect(events).toEqual([]);
    other.release();
    await expect(waiter).rejects.toBeInstanceOf(CancelledError);
    expect(events).toEqual(['locked in finally: true']);
    expect(condition.locked).toBe(false);
  });

  // Two waiters, the first in a scope that the test cancels; returns what they record.
  async function twoWaiters(condition: Condition, node: CancelNode) {
    const woken: string[] = [];
    const waiter = (name: string) => async () => {
      using _ = await condition.acquire();
      await condition.wait();
      woken.push(name);
    };
    const first = node.run(waiter('first'));
    const second = waiter('second')();
    await settle(1);
    return { woken, first, second };
  }

  it('passes a notification on when the notified waiter is cancelled before it resumes', async () => {
    const condition = new Condition();
    const node = new CancelNode(undefined);
    const { woken, first, second } = await twoWaiters(condition, node);
    const guard = await condition.acquire();
    condition.notify();
    node.cancel();
    guard.release();
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await second;
    expect(woken).toEqual(['second']);
  });

  it('passes a notification on when cancelled while taking the lock back', async () => {
    const condition = new Condition();
    const node = new CancelNode(undefined);
    const { woken, first, second } = await twoWaiters(condition, node);
    const guard = await condition.acquire();
    condition.notify();
    await settle(1);
    node.cancel();
    guard.release();
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await second;
    expect(woken).toEqual(['second']);
  });

  it('rejects at once in a cancelled scope without releasing the lock', async () => {
    const condition = new Condition();
    const guard = await condition.acquire();
    await expect(condition.wait({ signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect(condition.locked).toBe(true);
    expect(guard.released).toBe(false);
  });

  it('needs the lock held to wait and to notify', async () => {
    const condition = new Condition();
    await expect(condition.wait()).rejects.toThrow(/lock to be held/);
    await expect(condition.waitFor(() => false)).rejects.toThrow(/lock to be held/);
    expect(() => condition.notify()).toThrow(/lock to be held/);
    expect(() => condition.notifyAll()).toThrow(/lock to be held/);
  });

  it('shares a given lock and validates its arguments', async () => {
    const lock = new Lock();
    const condition = new Condition(lock);
    expect(condition.lock).toBe(lock);
    const guard = condition.tryAcquire();
    expect(lock.locked).toBe(true);
    condition.release();
    expect(guard?.released).toBe(true);
    expect(() => new Condition({} as Lock)).toThrow(TypeError);
    expect(() => new Condition({} as Lock)).toThrow(
      'Expected `lock` to be a Lock, got `[object Object]` (object)',
    );
    lock.tryAcquire();
    expect(() => condition.notify(-1)).toThrow(RangeError);
    await expect(condition.waitFor(42 as unknown as () => boolean)).rejects.toThrow(/`predicate`/);
  });
});
