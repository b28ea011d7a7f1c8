/**
 * Options of `createExecutor`.
 *
 * @example
 * ```ts
 * import { createExecutor, type ExecutorOptions } from '@aiotools/fork';
 *
 * const options: ExecutorOptions = { threads: 2 };
 * await using executor = createExecutor(options);
 * ```
 */
export interface ExecutorOptions {
  /**
   * How many worker threads run calls at the same time: an integer ≥ 1. Threads start on
   * demand, up to this many.
   * @default os.availableParallelism()
   */
  readonly threads?: number | undefined;
}

/**
 * Options of `Executor.run`.
 *
 * @example
 * ```ts
 * import { createExecutor, type ExecutorRunOptions } from '@aiotools/fork';
 *
 * await using executor = createExecutor();
 * const options: ExecutorRunOptions = { exportName: 'add', args: [1, 2] };
 * const sum = await executor.run<number>('./math.js', options);
 * ```
 */
export interface ExecutorRunOptions {
  /**
   * The export of the module to call.
   * @default 'default'
   */
  readonly exportName?: string | undefined;
  /**
   * The arguments, spread into the call (`fn(...args)`); each is passed by structured clone,
   * taken when the call starts on a thread (a queued call sees later changes to them).
   * @default []
   */
  readonly args?: readonly unknown[] | undefined;
  /**
   * Cancels the call: it rejects with `signal.reason` as it is. A queued call is removed; a
   * running call's thread is terminated and replaced. The ambient scope cancels it too.
   * @default none: only the ambient scope
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A pool of worker threads that run exported functions of modules, made by `createExecutor`.
 * Calls beyond the number of threads wait in a FIFO queue. `close()` (or `await using`)
 * rejects the queued calls with `ExecutorClosedError`, lets the running ones finish, and
 * ends every thread.
 *
 * @example
 * ```ts
 * import { createExecutor } from '@aiotools/fork';
 *
 * await using executor = createExecutor({ threads: 4 });
 * const hashes = await Promise.all(
 *   ['a.txt', 'b.txt'].map((file) =>
 *     executor.run<string>(new URL('./hash.js', import.meta.url), { args: [file] }),
 *   ),
 * );
 * ```
 */
export interface Executor extends AsyncDisposable {
  /**
   * Calls `exportName` of the module `entry` (a path, resolved against the working
   * directory, or a URL: `file:`, `data:`…) with `...args` in one of the threads, and resolves
   * with its return value (awaited if it is a promise), passed back by structured clone. The
   * module is imported once per thread. An error the function throws rejects the call with that
   * error (its name, message, stack, cause and cloneable own properties such as `code`; not its
   * class). A missing or non-function export rejects with a TypeError; a failed import with the
   * import's error; a thread that exits or fails with an uncaught error while running the call
   * rejects it with an Error and is replaced.
   *
   * Cancelled by `options.signal` or the ambient scope, the call rejects with the reason as it
   * is: a queued call is removed, a running one's thread is terminated (a thread cannot be
   * interrupted) and a fresh one starts when a call needs it. Already cancelled, it rejects at
   * once without starting anything.
   *
   * @throws TypeError / RangeError (as a rejection) for an invalid argument;
   * `ExecutorClosedError` once the executor is closed
   * @example
   * ```ts
   * import { createExecutor } from '@aiotools/fork';
   *
   * await using executor = createExecutor();
   * const sum = await executor.run<number>('./math.js', {
   *   exportName: 'add',
   *   args: [1, 2],
   *   signal: AbortSignal.timeout(5_000),
   * });
   * ```
   */
  run<T>(entry: string | URL, options?: ExecutorRunOptions): Promise<T>;
  /**
   * Closes the executor: calls still queued reject with `ExecutorClosedError`, running calls
   * run to the end (cancel them to stop them sooner), then every thread is ended. Resolves once
   * no thread is left. Idempotent: every call returns the same promise.
   *
   * @example
   * ```ts
   * import { createExecutor } from '@aiotools/fork';
   *
   * const executor = createExecutor({ threads: 2 });
   * try {
   *   await executor.run('./job.js');
   * } finally {
   *   await executor.close();
   * }
   * ```
   */
  close(): Promise<void>;
  /**
   * The same as `close()`: `await using executor = createExecutor()` closes it at the end of
   * the block.
   *
   * @example
   * ```ts
   * import { createExecutor } from '@aiotools/fork';
   *
   * {
   *   await using executor = createExecutor();
   *   await executor.run('./job.js');
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>;
}
