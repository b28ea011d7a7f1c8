import { invalidType, validateFunction } from '@aiotools/core/internal';
import type { AsyncContextManager } from './async-context-manager.js';
import { chainCleanupError } from './suppressed-error.js';
import { validateContextManager } from './validate-context-manager.js';

/** One registered exit: gets the pending error (if any) and may return true to suppress it. */
type Exit = (...error: [] | [error: unknown]) => unknown;

/**
 * A stack of cleanups run in reverse order (LIFO): Python's `contextlib.AsyncExitStack`,
 * shaped so that it also works like the standard `AsyncDisposableStack`.
 *
 * - {@link AsyncExitStack.enterAsyncContext} enters a context manager and pushes its exit,
 *   which sees the pending error and may suppress it; {@link AsyncExitStack.pushAsyncExit}
 *   pushes such an exit function directly.
 * - {@link AsyncExitStack.pushAsyncCallback}, {@link AsyncExitStack.callback} and
 *   {@link AsyncExitStack.defer} push plain cleanups (awaited; they cannot suppress).
 * - {@link AsyncExitStack.use} takes anything with `Symbol.asyncDispose` or `Symbol.dispose`
 *   (another stack, an `AsyncDisposableStack`, a task scope…); {@link AsyncExitStack.adopt}
 *   pairs a value with its cleanup.
 *
 * Closing ({@link AsyncExitStack.aclose}, `await using`, or the exit of {@link withContext})
 * runs every cleanup even when some fail. Error chaining follows `await using`: when a cleanup
 * throws while an error is pending, a `SuppressedError` is made with the new error as `error`
 * and the pending one as `suppressed` (the runtime's class on Node 24, the package's
 * {@link SuppressedError} on Node 20/22). The stack is itself an `AsyncDisposable` and an
 * {@link AsyncContextManager} (entering yields the stack). Once closed it stays closed: adding
 * to it throws a `ReferenceError`, closing again does nothing.
 *
 * @example
 * ```ts
 * import { AsyncExitStack } from '@aiotools/context';
 *
 * await using stack = new AsyncExitStack();
 * const conns = await Promise.all(urls.map((url) => stack.enterAsyncContext(database(url))));
 * stack.callback(() => console.log('all connections closed'));
 * await work(conns);
 * // on leaving the block: the callback, then each connection's exit, in reverse order
 * ```
 */
export class AsyncExitStack implements AsyncDisposable, AsyncContextManager<AsyncExitStack> {
  #exits: Exit[] = [];
  #closed = false;
  #closing: Promise<boolean> | undefined;

  get [Symbol.toStringTag](): string {
    return 'AsyncExitStack';
  }

  /** True once the stack was closed (or moved). */
  get disposed(): boolean {
    return this.#closed;
  }

  /**
   * Enters `cm` and pushes its exit, which will receive the pending error and may suppress it.
   *
   * @returns what `cm.enter()` resolved to
   * @throws TypeError (as a rejection) when `cm` is not a context manager; ReferenceError when
   * the stack is closed; whatever `enter()` throws (nothing is pushed then)
   */
  async enterAsyncContext<T>(cm: AsyncContextManager<T>): Promise<T> {
    validateContextManager(cm, 'cm');
    this.#assertOpen();
    const value = await cm.enter();
    this.#push((...error) => cm.exit(...error));
    return value;
  }

  /**
   * Pushes an exit function or an entered context manager's exit: it is called with the
   * pending error (no argument when there is none) and may return `true` to suppress it.
   *
   * @returns its argument, so that it can be used as a decorator-like one-liner
   */
  pushAsyncExit<
    E extends ((...error: [] | [error: unknown]) => unknown) | AsyncContextManager<unknown>,
  >(exit: E): E {
    if (typeof exit === 'function') {
      this.#push(exit);
    } else {
      validateContextManager(exit, 'exit');
      this.#push((...error) => exit.exit(...error));
    }
    return exit;
  }

  /**
   * Pushes `fn(...args)`, awaited at close. It does not see the pending error and cannot
   * suppress it.
   *
   * @returns `fn`
   */
  pushAsyncCallback<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): typeof fn {
    validateFunction(fn, 'fn');
    this.#push(async () => {
      await fn(...args);
    });
    return fn;
  }

  /**
   * Python's `ExitStack.callback`: same as {@link AsyncExitStack.pushAsyncCallback} (a
   * returned promise is awaited too, so an async function never escapes unobserved).
   *
   * @returns `fn`
   */
  callback<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): typeof fn {
    return this.pushAsyncCallback(fn, ...args);
  }

  /** `AsyncDisposableStack.defer`: pushes `onDispose`, awaited at close. */
  defer(onDispose: () => unknown): void {
    this.pushAsyncCallback(onDispose);
  }

  /**
   * `AsyncDisposableStack.use`: pushes the disposal of `value` (its `Symbol.asyncDispose`, else
   * its `Symbol.dispose`). `null` and `undefined` are accepted and ignored.
   *
   * @returns `value`
   * @throws TypeError when `value` is neither disposable nor null/undefined
   */
  use<T extends AsyncDisposable | Disposable | null | undefined>(value: T): T {
    if (value === null || value === undefined) return value;
    const target = value as Partial<AsyncDisposable & Disposable>;
    const dispose = target[Symbol.asyncDispose] ?? target[Symbol.dispose];
    if (typeof dispose !== 'function') {
      throw invalidType(
        'value',
        'an object with a Symbol.asyncDispose or Symbol.dispose method, null or undefined',
        value,
      );
    }
    this.#assertOpen();
    this.#push(async () => {
      await dispose.call(value);
    });
    return value;
  }

  /** `AsyncDisposableStack.adopt`: pushes `onDispose(value)`, awaited at close. @returns `value` */
  adopt<T>(value: T, onDispose: (value: T) => unknown): T {
    this.pushAsyncCallback(onDispose, value);
    return value;
  }

  /**
   * Moves every pending cleanup to a new stack and marks this one closed (the
   * `AsyncDisposableStack.move` semantics; Python's `pop_all` leaves the old stack open).
   *
   * @throws ReferenceError when the stack is closed
   */
  move(): AsyncExitStack {
    this.#assertOpen();
    // `this.constructor`, not the class's name: a class that names itself in its body is
    // renamed by the bundler.
    const moved = new (this.constructor as new () => this)();
    moved.#exits = this.#exits;
    this.#exits = [];
    this.#closed = true;
    return moved;
  }

  /**
   * Runs every cleanup, most recent first, and marks the stack closed. A second call waits for
   * the first to finish (without its error).
   *
   * @throws the cleanup error, or a `SuppressedError` chain when several failed
   */
  async aclose(): Promise<void> {
    await this.exit();
  }

  /** `AsyncDisposableStack.disposeAsync`: same as {@link AsyncExitStack.aclose}. */
  disposeAsync(): Promise<void> {
    return this.aclose();
  }

  /** Same as {@link AsyncExitStack.aclose}: `await using stack = new AsyncExitStack()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.aclose();
  }

  /** As a context manager, the stack enters as itself. */
  async enter(): Promise<AsyncExitStack> {
    this.#assertOpen();
    return this;
  }

  /**
   * Unwinds the stack with the pending error of a body (no argument: none). Each exit pushed
   * with `enterAsyncContext`/`pushAsyncExit` sees the error pending at that point; one that
   * returns `true` suppresses it. A cleanup that throws makes its error pending (chained with a
   * `SuppressedError` when one was pending already).
   *
   * @returns true when the body's error was suppressed
   * @throws the pending error when it did not come from the body
   */
  exit(...error: [] | [error: unknown]): Promise<boolean> {
    if (this.#closing !== undefined)
      return this.#closing.then(
        () => false,
        () => false,
      );
    if (this.#closed) return Promise.resolve(false);
    this.#closing = this.#unwind(error);
    return this.#closing;
  }

  async #unwind(error: [] | [error: unknown]): Promise<boolean> {
    const received = error.length > 0;
    let pending = error;
    let raised = false;
    let suppressed = false;
    try {
      for (let exit = this.#exits.pop(); exit !== undefined; exit = this.#exits.pop()) {
        try {
          if (await exit(...pending)) {
            pending = [];
            raised = false;
            suppressed = true;
          }
        } catch (thrown) {
          pending = [chainCleanupError(pending.length > 0, pending[0], thrown)];
          raised = true;
        }
      }
    } finally {
      this.#closed = true;
    }
    if (raised) throw pending[0];
    return received && suppressed;
  }

  #push(exit: Exit): void {
    this.#assertOpen();
    this.#exits.push(exit);
  }

  #assertOpen(): void {
    if (this.#closed) throw new ReferenceError('The AsyncExitStack is already closed');
  }
}
