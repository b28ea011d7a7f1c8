import { CancelledError, CancelNode, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { first } from './first.js';

/** A closed queue, iterated like hat.aio's Queue: every loop takes items off the shared store. */
function closedQueue<T>(...items: T[]) {
  return {
    items,
    [Symbol.asyncIterator](): AsyncIterator<T> {
      return {
        next: async () =>
          items.length > 0
            ? { done: false, value: items.shift()! }
            : { done: true, value: undefined },
      };
    },
  };
}

async function* asyncRange(n: number) {
  for (let i = 0; i < n; i++) {
    await Promise.resolve();
    yield i;
  }
}

describe('first', () => {
  let clock: VirtualClock;
  beforeEach(() => {
    clock = installVirtualClock({ autojump: false });
  });
  afterEach(() => clock[Symbol.dispose]());

  // hat test_first
  it('consumes a queue up to and including the match and leaves the rest', async () => {
    const queue = closedQueue(1, 2, 3);
    expect(await first(queue, (i) => i === 2)).toBe(2);
    expect(queue.items).toEqual([3]);

    const queue2 = closedQueue(1, 2, 3);
    expect(await first(queue2, (i) => i === 4)).toBeUndefined();
    expect(queue2.items).toEqual([]);
  });

  // hat test_first_example
  it('finds the first element, a match, nothing, or the default', async () => {
    expect(await first(asyncRange(3))).toBe(0);
    expect(await first(asyncRange(3), (x) => x > 1)).toBe(2);
    expect(await first(asyncRange(3), (x) => x > 2)).toBeUndefined();
    expect(await first(asyncRange(3), (x) => x > 2, 123)).toBe(123);
  });

  // hat test_first_example_docs
  it('can be called again on the same queue', async () => {
    const queue = closedQueue(1, 2, 3);
    expect(await first(queue)).toBe(1);
    expect(await first(queue, (x) => x > 2)).toBe(3);
    expect(await first(queue, undefined, 123)).toBe(123);
  });

  it('closes an abandoned generator by default, like for-await with break', async () => {
    let closed = false;
    async function* numbers() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const gen = numbers();
    expect(await first(gen, (x) => x === 2)).toBe(2);
    expect(closed).toBe(true);
    expect((await gen.next()).done).toBe(true);
  });

  it('leaves the generator open with close: false, to be consumed further', async () => {
    const gen = asyncRange(5);
    expect(await first(gen, (x) => x === 1, undefined, { close: false })).toBe(1);
    expect(await first(gen, undefined, undefined, { close: false })).toBe(2);
    expect(await first(gen, (x) => x > 3)).toBe(4);
    expect((await gen.next()).done).toBe(true);
  });

  it('closes the iterator when the predicate throws, and throws its error', async () => {
    let closed = false;
    async function* numbers() {
      try {
        yield 1;
      } finally {
        closed = true;
      }
    }
    const error = new Error('pred');
    await expect(
      first(numbers(), () => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect(closed).toBe(true);
  });

  it('accepts sync iterables and awaits their values', async () => {
    expect(await first([Promise.resolve(1), 2, 3], (x) => x > 1)).toBe(2);
  });

  it('passes on the cancellation of a waiting source', async () => {
    async function* slow() {
      await sleep(1000);
      yield 1;
    }
    const node = new CancelNode(undefined);
    const p = node.run(() => first(slow()));
    node.cancel();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(clock.pending).toBe(0);

    await expect(node.run(() => first(slow()))).rejects.toBeInstanceOf(CancelledError);
  });

  it('narrows with a type guard and validates its arguments', async () => {
    const values: (number | string)[] = [1, 'a'];
    const s: string | undefined = await first(values, (x): x is string => typeof x === 'string');
    expect(s).toBe('a');
    await expect(first(5 as never)).rejects.toThrow(TypeError);
    await expect(first(5 as never)).rejects.toThrow(
      'Expected `xs` to be an async or sync iterable, got `5` (number)',
    );
    await expect(first([], 5 as never)).rejects.toThrow(
      'Expected `pred` to be a function, got `5` (number)',
    );
    await expect(first([], undefined, undefined, 'x' as never)).rejects.toThrow(TypeError);
  });
});
