/** Where a queue keeps its items: the order of `take` is the order of the queue. */
export interface Store<T> {
  readonly length: number;
  push(item: T): void;
  /** Removes and returns the next item; only called when `length > 0`. */
  take(): T;
  /** The items in `take` order, for display. */
  toArray(): T[];
}
