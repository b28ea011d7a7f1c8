/**
 * Where a task is in its life: `'running'`; `'cancelling'` (running, but cancelled: it meets
 * the cancellation at its next checkpoint); then, once settled, `'fulfilled'` (it returned a
 * value), `'rejected'` (it threw) or `'cancelled'` (it ended by its own cancellation).
 *
 * @example
 * ```ts
 * import type { Task, TaskState } from '@aiotools/core';
 *
 * const settled: ReadonlySet<TaskState> = new Set(['fulfilled', 'rejected', 'cancelled']);
 * const isSettled = (task: Task<unknown>) => settled.has(task.state);
 * ```
 */
export type TaskState = 'running' | 'cancelling' | 'fulfilled' | 'rejected' | 'cancelled';

/**
 * A handle to a running task, as returned by `TaskGroup.spawn` and friends. Declared in
 * core so that `@aiotools/cancel` can take tasks without depending on `@aiotools/scope`.
 * Awaiting it gives the task's value or throws its error.
 *
 * @example
 * ```ts
 * import type { Task } from '@aiotools/core';
 *
 * function report(task: Task<unknown>): string {
 *   if (!task.done) return `${task.name}: running`;
 *   return task.cancelled() ? `${task.name}: cancelled` : `${task.name}: finished`;
 * }
 * ```
 */
export interface Task<T> extends PromiseLike<T> {
  /** The name given at spawn, or a generated one. */
  readonly name: string;
  /** Aborts when the task is cancelled (created on first read). */
  readonly signal: AbortSignal;
  /** Requests cancellation; `false` when the task is already done. Not a checkpoint. */
  cancel(reason?: unknown): boolean;
  /** Where the task is in its life: see {@link TaskState}. */
  readonly state: TaskState;
  /** The task has settled. */
  readonly done: boolean;
  /** The task ended by its own cancellation. */
  cancelled(): boolean;
  /** The value; throws the task's error, or an Error when the task is not done yet. */
  result(): T;
  /** The task's error, `undefined` when none (or not done). */
  exception(): unknown;
}
