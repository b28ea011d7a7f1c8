export type { Task, TaskState } from '@aiotools/core';
export { type AsCompletedIterator, asCompletedSafe } from './as-completed-safe.js';
export { currentTask } from './current-task.js';
export type { ExceptionHandler, TaskErrorContext } from './exception-handler.js';
export { type FormatTaskTreeOptions, formatTaskTree } from './format-task-tree.js';
export { gatherSafe } from './gather-safe.js';
export { Group, type GroupOptions, type GroupState } from './group.js';
export { GroupClosedError } from './group-closed-error.js';
export { type RaceOptions, race } from './race.js';
export { Resource } from './resource.js';
export { type RunOptions, run } from './run.js';
export { Supervisor } from './supervisor.js';
export type { TaskFn } from './task-fn.js';
export {
  type SpawnOptions,
  type StartFn,
  TaskGroup,
  type TaskGroupOptions,
  type TaskGroupState,
} from './task-group.js';
export { TaskScope, type TaskScopeOptions, type TaskScopeState } from './task-scope.js';
