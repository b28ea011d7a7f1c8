import { CancelledError, CancelNode } from '@aiotools/core';
import { settle } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('lets at most value holders in at once', async () => {
    const semaphore = new Semaphore(2);
    let inside = 0;
    let most = 0;
    const worker = async () => {
      using _ = await semaphore.acquire();
      inside++;
      most = Math.max(most, inside);
      await settle(1);
      inside--;
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(most).toBe(2);
    expect(semaphore.value).toBe(2);
  });

  it('serves waiters in arrival order', async () => {
    const semaphore = new Semaphore(0);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => semaphore.acquire().then(() => order.push(n)));
    semaphore.release();
    semaphore.release();
    semaphore.release();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
  });

  it('makes a guard release idempotent', async () => {
    const semaphore = new Semaphore(1);
    const guard = await semaphore.acquire();
    expect(semaphore.value).toBe(0);
    expect(semaphore.locked).toBe(true);
    guard.release();
    guard.release();
    guard[Symbol.dispose]();
    expect(guard.released).toBe(true);
    expect(semaphore.value).toBe(1);
  });

  it('refuses a bare release beyond maxValue', () => {
    const semaphore = new Semaphore(1, { maxValue: 1 });
    expect(() => semaphore.release()).toThrow(/maxValue 1/);
    const guard = semaphore.tryAcquire();
    semaphore.release();
    expect(semaphore.value).toBe(1);
    guard?.release();
    expect(semaphore.value).toBe(2);
  });

  it('takes a permit with tryAcquire only when one is free', () => {
    const semaphore = new Semaphore(1);
    const guard = semaphore.tryAcquire();
    expect(guard).toBeDefined();
    expect(semaphore.tryAcquire()).toBeUndefined();
  });

  it('rejects a waiting acquire when cancelled without taking a permit', async () => {
    const semaphore = new Semaphore(0);
    const controller = new AbortController();
    const waiting = semaphore.acquire({ signal: controller.signal });
    controller.abort('stop');
    await expect(waiting).rejects.toBe('stop');
    semaphore.release();
    expect(semaphore.value).toBe(1);
  });

  it('hands the permit of a woken waiter cancelled before it resumes to the next waiter', async () => {
    const semaphore = new Semaphore(0);
    const node = new CancelNode(undefined);
    const woken = node.run(() => semaphore.acquire());
    const next = semaphore.acquire();
    semaphore.release();
    node.cancel();
    await expect(woken).rejects.toBeInstanceOf(CancelledError);
    const guard = await next;
    expect(semaphore.value).toBe(0);
    guard.release();
    expect(semaphore.value).toBe(1);
  });

  it('gives the permit back when the only woken waiter is cancelled', async () => {
    const semaphore = new Semaphore(0);
    const controller = new AbortController();
    const woken = semaphore.acquire({ signal: controller.signal });
    semaphore.release();
    expect(semaphore.value).toBe(0);
    controller.abort();
    await expect(woken).rejects.toMatchObject({ name: 'AbortError' });
    expect(semaphore.value).toBe(1);
  });

  it('rejects at once in a cancelled scope even with permits free', async () => {
    const semaphore = new Semaphore(3);
    const node = new CancelNode(undefined);
    node.cancel();
    await node.run(async () => {
      await expect(semaphore.acquire()).rejects.toBeInstanceOf(CancelledError);
      await expect(semaphore.acquire()).rejects.toBeInstanceOf(CancelledError);
    });
    expect(semaphore.value).toBe(3);
  });

  it('validates value and maxValue', () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(0.5)).toThrow(/`value`/);
    expect(() => new Semaphore('2' as unknown as number)).toThrow(TypeError);
    expect(() => new Semaphore(3, { maxValue: 2 })).toThrow(/options\.maxValue/);
    expect(() => new Semaphore(1, 2 as never)).toThrow(/`options`/);
    expect(new Semaphore().value).toBe(1);
  });
});
