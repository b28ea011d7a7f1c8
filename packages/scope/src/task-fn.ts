/**
 * The body of a task. It receives the task's `AbortSignal` when it declares a parameter
 * (`fn.length > 0`); a body without parameters gets no signal object, which saves creating
 * one per task. Either way the task is the ambient scope of the body, so every waiting call
 * of the family (and `currentSignal()`) sees its cancellation.
 *
 * @example
 * ```ts
 * import type { TaskFn } from '@aiotools/scope';
 *
 * const download: TaskFn<Response> = (signal) => fetch('https://example.com', { signal });
 * ```
 */
export type TaskFn<T> = (signal: AbortSignal) => Promise<T> | T;
