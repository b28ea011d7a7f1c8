/**
 * The shape of an async context manager, Python's `__aenter__`/`__aexit__` pair: what
 * {@link withContext}, {@link AsyncExitStack.enterAsyncContext} and {@link actxgroup} take.
 *
 * `enter()` acquires the resource and returns the value the body works with. `exit()` releases
 * it: called with no argument after a normal exit, or with the body's error after a failure; it
 * returns `true` to suppress that error (the body then counts as having finished normally) and
 * throws to replace it.
 *
 * @example
 * ```ts
 * import { type AsyncContextManager, withContext } from '@aiotools/context';
 *
 * const connection: AsyncContextManager<Db> = {
 *   enter: () => Db.connect(url),
 *   exit: async () => { await db.close(); return false; },
 * };
 * await withContext(connection, (db) => db.query('SELECT 1'));
 * ```
 */
export interface AsyncContextManager<T> {
  /** Acquires the resource; the resolved value is handed to the body. */
  enter(): Promise<T>;
  /**
   * Releases the resource. No argument: the body finished normally. One argument: the body
   * threw it. Resolve `true` to suppress that error; throw to replace it.
   */
  exit(...error: [] | [error: unknown]): Promise<boolean>;
}
