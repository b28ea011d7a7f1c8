/** True for promises and other objects with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** True for `async function` and `async` arrow functions (not for functions returning promises). */
export function isAsyncFunction(fn: Function): boolean {
  const tag = Object.prototype.toString.call(fn);
  return tag === '[object AsyncFunction]' || tag === '[object AsyncGeneratorFunction]';
}

/** Marks a promise as handled: its rejection is reported some other way. */
export function ignoreRejection(value: PromiseLike<unknown>): void {
  Promise.resolve(value).then(undefined, () => undefined);
}
