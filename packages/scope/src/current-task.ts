import { currentNode, type Task } from '@aiotools/core';
import { hasBrand, TASK_NODE } from './shared-state.js';
import type { TaskNode } from './task-handle.js';

/**
 * The task whose body (or a scope inside it) is running, or `undefined` outside every task
 * spawned by this package.
 *
 * @example
 * ```ts
 * import { currentTask, TaskGroup } from '@aiotools/scope';
 *
 * await TaskGroup.run((tg) => {
 *   tg.spawn(() => console.log(currentTask()?.name), { name: 'worker' }); // 'worker'
 * });
 * ```
 */
export function currentTask(): Task<unknown> | undefined {
  for (let node = currentNode(); node !== undefined; node = node.parent) {
    // A task of any installed copy of the package counts.
    if (hasBrand(node, TASK_NODE)) return (node as TaskNode).task;
  }
  return undefined;
}
