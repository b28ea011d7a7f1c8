import { CancelledError, CancelNode } from '@aiotools/core';
import { describe, expect, it } from 'vitest';
import { CapacityLimiter } from './capacity-limiter.js';

describe('CapacityLimiter', () => {
  it('lends at most totalTokens and counts borrowed and available tokens', async () => {
    const limiter = new CapacityLimiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    expect(limiter.borrowedTokens).toBe(2);
    expect(limiter.availableTokens).toBe(0);
    expect(limiter.tryAcquire()).toBeUndefined();
    const c = limiter.acquire();
    a.release();
    a.release();
    await c;
    expect(limiter.borrowedTokens).toBe(2);
    b.release();
    expect(limiter.availableTokens).toBe(1);
  });

  it('lets a borrower hold one token only', async () => {
    const limiter = new CapacityLimiter(5);
    const borrower = { name: 'job' };
    const guard = await limiter.acquire({ borrower });
    await expect(limiter.acquire({ borrower })).rejects.toThrow(/already holds/);
    expect(() => limiter.tryAcquire({ borrower })).toThrow(/already holds/);
    guard.release();
    limiter.tryAcquire({ borrower })?.release();
    expect(limiter.borrowedTokens).toBe(0);
  });

  it('lets waiters in at once when totalTokens is raised, and takes nothing back when lowered', async () => {
    const limiter = new CapacityLimiter(1);
    const held = await limiter.acquire();
    const waits = [limiter.acquire(), limiter.acquire()];
    limiter.totalTokens = 3;
    const guards = await Promise.all(waits);
    expect(limiter.borrowedTokens).toBe(3);
    limiter.totalTokens = 1;
    expect(limiter.availableTokens).toBe(0);
    held.release();
    guards[0]?.release();
    expect(limiter.tryAcquire()).toBeUndefined();
    guards[1]?.release();
    expect(limiter.tryAcquire()).toBeDefined();
  });

  it('serves waiters in arrival order', async () => {
    const limiter = new CapacityLimiter(1);
    const held = await limiter.acquire();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) =>
      limiter.acquire().then((guard) => {
        order.push(n);
        guard.release();
      }),
    );
    held.release();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
  });

  it('hands the token of a woken waiter cancelled before it resumes to the next waiter', async () => {
    const limiter = new CapacityLimiter(1);
    const held = await limiter.acquire();
    const node = new CancelNode(undefined);
    const woken = node.run(() => limiter.acquire());
    const next = limiter.acquire();
    held.release();
    node.cancel();
    await expect(woken).rejects.toBeInstanceOf(CancelledError);
    const guard = await next;
    expect(limiter.borrowedTokens).toBe(1);
    guard.release();
    expect(limiter.borrowedTokens).toBe(0);
  });

  it('rejects a waiting acquire when cancelled and at once in a cancelled scope', async () => {
    const limiter = new CapacityLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire({ signal: controller.signal });
    controller.abort('stop');
    await expect(waiting).rejects.toBe('stop');
    held.release();
    await expect(limiter.acquire({ signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect(limiter.borrowedTokens).toBe(0);
  });

  it('validates totalTokens', () => {
    expect(() => new CapacityLimiter(0)).toThrow(RangeError);
    expect(() => new CapacityLimiter('1' as unknown as number)).toThrow(TypeError);
    const limiter = new CapacityLimiter(Number.POSITIVE_INFINITY);
    expect(() => {
      limiter.totalTokens = 1.5;
    }).toThrow(/`totalTokens`/);
    expect(limiter.totalTokens).toBe(Number.POSITIVE_INFINITY);
  });
});
