import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/sync.QueueClosedError');

/**
 * Thrown (or rejected with) by `put`/`putNowait` on a closed queue, and by `get` once the queue is closed **and** empty. A blocked `put` rejects with it when the queue is closed; a blocked `get` when the queue is closed while empty. Async iteration over a queue ends quietly on it.
 *
 * `instanceof QueueClosedError` also recognises instances created by another installed copy of
 * `@aiotools/sync`.
 *
 * @example
 * ```ts
 * import { Queue, QueueClosedError } from '@aiotools/sync';
 *
 * const queue = new Queue<string>();
 * queue.close();
 * try {
 *   await queue.put('late');
 * } catch (error) {
 *   if (error instanceof QueueClosedError) console.log('no more items accepted');
 * }
 * ```
 */
export class QueueClosedError extends Error {
  override readonly name: string = 'QueueClosedError';
  declare readonly [brand]: true;

  constructor(message = 'The queue is closed', options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
