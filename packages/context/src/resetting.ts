import { invalidType } from '@aiotools/core/internal';
import type { ContextVar } from './context-var.js';

/**
 * Sets `v` to `value` and returns a handle that restores the previous value when disposed:
 * aiotools' `resetting` for `using` blocks.
 *
 * It relies on {@link ContextVar.set}, so it is exact when the block has no `await` (the
 * value is then seen by everything started inside, and by nothing after). Across awaits in
 * an async function the value leaks to the caller (see `set()`); use {@link ContextVar.run}
 * there. Disposing twice restores once.
 *
 * @returns a `Disposable` (also usable with `await using`)
 * @example
 * ```ts
 * import { ContextVar, resetting } from '@aiotools/context';
 *
 * const verbose = new ContextVar('verbose', { default: false });
 * {
 *   using _ = resetting(verbose, true);
 *   startBackgroundJob(); // sees verbose = true for its whole life
 * }
 * verbose.get(); // false
 * ```
 */
export function resetting<T>(v: ContextVar<T>, value: T): Disposable {
  if (typeof (v as Partial<ContextVar<T>> | null)?.set !== 'function') {
    throw invalidType('v', 'a ContextVar', v);
  }
  const token = v.set(value);
  let restored = false;
  return {
    [Symbol.dispose](): void {
      if (restored) return;
      restored = true;
      v.reset(token);
    },
  };
}
