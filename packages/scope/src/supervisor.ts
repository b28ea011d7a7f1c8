import type { ExceptionHandler } from './exception-handler.js';
import { TaskScope } from './task-scope.js';

/**
 * A {@link TaskScope} whose children's failures are dropped unless an `exceptionHandler` is
 * given: the Kotlin `supervisorScope`, or `Promise.allSettled` with structure. It keeps no
 * result and no error of a settled child, so it can run any number of tasks in constant
 * memory; observe outcomes through the task handles.
 *
 * @example
 * ```ts
 * import { Supervisor } from '@aiotools/scope';
 *
 * await Supervisor.run(async (sv) => {
 *   for (const job of jobs) sv.spawn(() => job.run());
 * });
 * ```
 */
export class Supervisor extends TaskScope {
  /** @internal */
  protected override _defaultHandler(
    handler: ExceptionHandler | null | undefined,
  ): ExceptionHandler | null {
    return handler ?? null;
  }
}
