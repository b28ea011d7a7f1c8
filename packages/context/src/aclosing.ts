import { invalidType } from '@aiotools/core/internal';
import { type ClosingHandle, closingHandle } from './closing-handle.js';

/**
 * Makes sure an async iterator is closed (its `return()` called, which runs an async
 * generator's `finally` blocks) when the block ends, whether it ran to the end, broke off or
 * failed. Python's `contextlib.aclosing`.
 *
 * Works with `await using` and with {@link withContext} (the entered value is the iterator).
 * Objects without `return()` are accepted and left alone.
 *
 * @param it - an async generator or iterator
 * @returns a handle whose `value` is `it`; disposing or exiting it calls `it.return()` once
 * @throws TypeError when `it` is not an object
 * @example
 * ```ts
 * import { aclosing } from '@aiotools/context';
 *
 * await using lines = aclosing(readLines(file));
 * for await (const line of lines.value) {
 *   if (line === '') break;
 * }
 * ```
 */
export function aclosing<T extends { return?(value?: unknown): unknown }>(it: T): ClosingHandle<T> {
  if ((typeof it !== 'object' && typeof it !== 'function') || it === null) {
    throw invalidType('it', 'an async iterator', it);
  }
  return closingHandle(it, () => it.return?.());
}
