import type { AsyncContextManager } from './async-context-manager.js';

/**
 * What {@link aclosing} and {@link closingAsync} return: the wrapped object as `value`, closed
 * when the handle is disposed (`await using`) or exited (`withContext`). Closing happens once.
 */
export interface ClosingHandle<T> extends AsyncDisposable, AsyncContextManager<T> {
  /** The wrapped object. */
  readonly value: T;
}

/** Builds a handle that runs `close` once, on dispose or exit. */
export function closingHandle<T>(value: T, close: () => unknown): ClosingHandle<T> {
  let closing: Promise<void> | undefined;
  const dispose = (): Promise<void> => {
    closing ??= (async () => {
      await close();
    })();
    return closing;
  };
  return {
    value,
    enter: async () => value,
    exit: async () => {
      await dispose();
      return false;
    },
    [Symbol.asyncDispose]: dispose,
  };
}
