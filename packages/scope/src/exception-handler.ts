import type { Task } from '@aiotools/core';

/** What an exception handler of a {@link TaskScope} or {@link Group} receives. */
export interface TaskErrorContext {
  /** A sentence naming the task and its scope. */
  readonly message: string;
  /** What the task threw. */
  readonly error: unknown;
  /** The failed task. */
  readonly task: Task<unknown>;
}

/**
 * Receives the failures of the children of a `TaskScope`, `Supervisor` or `Group`;
 * `null` drops them silently.
 *
 * @example
 * ```ts
 * import { TaskScope, type ExceptionHandler } from '@aiotools/scope';
 *
 * const log: ExceptionHandler = ({ message, error }) => console.error(message, error);
 * await TaskScope.run(async (ts) => ts.spawn(work), { exceptionHandler: log });
 * ```
 */
export type ExceptionHandler = (context: TaskErrorContext) => void;

/**
 * Hands a child failure to `handler`; `undefined` means the default, a process warning
 * (`process.emitWarning`, type `TaskError`) naming the task. A handler that throws (or rejects) is
 * reported the same way instead of breaking the scope.
 */
export function reportTaskError(
  handler: ExceptionHandler | null | undefined,
  message: string,
  error: unknown,
  task: Task<unknown>,
): void {
  if (handler === null) return;
  if (handler !== undefined) {
    const failed = (handlerError: unknown) =>
      warn(`The exception handler failed while handling: ${message}`, handlerError);
    try {
      // An async handler is allowed by the type; its rejection is reported, never unhandled.
      const result: unknown = handler({ message, error, task });
      if (typeof (result as PromiseLike<unknown> | null)?.then === 'function')
        (result as PromiseLike<unknown>).then(undefined, failed);
    } catch (handlerError) {
      failed(handlerError);
    }
    return;
  }
  warn(message, error);
}

function warn(message: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  process.emitWarning(message, { type: 'TaskError', detail });
}
