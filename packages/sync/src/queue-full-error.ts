import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/sync.QueueFullError');

/**
 * Thrown by `putNowait` when a bounded queue has no free slot (a closed queue throws {@link QueueClosedError} first).
 *
 * `instanceof QueueFullError` also recognises instances created by another installed copy of
 * `@aiotools/sync`.
 *
 * @example
 * ```ts
 * import { Queue, QueueFullError } from '@aiotools/sync';
 *
 * const queue = new Queue<string>(1);
 * queue.putNowait('a');
 * try {
 *   queue.putNowait('b');
 * } catch (error) {
 *   if (error instanceof QueueFullError) console.log('dropped b');
 * }
 * ```
 */
export class QueueFullError extends Error {
  override readonly name: string = 'QueueFullError';
  declare readonly [brand]: true;

  constructor(message = 'The queue is full', options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
