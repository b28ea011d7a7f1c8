import { invalidType, validateFunction, validateOptions } from '@aiotools/core/internal';

/** Options of {@link first}. */
export interface FirstOptions {
  /**
   * Close the iterator (call its `return()`) when `first` stops before the end, as a
   * `for await … break` does: an async generator then runs its `finally` blocks and ends.
   * Pass `false` to keep consuming the same iterator afterwards (hat.aio's behaviour).
   * @default true
   */
  readonly close?: boolean | undefined;
}

/**
 * The first item of `xs` for which `pred` returns a truthy value (any item without `pred`),
 * or `dflt` when `xs` ends first (hat.aio's `first`).
 *
 * It consumes items up to and including the match, nothing after. When it stops early (a
 * match, or `pred` threw), it closes the iterator like a `for await` loop that breaks:
 * `return()` is called, so an async generator runs its `finally` blocks and cannot be
 * resumed. An iterable that hands out a fresh iterator per loop over shared state (a queue)
 * keeps its remaining items either way. Pass `{ close: false }` to leave the iterator open, to
 * call `first` again on the same generator (hat.aio never closes it).
 *
 * `first` waits only inside the iterator's `next()`: it is cancelled the way its source is
 * (a scope-aware source rejects, and `first` passes that rejection on without calling
 * `return()` — the iterator already failed).
 *
 * @param xs - an async iterable (or a sync one, whose values are awaited)
 * @param pred - the test; default: accept anything
 * @param dflt - the result when nothing matches; default `undefined`
 * @param options - `close` (default `true`)
 * @returns the first match, or `dflt`
 * @throws TypeError (as a rejection) when `xs` is not iterable or `pred` not a function;
 * whatever the iterator or `pred` throws
 * @example
 * ```ts
 * import { first } from '@aiotools/iter';
 *
 * const admin = await first(users(), (user) => user.role === 'admin');
 * const port = await first(candidates, (p) => p > 1024, 8080);
 * ```
 */
export async function first<T, S extends T>(
  xs: AsyncIterable<T> | Iterable<T | PromiseLike<T>>,
  pred: (x: T) => x is S,
  dflt?: undefined,
  options?: FirstOptions,
): Promise<S | undefined>;
export async function first<T>(
  xs: AsyncIterable<T> | Iterable<T | PromiseLike<T>>,
  pred: ((x: T) => unknown) | undefined,
  dflt: T,
  options?: FirstOptions,
): Promise<T>;
export async function first<T>(
  xs: AsyncIterable<T> | Iterable<T | PromiseLike<T>>,
  pred?: (x: T) => unknown,
  dflt?: T,
  options?: FirstOptions,
): Promise<T | undefined>;
export async function first<T>(
  xs: AsyncIterable<T> | Iterable<T | PromiseLike<T>>,
  pred?: (x: T) => unknown,
  dflt?: T,
  options?: FirstOptions,
): Promise<T | undefined> {
  validateOptions(options, 'options');
  if (pred !== undefined) validateFunction(pred, 'pred');
  const source = xs as Partial<AsyncIterable<T> & Iterable<T | PromiseLike<T>>> | null | undefined;
  const isAsync = typeof source?.[Symbol.asyncIterator] === 'function';
  if (!isAsync && typeof source?.[Symbol.iterator] !== 'function') {
    throw invalidType('xs', 'an async or sync iterable', xs);
  }
  const iterator: AsyncIterator<T> | Iterator<T | PromiseLike<T>> = isAsync
    ? source![Symbol.asyncIterator]!()
    : source![Symbol.iterator]!();
  const close = options?.close ?? true;
  for (;;) {
    const step = await iterator.next();
    if (step.done) return dflt;
    const value = isAsync ? (step.value as T) : await step.value;
    let matched: unknown;
    try {
      matched = pred === undefined || pred(value);
    } catch (error) {
      if (close) {
        try {
          await iterator.return?.();
        } catch {
          // As in `for await`: the predicate's error wins over a failing return().
        }
      }
      throw error;
    }
    if (matched) {
      if (close) await iterator.return?.();
      return value;
    }
  }
}
