import { CancelledError, CancelNode } from '@aiotools/core';
import { settle } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';
import { Lock } from './lock.js';

describe('Lock', () => {
  it('is held for the rest of a block with using', async () => {
    const lock = new Lock();
    {
      using _ = await lock.acquire();
      expect(lock.locked).toBe(true);
    }
    expect(lock.locked).toBe(false);
  });

  it('releases with using when the block throws', async () => {
    const lock = new Lock();
    const body = async () => {
      using _ = await lock.acquire();
      throw new Error('boom');
    };
    await expect(body()).rejects.toThrow('boom');
    expect(lock.locked).toBe(false);
  });

  it('excludes concurrent holders and serves waiters in arrival order', async () => {
    const lock = new Lock();
    const order: string[] = [];
    const worker = async (name: string) => {
      using _ = await lock.acquire();
      order.push(`${name} in`);
      await settle(1);
      order.push(`${name} out`);
    };
    await Promise.all([worker('a'), worker('b'), worker('c')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it('makes a guard release idempotent, never releasing a later holder', async () => {
    const lock = new Lock();
    const first = await lock.acquire();
    const second = lock.acquire();
    first.release();
    expect(first.released).toBe(true);
    const held = await second;
    first.release();
    first[Symbol.dispose]();
    expect(lock.locked).toBe(true);
    expect(held.released).toBe(false);
    held.release();
    expect(lock.locked).toBe(false);
  });

  it('throws a clear error on a bare release of an unlocked lock', () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(/not held/);
  });

  it('lets a bare release free the current holder, whose guard then does nothing', async () => {
    const lock = new Lock();
    const guard = await lock.acquire();
    lock.release();
    expect(lock.locked).toBe(false);
    expect(guard.released).toBe(true);
    const next = lock.tryAcquire();
    guard.release();
    expect(lock.locked).toBe(true);
    next?.release();
    expect(lock.locked).toBe(false);
  });

  it('takes a free lock with tryAcquire and returns undefined when held', () => {
    const lock = new Lock();
    const guard = lock.tryAcquire();
    expect(guard).toBeDefined();
    expect(lock.tryAcquire()).toBeUndefined();
    guard?.release();
    expect(lock.tryAcquire()).toBeDefined();
  });

  it('rejects a waiting acquire when cancelled and gives the lock to the next waiter', async () => {
    const lock = new Lock();
    const held = await lock.acquire();
    const controller = new AbortController();
    const cancelled = lock.acquire({ signal: controller.signal });
    const next = lock.acquire();
    controller.abort('stop');
    await expect(cancelled).rejects.toBe('stop');
    held.release();
    const guard = await next;
    expect(lock.locked).toBe(true);
    guard.release();
    expect(lock.locked).toBe(false);
  });

  it('hands the lock on when a woken waiter is cancelled before it resumes', async () => {
    const lock = new Lock();
    const held = await lock.acquire();
    const node = new CancelNode(undefined);
    const woken = node.run(() => lock.acquire());
    const next = lock.acquire();
    held.release();
    node.cancel();
    await expect(woken).rejects.toBeInstanceOf(CancelledError);
    const guard = await next;
    expect(guard.released).toBe(false);
    guard.release();
    expect(lock.locked).toBe(false);
  });

  it('unlocks when the only woken waiter is cancelled before it resumes', async () => {
    const lock = new Lock();
    const held = await lock.acquire();
    const controller = new AbortController();
    const woken = lock.acquire({ signal: controller.signal });
    held.release();
    expect(lock.locked).toBe(true);
    controller.abort();
    expect(lock.locked).toBe(false);
    await expect(woken).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects at once in a cancelled scope even when free (level-triggered)', async () => {
    const lock = new Lock();
    const node = new CancelNode(undefined);
    node.cancel('stop');
    await node.run(async () => {
      await expect(lock.acquire()).rejects.toThrow('stop');
      await expect(lock.acquire()).rejects.toThrow('stop');
    });
    await expect(lock.acquire({ signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect(lock.locked).toBe(false);
  });

  it('reports bad options as rejections', async () => {
    const lock = new Lock();
    await expect(lock.acquire({ signal: {} as AbortSignal })).rejects.toThrow(/options\.signal/);
    expect(lock.locked).toBe(false);
  });
});
