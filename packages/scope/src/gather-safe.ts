import { scopeNodeOf } from './scope-node.js';
import { Supervisor } from './supervisor.js';
import type { TaskFn } from './task-fn.js';
import type { TaskHandle } from './task-handle.js';
import { toFnArray } from './to-fn-array.js';

/**
 * Runs every function as a task of one scope and waits for all of them, whatever fails
 * (aiotools' `gather_safe`, shaped like `Promise.allSettled`). A cancelled task counts as
 * rejected with its cancellation. When the caller is cancelled, the tasks are cancelled and
 * awaited and the cancellation is thrown (partial results are lost).
 *
 * @returns one settled result per function, in input order
 * @throws TypeError (as a rejection) for an argument that is not an iterable of functions
 * @example
 * ```ts
 * import { gatherSafe } from '@aiotools/scope';
 *
 * const results = await gatherSafe([() => fetchA(), () => fetchB()]);
 * for (const r of results) if (r.status === 'rejected') console.warn(r.reason);
 * ```
 */
export async function gatherSafe<T>(fns: Iterable<TaskFn<T>>): Promise<PromiseSettledResult<T>[]> {
  const list = toFnArray(fns, 'fns');
  let tasks: TaskHandle<T>[] = [];
  await Supervisor.run((sv) => {
    tasks = scopeNodeOf(sv)!.spawnAll(list);
  });
  return tasks.map(
    (task): PromiseSettledResult<T> =>
      task.state === 'fulfilled'
        ? { status: 'fulfilled', value: task.result() }
        : { status: 'rejected', reason: task.exception() },
  );
}
