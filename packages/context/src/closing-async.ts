import { validateFunction } from '@aiotools/core/internal';
import { type ClosingHandle, closingHandle } from './closing-handle.js';

/**
 * Wraps an object with an async `close()` so that it is closed when the block ends:
 * aiotools' `closing_async`. Works with `await using` and with {@link withContext} (the
 * entered value is the object itself).
 *
 * @param obj - anything with a `close()` method; its promise is awaited
 * @returns a handle whose `value` is `obj`; disposing or exiting it calls `obj.close()` once
 * @throws TypeError when `obj.close` is not a function
 * @example
 * ```ts
 * import { closingAsync } from '@aiotools/context';
 *
 * await using server = closingAsync(await startServer());
 * await server.value.listen(8080);
 * ```
 */
export function closingAsync<T extends { close(): unknown }>(obj: T): ClosingHandle<T> {
  validateFunction((obj as Partial<T> | null | undefined)?.close, 'obj.close');
  return closingHandle(obj, () => obj.close());
}
