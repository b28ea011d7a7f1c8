import { brandedInstanceOf, brandOf } from './brand.js';

const brand = brandOf('TimeoutError');

/**
 * Thrown by `failAfter`/`failAt` (and the timeouts built on them) when their own deadline
 * ended the work. It is not a cancellation: `isCancellation(new TimeoutError())` is `false`,
 * so task groups report it like any other failure.
 *
 * @example
 * ```ts
 * import { TimeoutError } from '@aiotools/core';
 * import { failAfter } from '@aiotools/cancel';
 *
 * try {
 *   await failAfter(100, () => fetchSlowly());
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.log('too slow');
 * }
 * ```
 */
export class TimeoutError extends Error {
  override readonly name: string = 'TimeoutError';
  declare readonly [brand]: true;

  constructor(message = 'The operation timed out', options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
