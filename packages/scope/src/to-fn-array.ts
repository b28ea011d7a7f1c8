import { invalidType, validateFunction } from '@aiotools/core/internal';
import type { TaskFn } from './task-fn.js';

/** Copies an iterable of task functions, checking each. */
export function toFnArray<T>(fns: Iterable<TaskFn<T>>, name: string): TaskFn<T>[] {
  if (typeof (fns as Iterable<unknown> | null)?.[Symbol.iterator] !== 'function')
    throw invalidType(name, 'an iterable of functions', fns);
  const list = [...fns];
  list.forEach((fn, i) => {
    validateFunction(fn, `${name}[${i}]`);
  });
  return list;
}
