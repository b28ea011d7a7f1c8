import { CancelNode, cancellable, currentClock, currentNode } from '@aiotools/core';
import {
  invalidRange,
  invalidType,
  validateDuration,
  validateFunction,
  validateOptions,
} from '@aiotools/core/internal';
import { defaultKey } from './default-key.js';

/** Options of {@link lruCache}. */
export interface LruCacheOptions<A extends unknown[]> {
  /**
   * How many results (and computations in flight) are kept; the least recently used is
   * evicted beyond it. `0` caches nothing; `Infinity` or `null` means unbounded.
   * @default 128
   */
  readonly maxsize?: number | null | undefined;
  /**
   * Milliseconds a result stays valid, counted from the moment its computation completed, on
   * the current clock (`currentClock()`). Expired results are dropped lazily, when the cache is
   * used: no timer is ever scheduled.
   * @default Infinity (never expire)
   */
  readonly expireAfter?: number | undefined;
  /**
   * Computes the cache key from the arguments; keys compare like `Map` keys (SameValueZero).
   * @default primitives by value, objects by identity, the number of arguments counts
   */
  readonly key?: ((...args: A) => unknown) | undefined;
}

/** Statistics of an {@link lruCache}, like Python's `cache_info()`. */
export interface CacheInfo {
  /** Calls answered by a stored result or by joining a computation in flight. */
  readonly hits: number;
  /** Calls that started a computation. */
  readonly misses: number;
  /** The configured bound (`Infinity` when unbounded). */
  readonly maxsize: number;
  /** Entries held now: stored results and computations in flight (expired ones excluded). */
  readonly currsize: number;
}

/** The function returned by {@link lruCache}: the cached function and its cache controls. */
export interface LruCached<A extends unknown[], R> {
  (...args: A): Promise<R>;
  /** Hits, misses, bound and size. */
  cacheInfo(): CacheInfo;
  /** Drops every entry and resets the statistics; computations in flight finish for their callers but are not stored. */
  cacheClear(): void;
  /** Drops the entry for these arguments; returns whether there was one. */
  cacheInvalidate(...args: A): boolean;
}

interface Entry<R> {
  readonly key: unknown;
  readonly promise: Promise<R>;
  done: boolean;
  value: R | undefined;
  expiresAt: number;
}

function parseMaxsize(value: unknown): number {
  if (value === undefined) return 128;
  if (value === null || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (typeof value !== 'number') throw invalidType('options.maxsize', 'a number or null', value);
  if (!Number.isInteger(value) || value < 0) {
    throw invalidRange('options.maxsize', 'an integer ≥ 0, Infinity or null', value);
  }
  return value;
}

function parseExpireAfter(value: unknown): number {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  validateDuration(value, 'options.expireAfter');
  return value;
}

/**
 * Memoizes an async function with a least-recently-used cache (aiotools' `lru_cache`, that
 * is async_lru's `alru_cache`).
 *
 * - Concurrent calls with the same key share one computation.
 * - The computation runs detached from the caller's cancel scope: a caller that is cancelled
 *   stops waiting (its call rejects with the reason) but the computation goes on and its
 *   result is cached for the next caller. A call in an already cancelled scope rejects at once,
 *   unless a finished result is stored (answering it involves no waiting).
 * - Errors are not cached: every caller waiting on the failed computation gets the error, the
 *   next call computes again.
 * - `expireAfter` counts from completion, on `currentClock()`, checked lazily.
 * - Keys: by default primitives by value and objects by identity (two equal-looking objects
 *   are different keys); pass `key` to key by content, e.g. `key: (q) => JSON.stringify(q)`.
 * - `this` is not forwarded: cache a bound function, or one cache per instance.
 *
 * @param fn - the function to cache (sync or async)
 * @param options - `maxsize` (default 128), `expireAfter` (ms, default never), `key`
 * @returns the cached function with `cacheInfo()`, `cacheClear()` and `cacheInvalidate()`
 * @throws TypeError/RangeError for an invalid `fn` or option
 * @example
 * ```ts
 * import { lruCache } from '@aiotools/func';
 *
 * const getUser = lruCache((id: number) => fetchUser(id), {
 *   maxsize: 1000,
 *   expireAfter: 60_000,
 * });
 * const [a, b] = await Promise.all([getUser(1), getUser(1)]); // one call of fetchUser
 * console.log(a === b); // true
 * console.log(getUser.cacheInfo()); // { hits: 1, misses: 1, maxsize: 1000, currsize: 1 }
 * ```
 */
export function lruCache<A extends unknown[], R>(
  fn: (...args: A) => PromiseLike<R> | R,
  options?: LruCacheOptions<A>,
): LruCached<A, R> {
  validateFunction(fn, 'fn');
  validateOptions(options, 'options');
  const maxsize = parseMaxsize(options?.maxsize);
  const expireAfter = parseExpireAfter(options?.expireAfter);
  const keyOf = options?.key;
  if (keyOf !== undefined) validateFunction(keyOf, 'options.key');

  // Map iteration order is the recency order: a hit moves its entry to the end.
  const entries = new Map<unknown, Entry<R>>();
  // Finished entries in completion order, which is also their expiry order.
  const expiring = new Set<Entry<R>>();
  let hits = 0;
  let misses = 0;

  const remove = (entry: Entry<R>): void => {
    if (entries.get(entry.key) === entry) entries.delete(entry.key);
    expiring.delete(entry);
  };

  const purgeExpired = (): void => {
    if (expiring.size === 0) return;
    const now = currentClock().now();
    for (const entry of expiring) {
      if (entry.expiresAt > now) break;
      remove(entry);
    }
  };

  const touch = (entry: Entry<R>): void => {
    entries.delete(entry.key);
    entries.set(entry.key, entry);
  };

  const compute = (args: A): Promise<R> => {
    try {
      // Outside every scope the call is detached already; inside one, a fresh root node makes
      // the computation immune to the caller's cancellation.
      const result =
        currentNode() === undefined
          ? fn(...args)
          : new CancelNode(undefined, { kind: 'cache', name: fn.name }).run(() => fn(...args));
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const start = (key: unknown, args: A): Entry<R> => {
    const promise = compute(args).then(
      (value) => {
        entry.done = true;
        entry.value = value;
        if (entries.get(key) === entry && expireAfter !== Number.POSITIVE_INFINITY) {
          entry.expiresAt = currentClock().now() + expireAfter;
          expiring.add(entry);
        }
        return value;
      },
      (error: unknown) => {
        remove(entry);
        throw error;
      },
    );
    // Every waiter may have been cancelled: the failure is theirs, never an unhandled rejection.
    promise.then(undefined, () => undefined);
    const entry: Entry<R> = {
      key,
      promise,
      done: false,
      value: undefined,
      expiresAt: Number.POSITIVE_INFINITY,
    };
    entries.set(key, entry);
    for (const oldest of entries.values()) {
      if (entries.size <= maxsize) break;
      remove(oldest);
    }
    return entry;
  };

  const cached = (...args: A): Promise<R> => {
    let key: unknown;
    try {
      key = keyOf === undefined ? defaultKey(args) : keyOf(...args);
    } catch (error) {
      return Promise.reject(error);
    }
    purgeExpired();
    const found = entries.get(key);
    if (found?.done) {
      hits++;
      touch(found);
      return Promise.resolve(found.value as R);
    }
    return cancellable<R>((resolve, reject) => {
      let entry = found;
      if (entry === undefined) {
        misses++;
        entry = start(key, args);
      } else {
        hits++;
        touch(entry);
      }
      entry.promise.then(resolve, reject);
    });
  };

  return Object.defineProperties(cached as LruCached<A, R>, {
    name: { value: fn.name, configurable: true },
    cacheInfo: {
      value: (): CacheInfo => {
        purgeExpired();
        return { hits, misses, maxsize, currsize: entries.size };
      },
    },
    cacheClear: {
      value: (): void => {
        entries.clear();
        expiring.clear();
        hits = 0;
        misses = 0;
      },
    },
    cacheInvalidate: {
      value: (...args: A): boolean => {
        const key = keyOf === undefined ? defaultKey(args) : keyOf(...args);
        purgeExpired();
        const entry = entries.get(key);
        if (entry === undefined) return false;
        remove(entry);
        return true;
      },
    },
  });
}
