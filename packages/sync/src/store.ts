/**
 * Where a queue keeps its items: the order of `take` is the order of the queue. A class
 * rather than an interface so that `Queue` can tell a store its subclasses hand it from
 * anything else passed to its constructor.
 */
export abstract class Store<T> {
  abstract readonly length: number;
  abstract push(item: T): void;
  /** Removes and returns the next item; only called when `length > 0`. */
  abstract take(): T;
  /** The items in `take` order, for display. */
  abstract toArray(): T[];
}
