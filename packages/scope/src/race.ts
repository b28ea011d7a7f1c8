import { ExceptionGroup } from '@aiotools/core';
import { invalidRange, validateBoolean, validateOptions } from '@aiotools/core/internal';
import { asCompletedSafe } from './as-completed-safe.js';
import type { TaskFn } from './task-fn.js';
import type { TaskHandle } from './task-handle.js';
import { toFnArray } from './to-fn-array.js';

/** Options of {@link race}. */
export interface RaceOptions {
  /**
   * Keep going when a function fails, until one succeeds; the failures are returned beside
   * the winner's value. @default false
   */
  readonly continueOnError?: boolean | undefined;
}

/**
 * Runs the functions concurrently and returns the value of the first to succeed (aiotools'
 * `race`). The others are cancelled and awaited before `race` returns, so their cleanup is
 * part of its duration.
 *
 * @returns `[value, errors]`: the winner's value and the failures collected before it
 * (always empty without `continueOnError`)
 * @throws the first failure (without `continueOnError`); an `ExceptionGroup` of every
 * failure when all failed (with it); RangeError for an empty input; TypeError for bad
 * arguments — all as rejections
 * @example
 * ```ts
 * import { race } from '@aiotools/scope';
 *
 * const [fastest] = await race([() => fetch(mirrorA), () => fetch(mirrorB)]);
 * ```
 */
export async function race<T>(
  fns: Iterable<TaskFn<T>>,
  options?: RaceOptions,
): Promise<[T, unknown[]]> {
  validateOptions(options, 'options');
  validateBoolean(options?.continueOnError, 'options.continueOnError');
  const list = toFnArray(fns, 'fns');
  if (list.length === 0) throw invalidRange('fns', 'a non-empty iterable of functions', list);
  const continueOnError = options?.continueOnError ?? false;
  const errors: unknown[] = [];
  for await (const task of asCompletedSafe(list)) {
    const handle = task as TaskHandle<T>;
    if (handle.state === 'fulfilled') return [handle.result(), errors];
    if (!continueOnError) throw handle.exception();
    errors.push(handle.exception());
  }
  throw new ExceptionGroup(errors, 'Every function failed in race()');
}
