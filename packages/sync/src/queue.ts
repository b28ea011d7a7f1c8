import type { SignalOptions } from '@aiotools/core';
import { validateInteger } from '@aiotools/core/internal';
import { checkCancelled } from './check-cancelled.js';
import { QueueClosedError } from './queue-closed-error.js';
import { QueueEmptyError } from './queue-empty-error.js';
import { QueueFullError } from './queue-full-error.js';
import { RingBuffer } from './ring-buffer.js';
import { Store } from './store.js';
import { type Waiter, WaiterList } from './waiter-list.js';

const RESOLVED: Promise<void> = Promise.resolve();

const closedError = (): QueueClosedError => new QueueClosedError();

function iteratorResult<T>(value: T): IteratorResult<T> {
  return { done: false, value };
}

function endOnClose(error: unknown): IteratorResult<never> {
  if (error instanceof QueueClosedError) return { done: true, value: undefined };
  throw error;
}

/**
 * A FIFO queue for async producers and consumers that can be **closed** (hat.aio's `Queue`:
 * `asyncio.Queue` plus `close()`), with cancellable waits.
 *
 * - `maxsize` 0 (the default) or `Infinity` makes it unbounded; otherwise `put` waits while
 *   `maxsize` items are queued.
 * - `close()` ends it: puts are refused with {@link QueueClosedError} (blocked putters wake
 *   with it), the items already queued stay drainable, and `get` rejects with
 *   {@link QueueClosedError} once the queue is closed **and** empty; `for await` then ends.
 * - Every wait (`put`, `get`, `getUntilEmpty`, iteration) is cancelled by `options.signal`
 *   and by the ambient scope, whichever comes first: it rejects with the reason as it is. A call in a
 *   cancelled scope rejects at once, even when it could complete.
 * - Waiters are served FIFO. A woken waiter completes one microtask later (or at the next
 *   operation on the queue); if it is cancelled in between, the item or slot reserved for it
 *   goes to the next waiter or stays in the queue, in order. Nothing is lost or taken twice.
 *
 * All operations are O(1) amortised.
 *
 * @typeParam T - the type of the items. A promise is an item like any other, but awaiting
 * `get()` unwraps it, as `await` does.
 * @example
 * ```ts
 * import { Queue } from '@aiotools/sync';
 *
 * const queue = new Queue<number>(1);
 * const producer = (async () => {
 *   for (let i = 0; i < 4; i++) await queue.put(i);
 *   queue.close();
 * })();
 * let sum = 0;
 * for await (const item of queue) sum += item;
 * await producer;
 * console.log(sum); // 6
 * ```
 */
export class Queue<T> implements AsyncIterable<T>, Disposable, AsyncDisposable {
  /** Where the items are kept; `LifoQueue` and `PriorityQueue` hand in another order. */
  readonly #store: Store<T>;
  readonly #limit: number;
  readonly #maxsize: number;
  #closed = false;
  readonly #getters: WaiterList<undefined, T>;
  readonly #putters: WaiterList<T, void>;

  /**
   * @param maxsize - the most items the queue holds; 0 (the default) or `Infinity` for no limit
   * @throws TypeError when `maxsize` is not a number; RangeError when it is not an integer ≥ 0
   * or `Infinity`
   */
  constructor(maxsize?: number);
  /**
   * The constructor `LifoQueue` and `PriorityQueue` call: `store` gives the order. Anything
   * that is not one of the package's stores is ignored, as an extra argument always was.
   *
   * @internal
   */
  constructor(maxsize: number, store: Store<T>);
  constructor(maxsize = 0, store?: Store<T>) {
    validateInteger(maxsize, 'maxsize', { infinity: true });
    this.#store = store instanceof Store ? store : new RingBuffer<T>();
    this.#maxsize = maxsize;
    this.#limit = maxsize === 0 ? Number.POSITIVE_INFINITY : maxsize;
    this.#getters = new WaiterList<undefined, T>(
      () => this.#take(),
      () => this.#balance(),
    );
    this.#putters = new WaiterList<T, void>(
      (waiter: Waiter<T, void>) => {
        this.#store.push(waiter.value);
        this.#balance();
      },
      () => this.#balance(),
    );
  }

  /** The most items the queue holds, as given to the constructor (0: no limit). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Whether `close()` was called. Items may remain to be drained. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** The number of items in the queue, as `qsize()`. */
  get size(): number {
    return this.qsize();
  }

  /** The number of items in the queue. */
  qsize(): number {
    this.#settle();
    return this.#store.length;
  }

  /** Whether the queue holds no item. */
  empty(): boolean {
    return this.qsize() === 0;
  }

  /** Whether a bounded queue holds `maxsize` items (never for an unbounded queue). */
  full(): boolean {
    return this.qsize() >= this.#limit;
  }

  /**
   * Adds `item` without waiting.
   *
   * @throws {@link QueueClosedError} when the queue is closed (checked first);
   * {@link QueueFullError} when it is full
   */
  putNowait(item: T): void {
    this.#settle();
    if (this.#closed) throw new QueueClosedError();
    if (this.#store.length >= this.#limit) throw new QueueFullError();
    this.#add(item);
  }

  /**
   * Adds `item`, waiting while the queue is full.
   *
   * @param options - `signal`: also cancels the wait (the ambient scope always does)
   * @returns a promise that resolves once the item is in the queue
   * @throws (as a rejection) {@link QueueClosedError} when the queue is closed before the item
   * got in; the cancellation reason when cancelled first
   */
  put(item: T, options?: SignalOptions): Promise<void> {
    const rejection = checkCancelled(options);
    if (rejection !== undefined) return rejection;
    this.#settle();
    if (this.#closed) return Promise.reject(new QueueClosedError());
    if (this.#store.length < this.#limit) {
      this.#add(item);
      return RESOLVED;
    }
    return this.#putters.wait(item, options);
  }

  /**
   * Removes and returns the next item without waiting. Works after `close()` while items
   * remain.
   *
   * @throws {@link QueueEmptyError} when no item is available
   */
  getNowait(): T {
    this.#settle();
    if (this.#store.length === 0) throw new QueueEmptyError();
    return this.#take();
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty.
   *
   * @param options - `signal`: also cancels the wait (the ambient scope always does)
   * @throws (as a rejection) {@link QueueClosedError} once the queue is closed and empty; the
   * cancellation reason when cancelled first (no item is taken then)
   */
  get(options?: SignalOptions): Promise<T> {
    const rejection = checkCancelled(options);
    if (rejection !== undefined) return rejection;
    this.#settle();
    if (this.#store.length !== 0) return Promise.resolve(this.#take());
    if (this.#closed) return Promise.reject(new QueueClosedError());
    return this.#getters.wait(undefined, options);
  }

  /**
   * Waits for an item like `get()`, then empties the queue and returns the **last** item
   * (the others are dropped): for consumers that only need the latest state.
   *
   * @param options - `signal`: also cancels the wait (the ambient scope always does)
   * @throws (as a rejection) as `get()`
   */
  async getUntilEmpty(options?: SignalOptions): Promise<T> {
    return this.#drainAfter(await this.get(options));
  }

  /**
   * Empties the queue and returns the last item, without waiting.
   *
   * @throws {@link QueueEmptyError} when no item is available
   */
  getNowaitUntilEmpty(): T {
    return this.#drainAfter(this.getNowait());
  }

  /**
   * Closes the queue; idempotent. Blocked putters reject with {@link QueueClosedError}; when
   * the queue is empty, so do blocked getters. Queued items stay available to `get`,
   * `getNowait` and iteration, which end once they are drained.
   */
  close(): void {
    if (this.#closed) return;
    this.#settle();
    this.#closed = true;
    this.#putters.rejectWaiting(closedError);
    if (this.#store.length === 0) this.#getters.rejectWaiting(closedError);
  }

  /**
   * Iterates over the items as they come, until the queue is closed and empty. Each step is
   * a `get()` in the ambient scope. Several loops over one queue share its items.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    const next = (): Promise<IteratorResult<T>> => this.get().then(iteratorResult, endOnClose);
    return {
      next,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Closes the queue (`using queue = new Queue()`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes the queue (`await using queue = new Queue()`). */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return RESOLVED;
  }

  get [Symbol.toStringTag](): string {
    return this.constructor.name;
  }

  /** A short description for logs: `Queue(size=2, maxsize=10, closed)`. */
  toString(): string {
    const limit = this.#maxsize === 0 ? '' : `, maxsize=${this.#maxsize}`;
    return `${this.constructor.name}(size=${this.qsize()}${limit}${this.#closed ? ', closed' : ''})`;
  }

  /** Takes every item left (woken putters included) and returns the last one, or `item`. */
  #drainAfter(item: T): T {
    let last = item;
    while (!this.empty()) last = this.#take();
    return last;
  }

  #add(item: T): void {
    this.#store.push(item);
    if (this.#getters.waiting !== 0) this.#balance();
  }

  #take(): T {
    const item = this.#store.take();
    if (this.#putters.waiting !== 0) this.#balance();
    return item;
  }

  /**
   * Wakes waiters for what is free: an item that no woken getter has reserved goes to the
   * next getter, a slot that no woken putter has reserved to the next putter.
   */
  #balance(): void {
    const getters = this.#getters;
    while (getters.waiting !== 0 && this.#store.length > getters.ready) getters.wake();
    const putters = this.#putters;
    while (putters.waiting !== 0 && this.#store.length + putters.ready < this.#limit)
      putters.wake();
  }

  /** Completes the woken waiters before an operation, so that it sees their effect. */
  #settle(): void {
    while (this.#getters.ready !== 0 || this.#putters.ready !== 0) {
      this.#putters.flush();
      this.#getters.flush();
    }
  }
}
