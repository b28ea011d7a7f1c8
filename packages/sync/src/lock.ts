import type { SignalOptions } from '@aiotools/core';
import { checkCancelled } from './check-cancelled.js';
import type { Guard } from './guard.js';
import { WaiterList } from './waiter-list.js';

/** The state of a lock, shared with its guards and with a `Condition` built on it. */
export class LockState {
  /** The guard that holds the lock (reserved for a woken waiter that has not resumed yet). */
  owner: LockGuard | undefined = undefined;
  readonly waiters = new WaiterList<LockGuard, LockGuard>(
    (waiter) => waiter.value,
    () => this.transfer(),
  );

  /** Gives the lock to the next waiter, or unlocks it when nobody waits. */
  transfer(): void {
    this.owner = this.waiters.wake()?.value;
  }
}

/** Holds a lock while it is `state.owner`. */
export class LockGuard implements Guard {
  readonly #state: LockState;

  constructor(state: LockState) {
    this.#state = state;
  }

  get released(): boolean {
    return this.#state.owner !== this;
  }

  release(): void {
    if (this.#state.owner === this) this.#state.transfer();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * The key under which a lock carries its state for a `Condition` built on it: a symbol that
 * only this module holds, on a non-enumerable property that the class does not declare, so
 * neither the public type nor a plain inspection of a lock shows it.
 */
const stateKey: unique symbol = Symbol('LockState');

/**
 * A mutual-exclusion lock for async code (`asyncio.Lock`), FIFO-fair and cancellable.
 *
 * `acquire()` resolves to a {@link Guard}: `using _ = await lock.acquire()` holds the lock for
 * the rest of the block. The guard's `release()` is idempotent and only ever releases its own
 * hold; the bare `lock.release()` releases whoever holds the lock (as `asyncio.Lock.release`)
 * and throws on an unlocked lock.
 *
 * Waiters get the lock in arrival order. `release()` hands the lock directly to the next
 * waiter, which resumes one microtask later; if it is cancelled in between, the lock goes on
 * to the waiter after it (or is unlocked), so a cancelled waiter never keeps or loses it.
 *
 * @example
 * ```ts
 * import { Lock } from '@aiotools/sync';
 *
 * const lock = new Lock();
 * async function update(): Promise<void> {
 *   using _ = await lock.acquire();
 *   await writeConfig(); // never two at once
 * }
 * ```
 */
export class Lock {
  readonly #state = new LockState();

  /** Creates an unlocked lock. */
  constructor() {
    Object.defineProperty(this, stateKey, { value: this.#state });
  }

  /** Whether somebody holds the lock. */
  get locked(): boolean {
    return this.#state.owner !== undefined;
  }

  /**
   * Waits for the lock and takes it.
   *
   * @param options - `signal`: also cancels the wait (the ambient scope always does)
   * @returns a guard that releases the lock on `release()` or dispose
   * @throws (as a rejection) the cancellation reason, also at once in a cancelled scope
   */
  acquire(options?: SignalOptions): Promise<Guard> {
    const rejection = checkCancelled(options);
    if (rejection !== undefined) return rejection;
    const state = this.#state;
    const guard = new LockGuard(state);
    if (state.owner === undefined) {
      state.owner = guard;
      return Promise.resolve(guard);
    }
    return state.waiters.wait(guard, options);
  }

  /** Takes the lock if it is free, without waiting; `undefined` when it is held. */
  tryAcquire(): Guard | undefined {
    const state = this.#state;
    if (state.owner !== undefined) return undefined;
    state.owner = new LockGuard(state);
    return state.owner;
  }

  /**
   * Releases the lock, whoever holds it; the next waiter gets it. Prefer the guard's
   * `release()`, which cannot release somebody else's hold.
   *
   * @throws Error when the lock is not held
   */
  release(): void {
    const state = this.#state;
    if (state.owner === undefined)
      throw new Error('Lock.release() called on a lock that is not held');
    state.waiters.flush();
    state.transfer();
  }

  get [Symbol.toStringTag](): string {
    return 'Lock';
  }
}

/** The shared state of `lock`, for `Condition` (not exported from the package). */
export function lockStateOf(lock: Lock): LockState {
  return (lock as unknown as { readonly [stateKey]: LockState })[stateKey];
}
