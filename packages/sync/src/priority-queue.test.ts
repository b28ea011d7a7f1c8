import { describe, expect, it } from 'vitest';
import { PriorityQueue } from './priority-queue.js';

describe('PriorityQueue', () => {
  it('returns the smallest item first by default', () => {
    const queue = new PriorityQueue<number>();
    for (const n of [5, 1, 4, 2, 3, 9, 0]) queue.putNowait(n);
    expect(queue.getNowaitUntilEmpty()).toBe(9);
    for (const n of [5, 1, 4, 2, 3]) queue.putNowait(n);
    const out: number[] = [];
    while (!queue.empty()) out.push(queue.getNowait());
    expect(out).toEqual([1, 2, 3, 4, 5]);
  });

  it('orders by compare and keeps equal items in FIFO order', async () => {
    const queue = new PriorityQueue<{ p: number; name: string }>(0, {
      compare: (a, b) => a.p - b.p,
    });
    queue.putNowait({ p: 2, name: 'a' });
    queue.putNowait({ p: 1, name: 'b' });
    queue.putNowait({ p: 2, name: 'c' });
    queue.putNowait({ p: 1, name: 'd' });
    const names: string[] = [];
    queue.close();
    for await (const item of queue) names.push(item.name);
    expect(names).toEqual(['b', 'd', 'a', 'c']);
  });

  it('matches a sorted array on many random items', () => {
    const queue = new PriorityQueue<number>();
    const items = Array.from({ length: 500 }, (_, i) => (i * 7919) % 211);
    for (const item of items) queue.putNowait(item);
    const out: number[] = [];
    while (!queue.empty()) out.push(queue.getNowait());
    expect(out).toEqual([...items].sort((a, b) => a - b));
  });

  it('validates compare', () => {
    expect(() => new PriorityQueue(0, { compare: 1 as unknown as () => number })).toThrow(
      /options\.compare/,
    );
    expect(() => new PriorityQueue(0, 'x' as unknown as undefined)).toThrow(TypeError);
  });
});
