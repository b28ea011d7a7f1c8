import { validateFunction, validateInteger, validateOptions } from '@aiotools/core/internal';
import { BinaryHeap } from './binary-heap.js';
import { Queue } from './queue.js';

/**
 * Options of {@link PriorityQueue}.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from '@aiotools/sync';
 *
 * const latestFirst = new PriorityQueue<Date>(0, { compare: (a, b) => b.getTime() - a.getTime() });
 * ```
 */
export interface PriorityQueueOptions<T> {
  /**
   * Orders the items: negative when `a` comes out before `b`, as for `Array.prototype.sort`.
   * Items that compare equal come out in the order they were put.
   * @default ascending by `<` (numbers, strings, bigints: smallest first)
   */
  readonly compare?: ((a: T, b: T) => number) | undefined;
}

function ascending<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A {@link Queue} that returns the smallest item first (`asyncio.PriorityQueue`), by
 * `options.compare`, FIFO among equal items; same `close()`, waits, cancellation and errors.
 * `put` and `get` are O(log n).
 *
 * @example
 * ```ts
 * import { PriorityQueue } from '@aiotools/sync';
 *
 * const jobs = new PriorityQueue<{ priority: number; name: string }>(0, {
 *   compare: (a, b) => a.priority - b.priority,
 * });
 * jobs.putNowait({ priority: 5, name: 'backup' });
 * jobs.putNowait({ priority: 1, name: 'page the on-call' });
 * console.log((await jobs.get()).name); // 'page the on-call'
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * @param maxsize - the most items the queue holds; 0 (the default) or `Infinity` for no limit
   * @param options - `compare`: the order (default ascending by `<`)
   * @throws TypeError/RangeError as {@link Queue}; TypeError when `compare` is not a function
   */
  constructor(maxsize = 0, options?: PriorityQueueOptions<T>) {
    // `maxsize` is checked first, as `Queue` does, so a bad one is reported before bad options.
    validateInteger(maxsize, 'maxsize', { infinity: true });
    validateOptions(options, 'options');
    const compare = options?.compare ?? ascending;
    validateFunction(compare, 'options.compare');
    super(maxsize, new BinaryHeap<T>(compare));
  }
}
