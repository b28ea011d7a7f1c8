/**
 * What `acquire()` of a {@link Lock}, {@link Semaphore} or {@link CapacityLimiter} resolves
 * to: the right to hold it until `release()`. Disposable, so `using _ = await lock.acquire()`
 * releases at the end of the block whatever happens.
 *
 * Releasing is idempotent: the second `release()` (or a dispose after a `release()`) does
 * nothing, so a guard never releases more than it acquired.
 *
 * @example
 * ```ts
 * import { Lock } from '@aiotools/sync';
 *
 * const lock = new Lock();
 * {
 *   using _ = await lock.acquire();
 *   // only one caller at a time runs here
 * }
 * ```
 */
export interface Guard extends Disposable {
  /** Releases what this guard holds; does nothing when it holds nothing any more. */
  release(): void;
  /** Whether this guard no longer holds anything. */
  readonly released: boolean;
}
