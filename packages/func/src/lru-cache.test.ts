import { CancelledError, CancelNode, currentNode, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { deferred } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lruCache } from './lru-cache.js';

describe('lruCache', () => {
  let clock: VirtualClock;
  beforeEach(() => {
    clock = installVirtualClock({ autojump: false });
  });
  afterEach(() => clock[Symbol.dispose]());

  // aiotools test_lru_cache
  it('caches results, evicts the least recently used, and clears', async () => {
    let calcCount = 0;
    const calc = lruCache(
      async function calc(n: number) {
        await Promise.resolve();
        calcCount += 1;
        return n * n;
      },
      { maxsize: 2 },
    );
    expect(calc.name).toBe('calc');
    expect(await calc(1)).toBe(1);
    expect(calcCount).toBe(1);
    expect(await calc(2)).toBe(4);
    expect(calcCount).toBe(2);
    expect(await calc(1)).toBe(1);
    expect(calcCount).toBe(2);
    expect(await calc(3)).toBe(9);
    expect(calcCount).toBe(3);
    expect(await calc(1)).toBe(1); // kept: 1 was used more recently than 2
    expect(calcCount).toBe(3);
    expect(await calc(2)).toBe(4); // evicted and computed again
    expect(calcCount).toBe(4);
    expect(await calc(2)).toBe(4);
    expect(calcCount).toBe(4);
    expect(calc.cacheInfo()).toEqual({ hits: 3, misses: 4, maxsize: 2, currsize: 2 });

    calc.cacheClear();
    expect(calc.cacheInfo()).toEqual({ hits: 0, misses: 0, maxsize: 2, currsize: 0 });
    expect(await calc(1)).toBe(1);
    expect(calcCount).toBe(5);
    expect(await calc(3)).toBe(9);
    expect(calcCount).toBe(6);
  });

  // aiotools test_lru_cache_with_expiration, on the virtual clock
  it('expires results expireAfter ms after their completion', async () => {
    let calcCount = 0;
    const slow = async (n: number) => {
      await sleep(30);
      calcCount += 1;
      return n * n;
    };
    const noExpiry = lruCache(slow, { maxsize: 2 });
    const first = noExpiry(3);
    await clock.advance(30);
    expect(await first).toBe(9);
    expect(await noExpiry(3)).toBe(9);
    await clock.advance(100);
    expect(await noExpiry(3)).toBe(9);
    expect(calcCount).toBe(1);

    calcCount = 0;
    const expiring = lruCache(slow, { maxsize: 2, expireAfter: 50 });
    const computing = expiring(3);
    await clock.advance(30); // completes at t=160: valid until t=210
    expect(await computing).toBe(9);
    await clock.advance(49);
    expect(await expiring(3)).toBe(9);
    expect(calcCount).toBe(1);
    expect(expiring.cacheInfo().currsize).toBe(1);
    await clock.advance(1);
    expect(expiring.cacheInfo().currsize).toBe(0);
    const again = expiring(3);
    await clock.advance(30);
    expect(await again).toBe(9);
    expect(calcCount).toBe(2);
    expect(clock.pending).toBe(0);
  });

  it('shares one computation between concurrent identical calls', async () => {
    let calls = 0;
    const gate = deferred<string>();
    const get = lruCache(async (key: string) => {
      calls += 1;
      return `${key}:${await gate.promise}`;
    });
    const a = get('x');
    const b = get('x');
    const c = get('y');
    gate.resolve('v');
    expect(await Promise.all([a, b, c])).toEqual(['x:v', 'x:v', 'y:v']);
    expect(calls).toBe(2);
    expect(get.cacheInfo()).toMatchObject({ hits: 1, misses: 2, currsize: 2 });
  });

  it('does not cache errors, and gives the error to every waiter', async () => {
    let calls = 0;
    const gate = deferred<void>();
    const boom = new Error('boom');
    const get = lruCache(async (n: number) => {
      calls += 1;
      if (calls === 1) {
        await gate.promise;
        throw boom;
      }
      return n;
    });
    const a = get(1);
    const b = get(1);
    gate.resolve();
    await expect(a).rejects.toBe(boom);
    await expect(b).rejects.toBe(boom);
    expect(get.cacheInfo().currsize).toBe(0);
    expect(await get(1)).toBe(1);
    expect(calls).toBe(2);

    const sync = lruCache((n: number) => {
      if (n < 0) throw new RangeError('negative');
      return n;
    });
    await expect(sync(-1)).rejects.toThrow(RangeError);
    expect(await sync(2)).toBe(2);
  });

  it('a caller cancelled while waiting stops waiting; the computation goes on and is cached', async () => {
    let calls = 0;
    let innerCancelled: boolean | undefined;
    const gate = deferred<number>();
    const get = lruCache(async (n: number) => {
      calls += 1;
      const value = await gate.promise;
      innerCancelled = currentNode()?.cancelled ?? false;
      return value + n;
    });
    const node = new CancelNode(undefined);
    const reason = new CancelledError('caller gone');
    const cancelledCall = node.run(() => get(1));
    const other = get(1);
    node.cancel(reason);
    await expect(cancelledCall).rejects.toBe(reason);
    gate.resolve(41);
    expect(await other).toBe(42);
    expect(innerCancelled).toBe(false);
    expect(await get(1)).toBe(42);
    expect(calls).toBe(1);
  });

  it('a caller already cancelled rejects at once without starting a computation, unless the result is stored', async () => {
    let calls = 0;
    const get = lruCache(async (n: number) => {
      calls += 1;
      return n;
    });
    const node = new CancelNode(undefined);
    node.cancel();
    await expect(node.run(() => get(1))).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBe(0);
    expect(get.cacheInfo().misses).toBe(0);
    expect(await get(1)).toBe(1);
    await expect(node.run(() => get(1))).resolves.toBe(1);
    expect(calls).toBe(1);
  });

  it('runs the computation under its own root scope, outside the caller scope', async () => {
    const seen: (CancelNode | undefined)[] = [];
    const get = lruCache(async () => {
      seen.push(currentNode());
      return 1;
    });
    const node = new CancelNode(undefined);
    await node.run(() => get());
    expect(seen[0]).toBeDefined();
    expect(seen[0]).not.toBe(node);
    expect(seen[0]!.isWithin(node)).toBe(false);
  });

  it('keys primitives by value, objects by identity, and accepts a custom key', async () => {
    let calls = 0;
    const echo = lruCache(async (...args: unknown[]) => {
      calls += 1;
      return args.length;
    });
    const obj = { a: 1 };
    for (const args of [
      [1],
      ['1'],
      [1, undefined],
      [obj],
      [{ a: 1 }],
      [Number.NaN],
      [0],
      [-0],
      [Number.NaN],
      [obj],
      [],
    ]) {
      await echo(...args);
    }
    expect(calls).toBe(8); // NaN twice, 0/-0 and obj twice are hits

    let byContent = 0;
    const content = lruCache(
      async (q: { id: number }) => {
        byContent += 1;
        return q.id;
      },
      { key: (q) => q.id },
    );
    await content({ id: 1 });
    await content({ id: 1 });
    expect(byContent).toBe(1);
    expect(content.cacheInvalidate({ id: 1 })).toBe(true);
    expect(content.cacheInvalidate({ id: 1 })).toBe(false);
    await content({ id: 1 });
    expect(byContent).toBe(2);
  });

  it('invalidating or clearing during a computation lets its callers finish without storing it', async () => {
    let calls = 0;
    const gate = deferred<void>();
    const get = lruCache(async (n: number) => {
      calls += 1;
      await gate.promise;
      return n;
    });
    const a = get(1);
    expect(get.cacheInvalidate(1)).toBe(true);
    const b = get(2);
    get.cacheClear();
    gate.resolve();
    expect(await a).toBe(1);
    expect(await b).toBe(2);
    expect(get.cacheInfo().currsize).toBe(0);
    await get(1);
    expect(calls).toBe(3);
  });

  it('supports an unbounded cache and maxsize 0 (no caching)', async () => {
    let calls = 0;
    const f = async (n: number) => {
      calls += 1;
      return n;
    };
    const unbounded = lruCache(f, { maxsize: null });
    for (let i = 0; i < 300; i++) await unbounded(i);
    expect(unbounded.cacheInfo()).toMatchObject({
      maxsize: Number.POSITIVE_INFINITY,
      currsize: 300,
    });
    calls = 0;
    const none = lruCache(f, { maxsize: 0 });
    await none(1);
    await none(1);
    expect(calls).toBe(2);
    expect(none.cacheInfo().currsize).toBe(0);
  });

  it('validates its arguments', async () => {
    const f = async () => 1;
    expect(() => lruCache(1 as never)).toThrow(TypeError);
    expect(() => lruCache(f, { maxsize: -1 })).toThrow(
      'Expected `options.maxsize` to be an integer ≥ 0, Infinity or null, got `-1` (number)',
    );
    expect(() => lruCache(f, { maxsize: 1.5 })).toThrow(RangeError);
    expect(() => lruCache(f, { maxsize: '2' as never })).toThrow(TypeError);
    expect(() => lruCache(f, { maxsize: '2' as never })).toThrow(
      'Expected `options.maxsize` to be a number or null, got `"2"` (string)',
    );
    expect(() => lruCache(f, { expireAfter: -5 })).toThrow(/options.expireAfter/);
    expect(() => lruCache(f, { key: 3 as never })).toThrow(/options.key/);
    expect(() => lruCache(f, 'x' as never)).toThrow(TypeError);
    const badKey = lruCache(f, {
      key: () => {
        throw new Error('key failed');
      },
    });
    await expect(badKey()).rejects.toThrow('key failed');
  });
});
