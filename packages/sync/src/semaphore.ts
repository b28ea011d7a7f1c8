import type { SignalOptions } from '@aiotools/core';
import { validateInteger, validateOptions } from '@aiotools/core/internal';
import { checkCancelled } from './check-cancelled.js';
import type { Guard } from './guard.js';
import { PermitGuard } from './permit-guard.js';
import { WaiterList } from './waiter-list.js';

/**
 * Options of {@link Semaphore}.
 *
 * @example
 * ```ts
 * import { Semaphore } from '@aiotools/sync';
 *
 * const pool = new Semaphore(3, { maxValue: 3 }); // a stray release() throws
 * ```
 */
export interface SemaphoreOptions {
  /**
   * The most permits the semaphore may hold: a bare `release()` beyond it throws (Python's
   * `BoundedSemaphore`). An integer ≥ `value`, or `Infinity`.
   * @default Infinity
   */
  readonly maxValue?: number | undefined;
}

/**
 * A counting semaphore (`asyncio.Semaphore`), FIFO-fair and cancellable: `acquire()` takes a
 * permit, waiting while none is left; the {@link Guard} it resolves to gives it back.
 *
 * A released permit goes straight to the next waiter, which resumes one microtask later; if
 * it is cancelled in between, the permit passes to the waiter after it (or back to the
 * semaphore). A guard releases at most once.
 *
 * @example
 * ```ts
 * import { Semaphore } from '@aiotools/sync';
 *
 * const slots = new Semaphore(4);
 * await Promise.all(
 *   urls.map(async (url) => {
 *     using _ = await slots.acquire();
 *     return await fetch(url); // at most 4 at a time
 *   }),
 * );
 * ```
 */
export class Semaphore {
  #value: number;
  readonly #maxValue: number;
  readonly #waiters = new WaiterList<undefined, Guard>(
    () => new PermitGuard(this.#giveBack, undefined),
    () => this.#giveBack(),
  );
  readonly #giveBack = (): void => {
    if (this.#waiters.wake() === undefined) this.#value++;
  };

  /**
   * @param value - the permits available at first: an integer ≥ 0
   * @param options - `maxValue`: the most permits it may hold (default `Infinity`)
   * @throws TypeError/RangeError for a bad `value` or `options.maxValue`
   */
  constructor(value = 1, options?: SemaphoreOptions) {
    validateInteger(value, 'value');
    validateOptions(options, 'options');
    const maxValue = options?.maxValue ?? Number.POSITIVE_INFINITY;
    validateInteger(maxValue, 'options.maxValue', { min: value, infinity: true });
    this.#value = value;
    this.#maxValue = maxValue;
  }

  /** The permits available now. */
  get value(): number {
    return this.#value;
  }

  /** Whether `acquire()` would wait. */
  get locked(): boolean {
    return this.#value === 0;
  }

  /**
   * Takes a permit, waiting while none is left.
   *
   * @param options - `signal`: also cancels the wait (the ambient scope always does)
   * @returns a guard that gives the permit back on `release()` or dispose
   * @throws (as a rejection) the cancellation reason, also at once in a cancelled scope
   */
  acquire(options?: SignalOptions): Promise<Guard> {
    const rejection = checkCancelled(options);
    if (rejection !== undefined) return rejection;
    const guard = this.tryAcquire();
    if (guard !== undefined) return Promise.resolve(guard);
    return this.#waiters.wait(undefined, options);
  }

  /** Takes a permit if one is available, without waiting; `undefined` otherwise. */
  tryAcquire(): Guard | undefined {
    if (this.#value === 0) return undefined;
    this.#value--;
    return new PermitGuard(this.#giveBack, undefined);
  }

  /**
   * Gives a permit back without a guard (as `asyncio.Semaphore.release`).
   *
   * @throws Error when that would exceed `maxValue`
   */
  release(): void {
    if (this.#value >= this.#maxValue) {
      throw new Error(`Semaphore.release() would exceed maxValue ${this.#maxValue}`);
    }
    this.#giveBack();
  }

  get [Symbol.toStringTag](): string {
    return 'Semaphore';
  }
}
