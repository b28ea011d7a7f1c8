import { availableParallelism } from 'node:os';
import { validateInteger, validateOptions } from '@aiotools/core/internal';
import type { Executor, ExecutorOptions } from './executor.js';
import { ExecutorPool } from './executor-pool.js';

/**
 * Creates a pool of worker threads that run exported functions of modules (hat.aio's
 * `create_executor`, with threads instead of a thread pool of the same interpreter). Threads
 * start on demand, up to `options.threads`, and are reused; calls beyond that wait in a FIFO
 * queue. Idle threads do not keep the process alive; close the executor (`close()` or
 * `await using`) to end them.
 *
 * @throws TypeError / RangeError for invalid options (before any thread exists)
 * @example
 * ```ts
 * import { createExecutor } from '@aiotools/fork';
 *
 * await using executor = createExecutor({ threads: 2 });
 * const digest = await executor.run<string>(new URL('./digest.js', import.meta.url), {
 *   args: ['some text'],
 * });
 * ```
 */
export function createExecutor(options?: ExecutorOptions): Executor {
  validateOptions(options, 'options');
  const threads = options?.threads ?? availableParallelism();
  validateInteger(threads, 'options.threads', { min: 1 });
  return new ExecutorPool(threads);
}
