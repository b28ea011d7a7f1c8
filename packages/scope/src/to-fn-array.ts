import type { TaskFn } from './task-fn.js';

/** Copies an iterable of task functions, checking each. @internal */
export function toFnArray<T>(fns: Iterable<TaskFn<T>>, name: string): TaskFn<T>[] {
  if (fns === null || typeof (fns as Iterable<unknown>)?.[Symbol.iterator] !== 'function') {
    throw new TypeError(
      `Expected \`${name}\` to be an iterable of functions, got \`${String(fns)}\``,
    );
  }
  const list = [...fns];
  list.forEach((fn, i) => {
    if (typeof fn !== 'function')
      throw new TypeError(`Expected \`${name}[${i}]\` to be a function, got \`${String(fn)}\``);
  });
  return list;
}
