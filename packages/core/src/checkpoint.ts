import { cancellable, type SignalOptions } from './cancellable.js';

/**
 * A cancellation point for CPU-bound loops: rejects when the signal or the ambient scope
 * is cancelled, otherwise yields one macrotask (`setImmediate`) so that timers and I/O run.
 * `await null` is not a checkpoint: it neither checks nor lets the event loop run.
 *
 * @param options - `signal`: checked besides the ambient scope
 * @example
 * ```ts
 * import { checkpoint } from '@aiotools/core';
 *
 * for (const row of rows) {
 *   crunch(row);
 *   await checkpoint();
 * }
 * ```
 */
export function checkpoint(options?: SignalOptions): Promise<void> {
  return cancellable<void>((resolve) => {
    const handle = setImmediate(resolve);
    return () => clearImmediate(handle);
  }, options);
}
