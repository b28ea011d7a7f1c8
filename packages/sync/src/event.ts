import type { SignalOptions } from '@aiotools/core';
import { checkCancelled } from './check-cancelled.js';
import { WaiterList } from './waiter-list.js';

const RESOLVED: Promise<void> = Promise.resolve();
const nothing = (): void => {};

/**
 * A flag that tasks can wait for (`asyncio.Event`): `set()` wakes every waiter, and `wait()`
 * returns at once while the flag is set, until `clear()`.
 *
 * `wait()` is cancellable through `options.signal` or the ambient scope; a cancelled wait
 * just leaves (a wake-up of an event is not consumed, so there is nothing to hand over).
 *
 * @example
 * ```ts
 * import { Event } from '@aiotools/sync';
 *
 * const ready = new Event();
 * setTimeout(() => ready.set(), 100);
 * await ready.wait();
 * console.log(ready.isSet()); // true
 * ```
 */
export class Event {
  #flag = false;
  readonly #waiters = new WaiterList<undefined, void>(nothing, nothing);

  /** Sets the flag and wakes every waiter. Idempotent. */
  set(): void {
    if (this.#flag) return;
    this.#flag = true;
    this.#waiters.resolveWaiting(undefined);
  }

  /** Clears the flag: later `wait()` calls wait again. */
  clear(): void {
    this.#flag = false;
  }

  /** Whether the flag is set. */
  isSet(): boolean {
    return this.#flag;
  }

  /**
   * Waits until the flag is set; resolves at once when it is.
   *
   * @param options - `signal`: also cancels the wait (the ambient scope always does)
   * @throws (as a rejection) the cancellation reason, also at once in a cancelled scope
   */
  wait(options?: SignalOptions): Promise<void> {
    const rejection = checkCancelled(options);
    if (rejection !== undefined) return rejection;
    if (this.#flag) return RESOLVED;
    return this.#waiters.wait(undefined, options);
  }

  get [Symbol.toStringTag](): string {
    return 'Event';
  }
}
