import { Store } from './store.js';

const MIN_CAPACITY = 16;

/**
 * A FIFO of items on a circular array whose capacity is a power of two: O(1) `push`/`take`,
 * growing by doubling and shrinking by half once it is three quarters empty, so a burst
 * does not pin its memory forever.
 */
export class RingBuffer<T> extends Store<T> {
  length = 0;
  #items: (T | undefined)[] = new Array(MIN_CAPACITY);
  #head = 0;
  #mask = MIN_CAPACITY - 1;

  push(item: T): void {
    if (this.length > this.#mask) this.#resize((this.#mask + 1) * 2);
    this.#items[(this.#head + this.length) & this.#mask] = item;
    this.length++;
  }

  take(): T {
    const head = this.#head;
    const item = this.#items[head] as T;
    this.#items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.length--;
    if (this.#mask >= 4 * MIN_CAPACITY && this.length < (this.#mask + 1) >>> 2)
      this.#resize((this.#mask + 1) >>> 1);
    return item;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.#items[(this.#head + i) & this.#mask] as T);
    return out;
  }

  #resize(capacity: number): void {
    const items = this.toArray() as (T | undefined)[];
    items.length = capacity;
    this.#items = items;
    this.#head = 0;
    this.#mask = capacity - 1;
  }
}
