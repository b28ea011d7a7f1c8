import { brandOf, hasBrand } from './brand.js';

const cancelledBrand = brandOf('CancelledError');

/**
 * True for the errors that mean "this work was cancelled": a {@link CancelledError} (from any
 * installed copy), a `DOMException` named `AbortError`, and Node's `AbortError` (code
 * `ABORT_ERR`). A `TimeoutError` is not a cancellation.
 *
 * @example
 * ```ts
 * import { isCancellation } from '@aiotools/core';
 *
 * try {
 *   await fetch(url, { signal: AbortSignal.timeout(1_000) });
 * } catch (error) {
 *   if (!isCancellation(error)) throw error;
 * }
 * ```
 */
export function isCancellation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (hasBrand(error, cancelledBrand)) return true;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'ABORT_ERR';
}
