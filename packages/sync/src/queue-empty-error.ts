import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/sync.QueueEmptyError');

/**
 * Thrown by `getNowait`/`getNowaitUntilEmpty` when no item is available at once (also after `close()`, once the remaining items are drained).
 *
 * `instanceof QueueEmptyError` also recognises instances created by another installed copy of
 * `@aiotools/sync`.
 *
 * @example
 * ```ts
 * import { Queue, QueueEmptyError } from '@aiotools/sync';
 *
 * const queue = new Queue<string>();
 * try {
 *   queue.getNowait();
 * } catch (error) {
 *   if (error instanceof QueueEmptyError) console.log('nothing yet');
 * }
 * ```
 */
export class QueueEmptyError extends Error {
  override readonly name: string = 'QueueEmptyError';
  declare readonly [brand]: true;

  constructor(message = 'The queue is empty', options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
