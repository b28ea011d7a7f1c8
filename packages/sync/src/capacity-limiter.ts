import type { SignalOptions } from '@aiotools/core';
import { validateInteger } from '@aiotools/core/internal';
import { checkCancelled } from './check-cancelled.js';
import type { Guard } from './guard.js';
import { PermitGuard } from './permit-guard.js';
import { WaiterList } from './waiter-list.js';

/**
 * Options of {@link CapacityLimiter.acquire}.
 *
 * @example
 * ```ts
 * import { CapacityLimiter } from '@aiotools/sync';
 *
 * const limiter = new CapacityLimiter(2);
 * using _ = await limiter.acquire({ borrower: 'tenant-42', signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface CapacityLimiterAcquireOptions extends SignalOptions {
  /**
   * Who borrows the token: a borrower holds at most one token at a time (acquiring a second
   * one is an error).
   * @default a new borrower for every call
   */
  readonly borrower?: unknown;
}

/**
 * Limits how many tasks use a resource at once, like anyio's `CapacityLimiter`: a pool of
 * `totalTokens` tokens lent to **borrowers**, each holding at most one. Unlike a semaphore,
 * the total can change at run time (raising it lets waiters in at once) and the limiter knows
 * who holds its tokens.
 *
 * Waiters are served FIFO and cancellable; a token released goes straight to the next waiter,
 * and passes on if that waiter is cancelled before it resumes.
 *
 * @example
 * ```ts
 * import { CapacityLimiter } from '@aiotools/sync';
 *
 * const limiter = new CapacityLimiter(10);
 * async function query(sql: string): Promise<unknown> {
 *   using _ = await limiter.acquire();
 *   return await db.query(sql); // at most 10 at a time
 * }
 * limiter.totalTokens = 20; // more capacity: waiters get in now
 * ```
 */
export class CapacityLimiter {
  #total: number;
  readonly #borrowers = new Set<unknown>();
  readonly #waiters = new WaiterList<PermitGuard<unknown>, Guard>(
    (waiter) => waiter.value,
    (waiter) => this.#giveBack(waiter.value.token),
  );
  readonly #giveBack = (borrower: unknown): void => {
    this.#borrowers.delete(borrower);
    this.#lend();
  };

  /**
   * @param totalTokens - the number of tokens: an integer ≥ 1, or `Infinity`
   * @throws TypeError/RangeError for a bad `totalTokens`
   */
  constructor(totalTokens: number) {
    validateInteger(totalTokens, 'totalTokens', { min: 1, infinity: true });
    this.#total = totalTokens;
  }

  /**
   * The number of tokens. Raising it wakes waiters at once; lowering it below the tokens
   * lent takes none back, new borrowers wait until enough are returned.
   *
   * @throws TypeError/RangeError (on set) unless an integer ≥ 1 or `Infinity`
   */
  get totalTokens(): number {
    return this.#total;
  }

  set totalTokens(value: number) {
    validateInteger(value, 'totalTokens', { min: 1, infinity: true });
    this.#total = value;
    this.#lend();
  }

  /** The tokens lent now. */
  get borrowedTokens(): number {
    return this.#borrowers.size;
  }

  /** The tokens free now. */
  get availableTokens(): number {
    return Math.max(0, this.#total - this.#borrowers.size);
  }

  /**
   * Borrows a token, waiting while none is free.
   *
   * @param options - `borrower`: who borrows (default: a new one per call); `signal`: also
   * cancels the wait (the ambient scope always does)
   * @returns a guard that returns the token on `release()` or dispose
   * @throws (as a rejection) Error when `borrower` already holds a token; the cancellation
   * reason, also at once in a cancelled scope
   */
  acquire(options?: CapacityLimiterAcquireOptions): Promise<Guard> {
    const rejection = checkCancelled(options);
    if (rejection !== undefined) return rejection;
    let guard: Guard | undefined;
    try {
      guard = this.tryAcquire(options);
    } catch (error) {
      return Promise.reject(error);
    }
    if (guard !== undefined) return Promise.resolve(guard);
    return this.#waiters.wait(this.#guard(options?.borrower), options);
  }

  /**
   * Borrows a token if one is free, without waiting; `undefined` otherwise.
   *
   * @param options - `borrower`: who borrows (default: a new one per call)
   * @throws Error when `borrower` already holds a token
   */
  tryAcquire(options?: { readonly borrower?: unknown }): Guard | undefined {
    const borrower = options?.borrower;
    if (borrower !== undefined && this.#borrowers.has(borrower)) {
      throw new Error('This borrower already holds a token of the CapacityLimiter');
    }
    if (this.#borrowers.size >= this.#total || this.#waiters.waiting !== 0) return undefined;
    const guard = this.#guard(borrower);
    this.#borrowers.add(guard.token);
    return guard;
  }

  get [Symbol.toStringTag](): string {
    return 'CapacityLimiter';
  }

  #guard(borrower: unknown): PermitGuard<unknown> {
    const guard = new PermitGuard<unknown>(this.#giveBack, borrower);
    if (borrower === undefined) guard.token = guard;
    return guard;
  }

  /** Lends free tokens to the waiters, first come first served. */
  #lend(): void {
    const waiters = this.#waiters;
    while (waiters.waiting !== 0 && this.#borrowers.size < this.#total) {
      this.#borrowers.add(waiters.wake()!.value.token);
    }
  }
}
