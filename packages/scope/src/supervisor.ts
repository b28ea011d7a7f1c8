import { TaskScope, type TaskScopeOptions } from './task-scope.js';

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
  /**
   * Opens a supervisor in the current ambient scope: the options of {@link TaskScope}, with
   * `exceptionHandler` defaulting to `null`.
   *
   * @throws TypeError/RangeError for bad options
   */
  constructor(options?: TaskScopeOptions) {
    super(droppingFailures(options));
  }
}

const DROP: TaskScopeOptions = Object.freeze({ exceptionHandler: null });

/** `options` with the supervisor's default handler, `null`; anything else is left to check. */
function droppingFailures(options: TaskScopeOptions | undefined): TaskScopeOptions | undefined {
  if (options === undefined) return DROP;
  if (typeof options !== 'object' || options === null || options.exceptionHandler !== undefined)
    return options;
  return {
    shield: options.shield,
    timeout: options.timeout,
    exceptionHandler: null,
    name: options.name,
  };
}
