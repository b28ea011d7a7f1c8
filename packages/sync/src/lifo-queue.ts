import { Queue } from './queue.js';
import { Stack } from './stack.js';

/**
 * A {@link Queue} that returns the item put **last** first (`asyncio.LifoQueue`), with the
 * same `close()`, waits, cancellation and errors.
 *
 * @example
 * ```ts
 * import { LifoQueue } from '@aiotools/sync';
 *
 * const stack = new LifoQueue<number>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * console.log(await stack.get()); // 2
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  /**
   * @param maxsize - the most items the queue holds; 0 (the default) or `Infinity` for no limit
   * @throws TypeError/RangeError as {@link Queue}
   */
  constructor(maxsize = 0) {
    super(maxsize, new Stack<T>());
  }
}
