import type { SignalOptions } from '@aiotools/core';
import { validateFunction, validateInstanceOf, validateInteger } from '@aiotools/core/internal';
import { checkCancelled, isCancelledNow } from './check-cancelled.js';
import type { Guard } from './guard.js';
import { Lock, lockStateOf } from './lock.js';
import { WaiterList } from './waiter-list.js';

const nothing = (): void => {};

/**
 * A condition variable (`asyncio.Condition`): tasks holding its lock wait for a notification
 * with `wait()`, which releases the lock while waiting and takes it back before returning.
 *
 * - `wait()` and `waitFor()` need the lock held, as `notify()`/`notifyAll()` do.
 * - They are cancellable through `options.signal` or the ambient scope. Cancelled or not,
 *   `wait()` takes the lock back before it settles, so the caller's `using`/`finally` releases
 *   a lock it holds.
 * - A notification is never lost: a waiter cancelled after it was notified passes the
 *   notification on to the next waiter.
 *
 * @example
 * ```ts
 * import { Condition } from '@aiotools/sync';
 *
 * const changed = new Condition();
 * const jobs: string[] = [];
 *
 * async function worker(): Promise<string> {
 *   using _ = await changed.acquire();
 *   await changed.waitFor(() => jobs.length > 0);
 *   return jobs.shift()!;
 * }
 *
 * async function submit(job: string): Promise<void> {
 *   using _ = await changed.acquire();
 *   jobs.push(job);
 *   changed.notify();
 * }
 * ```
 */
export class Condition {
  /** The lock the condition waits with. */
  readonly lock: Lock;
  readonly #waiters: WaiterList<undefined, void> = new WaiterList<undefined, void>(nothing, () =>
    this.#waiters.wake(),
  );

  /**
   * @param lock - the lock to use (several conditions may share one); a new one by default
   * @throws TypeError when `lock` is not a `Lock`
   */
  constructor(lock: Lock = new Lock()) {
    validateInstanceOf(lock, [Lock], 'lock');
    this.lock = lock;
  }

  /** Whether somebody holds the lock. */
  get locked(): boolean {
    return this.lock.locked;
  }

  /** Takes the lock, as `lock.acquire()`. */
  acquire(options?: SignalOptions): Promise<Guard> {
    return this.lock.acquire(options);
  }

  /** Takes the lock if it is free, as `lock.tryAcquire()`. */
  tryAcquire(): Guard | undefined {
    return this.lock.tryAcquire();
  }

  /** Releases the lock, as `lock.release()`. */
  release(): void {
    this.lock.release();
  }

  /**
   * Releases the lock, waits until notified, and takes the lock back (the caller's guard holds
   * it again). It takes the lock back before it settles even when cancelled.
   *
   * @param options - `signal`: also cancels the wait (the ambient scope always does)
   * @throws (as a rejection) Error when the lock is not held; the cancellation reason when
   * cancelled (after the lock is taken back)
   */
  async wait(options?: SignalOptions): Promise<void> {
    const rejection = checkCancelled(options);
    if (rejection !== undefined) return rejection;
    const state = lockStateOf(this.lock);
    const guard = state.owner;
    if (guard === undefined) throw new Error('Condition.wait() needs the lock to be held');
    state.transfer();
    let failure: { error: unknown } | undefined;
    try {
      await this.#waiters.wait(undefined, options);
    } catch (error) {
      failure = { error };
    }
    if (state.owner === undefined) state.owner = guard;
    else await state.waiters.waitShielded(guard);
    if (failure !== undefined) throw failure.error;
    const cancelled = isCancelledNow(options);
    if (cancelled !== undefined) {
      // Notified, then cancelled while taking the lock back: the notification goes on.
      this.#waiters.wake();
      throw cancelled.reason;
    }
  }

  /**
   * Waits until `predicate()` returns a truthy value, checking it first and after every
   * notification, and returns that value. Needs the lock held, as `wait()`.
   *
   * @param predicate - evaluated with the lock held
   * @param options - `signal`: also cancels the wait (the ambient scope always does)
   * @throws (as a rejection) TypeError when `predicate` is not a function; as `wait()`
   */
  async waitFor<R>(predicate: () => R, options?: SignalOptions): Promise<R> {
    validateFunction(predicate, 'predicate');
    let result = predicate();
    while (!result) {
      await this.wait(options);
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiters (they resume once they get the lock back).
   *
   * @param n - an integer ≥ 0, or `Infinity` for all (default 1)
   * @throws Error when the lock is not held; TypeError/RangeError for a bad `n`
   */
  notify(n = 1): void {
    validateInteger(n, 'n', { infinity: true });
    if (!this.lock.locked) throw new Error('Condition.notify() needs the lock to be held');
    for (let i = 0; i < n && this.#waiters.wake() !== undefined; i++);
  }

  /**
   * Wakes every waiter.
   *
   * @throws Error when the lock is not held
   */
  notifyAll(): void {
    this.notify(Number.POSITIVE_INFINITY);
  }

  get [Symbol.toStringTag](): string {
    return 'Condition';
  }
}
