import { CancelledError, CancelNode, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aiter } from './aiter.js';

// Ports of aiotools' tests/test_iter.py.
describe('aiter', () => {
  let clock: VirtualClock;
  beforeEach(() => {
    clock = installVirtualClock({ autojump: false });
  });
  afterEach(() => clock[Symbol.dispose]());

  it('cross-check: a sync iterable is delegated item by item', async () => {
    function* stream() {
      for (let i = 0; i < 10; i++) yield i;
    }
    let lastX = -1;
    for await (const x of aiter(stream())) lastX = x;
    expect(lastX).toBe(9);
  });

  it('cross-check: a sync function is called until the sentinel', async () => {
    let callCount = 0;
    const sentinel = 5;
    let lastX = -1;
    for await (const x of aiter(() => ++callCount, sentinel)) lastX = x;
    expect(lastX).toBe(sentinel - 1);
  });

  it('delegates to an async iterable', async () => {
    async function* stream() {
      for (let i = 0; i < 10; i++) yield i;
    }
    let lastX = -1;
    for await (const x of aiter(stream())) lastX = x;
    expect(lastX).toBe(9);
  });

  it('calls an async function until it returns the sentinel', async () => {
    let callCount = 0;
    const sentinel = 5;
    const getNext = async () => {
      callCount += 1;
      await sleep(1);
      return callCount;
    };
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const x of aiter(getNext, sentinel)) seen.push(x);
    })();
    await clock.runAll();
    await consumer;
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(callCount).toBe(5);
  });

  it('accepts null (and undefined, and NaN) as sentinels', async () => {
    let callCount = 0;
    const sentinel = 3;
    const getNext = async (): Promise<number | null> => {
      callCount += 1;
      await Promise.resolve();
      return callCount >= sentinel ? null : callCount;
    };
    let lastX: number | null = -1;
    for await (const x of aiter(getNext, null)) lastX = x;
    expect(lastX).toBe(sentinel - 1);

    const values = [1, null, undefined];
    const out: unknown[] = [];
    for await (const x of aiter(() => values.shift(), undefined)) out.push(x);
    expect(out).toEqual([1, null]);

    const nans = [1, Number.NaN, 2];
    const out2: unknown[] = [];
    for await (const x of aiter(() => nans.shift()!, Number.NaN)) out2.push(x);
    expect(out2).toEqual([1]);
  });

  it('forwards return() to the source, and stops calling fn after return()', async () => {
    let closed = false;
    async function* stream() {
      try {
        yield 1;
        yield 2;
      } finally {
        closed = true;
      }
    }
    const it = aiter(stream());
    await it.next();
    await it.return();
    expect(closed).toBe(true);

    let calls = 0;
    const gen = aiter(() => ++calls, -1);
    await gen.next();
    await gen.return();
    expect((await gen.next()).done).toBe(true);
    expect(calls).toBe(1);
  });

  it('passes on the cancellation of a waiting fn', async () => {
    const node = new CancelNode(undefined);
    const reason = new CancelledError('stop');
    const consumer = node.run(async () => {
      for await (const _ of aiter<unknown>(() => sleep(1000), -1)) {
        // never reached
      }
    });
    node.cancel(reason);
    await expect(consumer).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it('rejects bad arguments', () => {
    expect(() => aiter((() => 1) as never)).toThrow(/sentinel/);
    expect(() => aiter(5 as never)).toThrow(TypeError);
    expect(() => aiter(null as never)).toThrow(
      'Expected `source` to be an async or sync iterable, got `null` (null)',
    );
    expect(() => aiter(5 as never, 1)).toThrow(TypeError);
  });
});
