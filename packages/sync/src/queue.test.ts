import { CancelledError, CancelNode } from '@aiotools/core';
import { settle } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';
import { Queue } from './queue.js';
import { QueueClosedError } from './queue-closed-error.js';
import { QueueEmptyError } from './queue-empty-error.js';
import { QueueFullError } from './queue-full-error.js';

/** Records how a promise settles without leaving a rejection unhandled. */
function track<T>(promise: Promise<T>): { readonly state: string; readonly value: unknown } {
  const out = { state: 'pending', value: undefined as unknown };
  promise.then(
    (value) => {
      out.state = 'resolved';
      out.value = value;
    },
    (error) => {
      out.state = 'rejected';
      out.value = error;
    },
  );
  return out;
}

describe('Queue (ported from hat.aio)', () => {
  it('hands a later putNowait to a pending get, and get rejects once closed and empty', async () => {
    const queue = new Queue<number>();
    expect(queue.isClosed).toBe(false);
    const got = track(queue.get());
    await settle(1);
    expect(got.state).toBe('pending');
    queue.putNowait(1);
    await settle(1);
    expect(got).toEqual({ state: 'resolved', value: 1 });
    for (let i = 0; i < 5; i++) {
      queue.close();
      expect(queue.isClosed).toBe(true);
    }
    await expect(queue.get()).rejects.toBeInstanceOf(QueueClosedError);
  });

  it('describes itself as a non-empty string', () => {
    const queue = new Queue<number>(3);
    queue.putNowait(1);
    expect(String(queue)).toBe('Queue(size=1, maxsize=3)');
    queue.close();
    expect(`${queue}`).toBe('Queue(size=1, maxsize=3, closed)');
    expect(Object.prototype.toString.call(queue)).toBe('[object Queue]');
  });

  it('tracks its size through puts and gets', () => {
    const queue = new Queue<null>();
    expect(queue.size).toBe(0);
    for (let i = 0; i < 10; i++) {
      queue.putNowait(null);
      expect(queue.size).toBe(i + 1);
      expect(queue.qsize()).toBe(i + 1);
    }
    for (let i = 0; i < 10; i++) {
      queue.getNowait();
      expect(queue.qsize()).toBe(10 - i - 1);
    }
    expect(queue.size).toBe(0);
    expect(queue.empty()).toBe(true);
  });

  it('throws QueueEmptyError from getNowait on an empty queue', () => {
    expect(() => new Queue().getNowait()).toThrow(QueueEmptyError);
    expect(() => new Queue().getNowaitUntilEmpty()).toThrow(QueueEmptyError);
  });

  it('returns the last item from getUntilEmpty and empties the queue', async () => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    queue.putNowait(2);
    queue.putNowait(3);
    expect(await queue.getUntilEmpty()).toBe(3);
    expect(queue.empty()).toBe(true);
  });

  it('returns the last item from getNowaitUntilEmpty', () => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    queue.putNowait(2);
    queue.putNowait(3);
    expect(queue.getNowaitUntilEmpty()).toBe(3);
    expect(queue.empty()).toBe(true);
  });

  it('waits in getUntilEmpty until an item comes', async () => {
    const queue = new Queue<number>();
    const last = track(queue.getUntilEmpty());
    await settle(1);
    queue.putNowait(7);
    queue.putNowait(8);
    await settle(1);
    expect(last).toEqual({ state: 'resolved', value: 8 });
  });

  it('reports maxsize and throws QueueFullError when full', () => {
    const queue = new Queue<null>(5);
    expect(queue.maxsize).toBe(5);
    for (let i = 0; i < 5; i++) queue.putNowait(null);
    expect(queue.full()).toBe(true);
    expect(() => queue.putNowait(null)).toThrow(QueueFullError);
  });

  it('rejects a put blocked on a full queue with QueueClosedError when closed', async () => {
    const queue = new Queue<number>(1);
    await queue.put(1);
    const put = queue.put(1);
    setImmediate(() => queue.close());
    await expect(put).rejects.toBeInstanceOf(QueueClosedError);
    expect(queue.getNowait()).toBe(1);
  });

  it('hands the slot of a woken putter that is cancelled to the next putter', async () => {
    const queue = new Queue<number>(1);
    await queue.put(0);
    const c1 = new AbortController();
    const f1 = track(queue.put(1, { signal: c1.signal }));
    const f2 = track(queue.put(2));
    await settle(1);
    expect(queue.getNowait()).toBe(0);
    c1.abort(new CancelledError());
    expect(await queue.get()).toBe(2);
    await settle(1);
    expect(f1.state).toBe('rejected');
    expect(f1.value).toBeInstanceOf(CancelledError);
    expect(f2.state).toBe('resolved');
    expect(queue.empty()).toBe(true);
  });

  for (const delayed of [0, 1, 2, 10]) {
    it(`iterates over all items in order and stops after a close delayed by ${delayed} turns`, async () => {
      const queue = new Queue<number>();
      const expected: number[] = [];
      for (let i = 0; i < 10; i++) {
        queue.putNowait(i);
        expected.push(i);
      }
      void settle(delayed).then(() => queue.close());
      const seen: number[] = [];
      for await (const item of queue) seen.push(item);
      expect(seen).toEqual(expected);
      expect(queue.empty()).toBe(true);
    });
  }

  it('hands the item of a woken getter that is cancelled to the next getter', async () => {
    const queue = new Queue<number>();
    const c1 = new AbortController();
    const f1 = queue.get({ signal: c1.signal });
    const f2 = queue.get();
    await settle(1);
    queue.putNowait(123);
    c1.abort(new CancelledError());
    await expect(f1).rejects.toBeInstanceOf(CancelledError);
    expect(await f2).toBe(123);
  });

  it('runs the producer/consumer example with maxsize 1 and close', async () => {
    const queue = new Queue<number>(1);
    const producer = (async () => {
      for (let i = 0; i < 4; i++) await queue.put(i);
      queue.close();
    })();
    let sum = 0;
    for await (const item of queue) sum += item;
    await producer;
    expect(sum).toBe(6);
  });
});

describe('Queue close semantics', () => {
  it('wakes every blocked getter of an empty queue with QueueClosedError', async () => {
    const queue = new Queue<number>();
    const getters = [queue.get(), queue.get(), queue.get()];
    queue.close();
    for (const getter of getters) await expect(getter).rejects.toBeInstanceOf(QueueClosedError);
  });

  it('wakes every blocked putter with QueueClosedError and keeps the queued items drainable', async () => {
    const queue = new Queue<string>(2);
    queue.putNowait('a');
    queue.putNowait('b');
    const putters = [queue.put('c'), queue.put('d')];
    queue.close();
    for (const putter of putters) await expect(putter).rejects.toBeInstanceOf(QueueClosedError);
    expect(await queue.get()).toBe('a');
    expect(queue.getNowait()).toBe('b');
    await expect(queue.get()).rejects.toBeInstanceOf(QueueClosedError);
    expect(() => queue.getNowait()).toThrow(QueueEmptyError);
  });

  it('refuses puts after close, checking closed before full', async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(1);
    queue.close();
    expect(() => queue.putNowait(2)).toThrow(QueueClosedError);
    await expect(queue.put(2)).rejects.toBeInstanceOf(QueueClosedError);
    expect(queue.qsize()).toBe(1);
  });

  it('lets a putter woken before close complete, as the slot was already its', async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(1);
    const put = track(queue.put(2));
    expect(queue.getNowait()).toBe(1);
    queue.close();
    await settle(1);
    expect(put.state).toBe('resolved');
    expect(queue.getNowait()).toBe(2);
  });

  it('closes on Symbol.dispose and Symbol.asyncDispose', async () => {
    const a = new Queue<number>();
    a[Symbol.dispose]();
    expect(a.isClosed).toBe(true);
    const b = new Queue<number>();
    await b[Symbol.asyncDispose]();
    expect(b.isClosed).toBe(true);
  });

  it('ends every concurrent iteration when closed', async () => {
    const queue = new Queue<number>();
    const loop = async () => {
      const seen: number[] = [];
      for await (const item of queue) seen.push(item);
      return seen;
    };
    const loops = [loop(), loop()];
    await settle(1);
    queue.putNowait(1);
    queue.putNowait(2);
    queue.putNowait(3);
    await settle(1);
    queue.close();
    const [a, b] = await Promise.all(loops);
    expect([...a!, ...b!].sort()).toEqual([1, 2, 3]);
  });
});

describe('Queue cancellation', () => {
  it('rejects a waiting get with the signal reason as it is and takes nothing', async () => {
    const queue = new Queue<number>();
    const controller = new AbortController();
    const reason = { why: 'custom' };
    const get = queue.get({ signal: controller.signal });
    controller.abort(reason);
    await expect(get).rejects.toBe(reason);
    queue.putNowait(1);
    expect(queue.qsize()).toBe(1);
  });

  it('rejects a waiting get when the ambient scope is cancelled', async () => {
    const queue = new Queue<number>();
    const node = new CancelNode(undefined);
    const get = node.run(() => queue.get());
    node.cancel();
    await expect(get).rejects.toBeInstanceOf(CancelledError);
    queue.putNowait(1);
    expect(queue.getNowait()).toBe(1);
  });

  it('rejects at once in a cancelled scope even when an item is available (level-triggered)', async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(1);
    const node = new CancelNode(undefined);
    node.cancel('stop');
    await node.run(async () => {
      for (let i = 0; i < 2; i++) {
        await expect(queue.get()).rejects.toThrow('stop');
        await expect(queue.put(2)).rejects.toThrow('stop');
        await expect(queue.getUntilEmpty()).rejects.toThrow('stop');
      }
    });
    expect(queue.getNowait()).toBe(1);
  });

  it('rejects a waiting getUntilEmpty when cancelled and takes nothing', async () => {
    const queue = new Queue<number>();
    const controller = new AbortController();
    const last = queue.getUntilEmpty({ signal: controller.signal });
    controller.abort('stop');
    await expect(last).rejects.toBe('stop');
    queue.putNowait(1);
    expect(queue.qsize()).toBe(1);
  });

  it('rejects at once with an aborted signal', async () => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    const signal = AbortSignal.abort('gone');
    await expect(queue.get({ signal })).rejects.toBe('gone');
    await expect(queue.put(2, { signal })).rejects.toBe('gone');
    expect(queue.qsize()).toBe(1);
  });

  it('rejects a waiting put when cancelled and never adds its item', async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(1);
    const controller = new AbortController();
    const put = queue.put(2, { signal: controller.signal });
    controller.abort();
    await expect(put).rejects.toMatchObject({ name: 'AbortError' });
    expect(queue.getNowait()).toBe(1);
    expect(queue.empty()).toBe(true);
  });

  it('puts the item of a cancelled woken getter back in order when no getter waits', async () => {
    const queue = new Queue<number>();
    const controller = new AbortController();
    const get = queue.get({ signal: controller.signal });
    queue.putNowait(1);
    controller.abort();
    await expect(get).rejects.toMatchObject({ name: 'AbortError' });
    queue.putNowait(2);
    expect(queue.getNowait()).toBe(1);
    expect(queue.getNowait()).toBe(2);
  });

  it('passes a hand-over along a chain of getters cancelled together', async () => {
    const queue = new Queue<number>();
    const node = new CancelNode(undefined);
    const cancelled = [node.run(() => queue.get()), node.run(() => queue.get())];
    const survivor = queue.get();
    queue.putNowait(5);
    node.cancel();
    for (const get of cancelled) await expect(get).rejects.toBeInstanceOf(CancelledError);
    expect(await survivor).toBe(5);
  });

  it('delivers to a getter that completed before its scope was cancelled', async () => {
    const queue = new Queue<number>();
    const node = new CancelNode(undefined);
    const get = node.run(() => queue.get());
    queue.putNowait(1);
    await settle(1);
    node.cancel();
    expect(await get).toBe(1);
  });

  it('rejects a waiting iteration with the scope reason', async () => {
    const queue = new Queue<number>();
    const node = new CancelNode(undefined);
    const loop = node.run(async () => {
      for await (const _ of queue) {
        // nothing comes
      }
    });
    await settle(1);
    node.cancel();
    await expect(loop).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('Queue fairness', () => {
  it('serves waiting getters in arrival order', async () => {
    const queue = new Queue<number>();
    const gets = [queue.get(), queue.get(), queue.get()];
    queue.putNowait(1);
    queue.putNowait(2);
    queue.putNowait(3);
    expect(await Promise.all(gets)).toEqual([1, 2, 3]);
  });

  it('admits waiting putters in arrival order, before newcomers', async () => {
    const queue = new Queue<number>(1);
    queue.putNowait(0);
    const puts = [queue.put(1), queue.put(2), queue.put(3)];
    expect(queue.getNowait()).toBe(0);
    expect(() => queue.putNowait(9)).toThrow(QueueFullError);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) seen.push(await queue.get());
    await Promise.all(puts);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('does not let a newcomer take the item reserved for a woken getter', async () => {
    const queue = new Queue<number>();
    const first = queue.get();
    queue.putNowait(1);
    const second = queue.get();
    queue.putNowait(2);
    expect(await first).toBe(1);
    expect(await second).toBe(2);
  });

  it('keeps order through a ring buffer that grows and shrinks', () => {
    const queue = new Queue<number>();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 1000; i++) queue.putNowait(next++);
      for (let i = 0; i < 990; i++) expect(queue.getNowait()).toBe(expected++);
    }
    while (!queue.empty()) expect(queue.getNowait()).toBe(expected++);
    expect(expected).toBe(next);
  });
});

describe('Queue bad input', () => {
  it('rejects a maxsize that is not an integer ≥ 0 or Infinity', () => {
    expect(() => new Queue(-1)).toThrow(RangeError);
    expect(() => new Queue(1.5)).toThrow(/`maxsize`/);
    expect(() => new Queue(Number.NaN)).toThrow(RangeError);
    expect(() => new Queue('3' as unknown as number)).toThrow(TypeError);
    expect(new Queue(Number.POSITIVE_INFINITY).full()).toBe(false);
  });

  it("names the argument and the value received, in the family's message shape", () => {
    expect(() => new Queue(1.5)).toThrow(
      'Expected `maxsize` to be an integer ≥ 0 or Infinity, got `1.5` (number)',
    );
  });

  it('ignores an extra constructor argument: the queue stays FIFO', () => {
    const Ctor = Queue as unknown as new (maxsize: number, extra: unknown) => Queue<number>;
    const queue = new Ctor(0, { push() {}, take() {} });
    queue.putNowait(1);
    queue.putNowait(2);
    expect(queue.getNowait()).toBe(1);
  });

  it('reports bad options of waiting calls as rejections', async () => {
    const queue = new Queue<number>();
    await expect(queue.get({ signal: 'x' as unknown as AbortSignal })).rejects.toThrow(
      /options\.signal/,
    );
    await expect(queue.put(1, null as unknown as undefined)).rejects.toBeInstanceOf(TypeError);
    expect(queue.empty()).toBe(true);
  });
});
