import { validateFunction } from '@aiotools/core/internal';
import type { AsyncContextManager } from './async-context-manager.js';
import { validateContextManager } from './validate-context-manager.js';

/**
 * Python's `async with cm as value: body(value)`: enters `cm`, runs `body` with the entered
 * value, and exits `cm` whatever happens.
 *
 * - The body finishes: `cm.exit()` runs (its result is ignored) and the body's result is
 *   returned.
 * - The body throws: `cm.exit(error)` runs. If it resolves truthy the error is suppressed and
 *   `withContext` resolves `undefined`; otherwise the body's error object is re-thrown as it is
 *   (same identity, same `cause`). If `exit` throws, that error replaces the body's.
 * - `cm.enter()` throws: the body does not run and `exit` is not called.
 *
 * Cancellation is not special-cased: a cancelled body's `CancelledError` goes to `exit` like
 * any error. In a cancelled scope every checkpoint throws again, so cleanup that must await
 * should run in a shield (`@aiotools/cancel`).
 *
 * @param cm - the context manager to enter
 * @param body - receives the entered value; may be sync or async
 * @returns the body's result, or `undefined` when `exit` suppressed the body's error
 * @throws TypeError (as a rejection) when `cm` is not a context manager or `body` not a function
 * @example
 * ```ts
 * import { mkdtemp, rm, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { actxmgr, withContext } from '@aiotools/context';
 *
 * const tempDir = actxmgr(async function* () {
 *   const dir = await mkdtemp(join(tmpdir(), 'x-'));
 *   try {
 *     yield dir;
 *   } finally {
 *     await rm(dir, { recursive: true });
 *   }
 * });
 * await withContext(tempDir(), async (dir) => writeFile(join(dir, 'a.txt'), 'hello'));
 * ```
 */
export async function withContext<T, R>(
  cm: AsyncContextManager<T>,
  body: (value: T) => R | PromiseLike<R>,
): Promise<R | undefined> {
  validateContextManager(cm, 'cm');
  validateFunction(body, 'body');
  const value = await cm.enter();
  let result: R;
  try {
    result = await body(value);
  } catch (error) {
    if (await cm.exit(error)) return undefined;
    throw error;
  }
  await cm.exit();
  return result;
}
