import { Store } from './store.js';

/** A LIFO store: `take` returns the item pushed last. */
export class Stack<T> extends Store<T> {
  readonly #items: T[] = [];

  get length(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  take(): T {
    return this.#items.pop() as T;
  }

  toArray(): T[] {
    return this.#items.slice().reverse();
  }
}
