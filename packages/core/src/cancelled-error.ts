import { brandedInstanceOf, brandOf } from './brand.js';

const brand = brandOf('CancelledError');

/**
 * The reason a cancel scope or task is cancelled with, unless the caller passed its own.
 *
 * Every waiting call of the `@aiotools` family rejects with this error (the scope's `reason`)
 * when the scope around it is cancelled. `instanceof CancelledError` also recognises instances
 * created by another installed copy of `@aiotools/core`.
 *
 * @example
 * ```ts
 * import { CancelledError, sleep } from '@aiotools/core';
 *
 * const controller = new AbortController();
 * controller.abort(new CancelledError('shutting down'));
 * await sleep(1000, { signal: controller.signal }).catch((error) => {
 *   console.log(error instanceof CancelledError); // true
 * });
 * ```
 */
export class CancelledError extends Error {
  override readonly name: string = 'CancelledError';
  declare readonly [brand]: true;

  constructor(message = 'The operation was cancelled', options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
