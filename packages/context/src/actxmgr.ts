import { describeValue, validateFunction } from '@aiotools/core/internal';
import type { AsyncContextManager } from './async-context-manager.js';
import { chainCleanupError } from './suppressed-error.js';

type State = 'new' | 'entering' | 'entered' | 'exiting' | 'done';

class GeneratorContextManager<A extends unknown[], T> implements AsyncContextManager<T> {
  readonly #fn: (...args: A) => AsyncGenerator<T, void, unknown>;
  readonly #args: A;
  #gen: AsyncGenerator<T, void, unknown> | undefined;
  #state: State = 'new';

  constructor(fn: (...args: A) => AsyncGenerator<T, void, unknown>, args: A) {
    this.#fn = fn;
    this.#args = args;
  }

  get [Symbol.toStringTag](): string {
    return 'GeneratorContextManager';
  }

  async enter(): Promise<T> {
    if (this.#state !== 'new') {
      throw new Error(
        `${this.#label()}: a context manager made by actxmgr can be entered only once`,
      );
    }
    this.#state = 'entering';
    try {
      const gen = this.#fn(...this.#args);
      if (typeof (gen as Partial<AsyncGenerator> | null)?.next !== 'function') {
        throw new TypeError(
          `Expected ${this.#label()} to be an async generator function, it returned ${describeValue(gen)}`,
        );
      }
      this.#gen = gen;
      const step = await gen.next();
      if (step.done) throw new Error(`${this.#label()}: the generator didn't yield`);
      this.#state = 'entered';
      return step.value;
    } finally {
      if (this.#state === 'entering') this.#state = 'done';
    }
  }

  async exit(...error: [] | [error: unknown]): Promise<boolean> {
    if (this.#state !== 'entered') {
      throw new Error(`${this.#label()}: exit() called on a context manager that is not entered`);
    }
    this.#state = 'exiting';
    const gen = this.#gen!;
    try {
      if (error.length === 0) {
        const step = await gen.next();
        if (step.done) return false;
        return await this.#close(gen, "the generator didn't stop");
      }
      const [thrown] = error;
      let step: IteratorResult<T, void>;
      try {
        step = await gen.throw(thrown);
      } catch (raised) {
        // The body's error coming back unchanged means "not handled": the caller re-throws
        // its own reference, so identity and cause chain are kept. Anything else replaces it.
        if (raised === thrown) return false;
        throw raised;
      }
      // Returning after the throw means the generator caught the error: suppress it.
      if (step.done) return true;
      return await this.#close(gen, "the generator didn't stop after throw()");
    } finally {
      this.#state = 'done';
    }
  }

  async #close(gen: AsyncGenerator<T, void, unknown>, problem: string): Promise<never> {
    const error = new Error(`${this.#label()}: ${problem}`);
    try {
      await gen.return(undefined);
    } catch (cleanup) {
      throw chainCleanupError(true, error, cleanup);
    }
    throw error;
  }

  #label(): string {
    return `actxmgr(${this.#fn.name || 'anonymous'})`;
  }
}

/**
 * Turns an async generator function into a factory of async context managers, like Python's
 * `@asynccontextmanager`: the code before `yield` is the enter, the yielded value goes to the
 * body, the code after it is the exit.
 *
 * Full `async with` semantics under {@link withContext}: when the body throws, the error is
 * thrown into the generator at its `yield`. The generator may catch it and return (the error
 * is suppressed and `withContext` resolves `undefined`), let it propagate (the very same error
 * object comes out, cause chain intact), or throw another error (which replaces it, with the
 * `cause` the generator gave it). Wrap the `yield` in `try/finally` for cleanup that must run
 * on errors too. Each manager can be entered once.
 *
 * @param fn - an async generator function that yields exactly once
 * @returns a function taking `fn`'s arguments and returning a fresh {@link AsyncContextManager}
 * @throws TypeError when `fn` is not a function. `enter()` rejects with an Error when the
 * generator returns without yielding ("didn't yield"), `exit()` when it yields again ("didn't
 * stop"; the generator is then closed with `return()`).
 * @example
 * ```ts
 * import { actxmgr, withContext } from '@aiotools/context';
 *
 * const connection = actxmgr(async function* (url: string) {
 *   const db = await connect(url);
 *   try {
 *     yield db;
 *   } finally {
 *     await db.close();
 *   }
 * });
 *
 * const rows = await withContext(connection('postgres://…'), (db) => db.query('SELECT 1'));
 * ```
 */
export function actxmgr<A extends unknown[], T>(
  fn: (...args: A) => AsyncGenerator<T, void, unknown>,
): (...args: A) => AsyncContextManager<T> {
  validateFunction(fn, 'fn');
  const factory = (...args: A): AsyncContextManager<T> => new GeneratorContextManager(fn, args);
  Object.defineProperty(factory, 'name', { value: fn.name, configurable: true });
  return factory;
}
