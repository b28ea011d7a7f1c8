import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/fork.ExecutorClosedError');

/**
 * Rejected with by `Executor.run` once the executor is closed: by a call made after `close()`,
 * and by every call still queued (not yet started on a thread) when `close()` is called.
 *
 * `instanceof ExecutorClosedError` also recognises instances created by another installed copy
 * of `@aiotools/fork`.
 *
 * @example
 * ```ts
 * import { createExecutor, ExecutorClosedError } from '@aiotools/fork';
 *
 * const executor = createExecutor({ threads: 1 });
 * await executor.close();
 * try {
 *   await executor.run('./work.js');
 * } catch (error) {
 *   if (error instanceof ExecutorClosedError) console.log('the executor is closed');
 * }
 * ```
 */
export class ExecutorClosedError extends Error {
  override readonly name: string = 'ExecutorClosedError';
  declare readonly [brand]: true;

  constructor(message = 'The executor is closed', options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
