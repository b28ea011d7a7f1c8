import type { AsyncContextManager } from './async-context-manager.js';
import { validateContextManager } from './validate-context-manager.js';

/** What {@link enterContext} resolves to: the entered value, and the exit as a dispose. */
export interface EnteredContext<T> extends AsyncDisposable {
  /** What `cm.enter()` resolved to. */
  readonly value: T;
}

/**
 * Enters `cm` and returns a handle for `await using`: `value` is what `enter()` produced, and
 * disposing the handle runs `cm.exit()`.
 *
 * The dispose cannot see an error of the block (`Symbol.asyncDispose` receives none), so the
 * exit always runs as a normal exit: a generator manager continues after its `yield` instead
 * of having the error thrown in, and nothing can be suppressed. Use {@link withContext} when
 * the manager must react to the body's error. Disposing twice exits once.
 *
 * @param cm - the context manager to enter
 * @returns the entered value with an async dispose that exits `cm`
 * @throws TypeError (as a rejection) when `cm` is not a context manager; whatever `enter()` throws
 * @example
 * ```ts
 * import { actxmgr, enterContext } from '@aiotools/context';
 *
 * const lock = actxmgr(async function* (name: string) {
 *   const handle = await acquire(name);
 *   try {
 *     yield handle;
 *   } finally {
 *     await handle.release();
 *   }
 * });
 *
 * await using held = await enterContext(lock('jobs'));
 * await work(held.value);
 * ```
 */
export async function enterContext<T>(cm: AsyncContextManager<T>): Promise<EnteredContext<T>> {
  validateContextManager(cm, 'cm');
  const value = await cm.enter();
  let exiting: Promise<void> | undefined;
  return {
    value,
    [Symbol.asyncDispose](): Promise<void> {
      exiting ??= cm.exit().then(() => undefined);
      return exiting;
    },
  };
}
