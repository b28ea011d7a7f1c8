import { describe, expect, it } from 'vitest';
import { LifoQueue } from './lifo-queue.js';
import { QueueClosedError } from './queue-closed-error.js';

describe('LifoQueue', () => {
  it('returns the item put last first', async () => {
    const queue = new LifoQueue<number>();
    queue.putNowait(1);
    queue.putNowait(2);
    queue.putNowait(3);
    expect(String(queue)).toBe('LifoQueue(size=3)');
    expect(await queue.get()).toBe(3);
    expect(queue.getNowait()).toBe(2);
    expect(queue.getNowait()).toBe(1);
  });

  it('closes, blocks and drains like a Queue', async () => {
    const queue = new LifoQueue<number>(1);
    queue.putNowait(1);
    const put = queue.put(2);
    expect(queue.getNowait()).toBe(1);
    await put;
    queue.close();
    const seen: number[] = [];
    for await (const item of queue) seen.push(item);
    expect(seen).toEqual([2]);
    await expect(queue.get()).rejects.toBeInstanceOf(QueueClosedError);
  });
});
