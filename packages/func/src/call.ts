import { validateFunction } from '@aiotools/core/internal';

/**
 * Calls `fn(...args)` and returns a promise of its result, whether `fn` is sync or async
 * (hat.aio's `call`): a value is wrapped, a promise is followed, a synchronous throw becomes a
 * rejection. Arguments are passed through exactly as given.
 *
 * @param fn - a sync or async function
 * @param args - its arguments
 * @returns a promise of what `fn` returned or resolved to
 * @throws TypeError (as a rejection) when `fn` is not a function
 * @example
 * ```ts
 * import { call } from '@aiotools/func';
 *
 * type Callback = (event: string) => void | Promise<void>;
 * async function notify(callbacks: Callback[], event: string) {
 *   for (const cb of callbacks) await call(cb, event);
 * }
 * ```
 */
export async function call<A extends unknown[], T>(
  fn: (...args: A) => PromiseLike<T> | T,
  ...args: A
): Promise<T> {
  validateFunction(fn, 'fn');
  return await fn(...args);
}
