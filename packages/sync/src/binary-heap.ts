import { Store } from './store.js';

interface Entry<T> {
  readonly item: T;
  readonly seq: number;
}

/**
 * A min-heap ordered by `compare`, FIFO among items that compare equal (each entry carries
 * its insertion number as the tie-breaker).
 */
export class BinaryHeap<T> extends Store<T> {
  readonly #heap: Entry<T>[] = [];
  #seq = 0;

  readonly #compare: (a: T, b: T) => number;

  constructor(compare: (a: T, b: T) => number) {
    super();
    this.#compare = compare;
  }

  get length(): number {
    return this.#heap.length;
  }

  push(item: T): void {
    const heap = this.#heap;
    const entry: Entry<T> = { item, seq: this.#seq++ };
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  take(): T {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.#before(heap[child + 1]!, heap[child]!)) child++;
        if (!this.#before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top.item;
  }

  toArray(): T[] {
    return this.#heap
      .slice()
      .sort((a, b) => (this.#before(a, b) ? -1 : 1))
      .map((entry) => entry.item);
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    const order = this.#compare(a.item, b.item);
    return order < 0 || (order === 0 && a.seq < b.seq);
  }
}
