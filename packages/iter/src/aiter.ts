import { invalidType, validateFunction } from '@aiotools/core/internal';

async function* callUntil<T>(
  fn: () => PromiseLike<T> | T,
  sentinel: T,
): AsyncGenerator<T, void, undefined> {
  for (;;) {
    const value = await fn();
    // SameValueZero, as Array.prototype.includes: NaN matches NaN, 0 matches -0.
    if (value === sentinel || (Number.isNaN(value) && Number.isNaN(sentinel))) return;
    yield value;
  }
}

async function* delegate<T>(
  source: AsyncIterable<T> | Iterable<T | PromiseLike<T>>,
): AsyncGenerator<T, void, undefined> {
  yield* source;
}

/**
 * Python's `aiter`, both forms.
 *
 * - `aiter(fn, sentinel)`: an async generator that calls `fn()` (sync or async) and yields
 *   what it returns, until a value equals `sentinel` (SameValueZero: `NaN` matches `NaN`;
 *   `null` and `undefined` are valid sentinels and differ from each other). The sentinel is
 *   not yielded.
 * - `aiter(source)`: an async generator delegating to an async (or sync) iterable; its
 *   `return()` and `throw()` are forwarded to the source's iterator.
 *
 * @param fn - called once per item
 * @param sentinel - the value that ends the iteration
 * @returns an async generator
 * @throws TypeError when `fn` is not a function, when a function is given without a
 * sentinel, or when `source` is not iterable
 * @example
 * ```ts
 * import { aiter } from '@aiotools/iter';
 *
 * // read chunks until the stream signals the end with null
 * for await (const chunk of aiter(() => reader.read(), null)) {
 *   handle(chunk);
 * }
 * ```
 */
export function aiter<T>(
  fn: () => PromiseLike<T> | T,
  sentinel: T,
): AsyncGenerator<T, void, undefined>;
/**
 * @param source - an async iterable (or a sync iterable, whose values are awaited)
 * @example
 * ```ts
 * import { aiter } from '@aiotools/iter';
 *
 * const it = aiter(stream);
 * const { value } = await it.next();
 * ```
 */
export function aiter<T>(
  source: AsyncIterable<T> | Iterable<T | PromiseLike<T>>,
): AsyncGenerator<T, void, undefined>;
export function aiter<T>(
  ...args:
    | [fn: () => PromiseLike<T> | T, sentinel: T]
    | [source: AsyncIterable<T> | Iterable<T | PromiseLike<T>>]
): AsyncGenerator<T, void, undefined> {
  if (args.length >= 2) {
    const [fn, sentinel] = args as [() => PromiseLike<T> | T, T];
    validateFunction(fn, 'fn');
    return callUntil(fn, sentinel);
  }
  const source = args[0] as Partial<AsyncIterable<T> & Iterable<T>> | null | undefined;
  if (
    typeof source?.[Symbol.asyncIterator] === 'function' ||
    typeof source?.[Symbol.iterator] === 'function'
  ) {
    return delegate(source as AsyncIterable<T>);
  }
  if (typeof source === 'function') {
    throw new TypeError('aiter(fn) needs a sentinel: call aiter(fn, sentinel)');
  }
  throw invalidType('source', 'an async or sync iterable', source);
}
