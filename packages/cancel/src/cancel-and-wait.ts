import {
  type CancelNode,
  currentNode,
  ExceptionGroup,
  isCancellation,
  type Task,
} from '@aiotools/core';
import { invalidType, nodeOfSignal } from '@aiotools/core/internal';

function isTask(value: unknown): value is Task<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const task = value as Partial<Record<keyof Task<unknown>, unknown>>;
  return (
    typeof task.then === 'function' &&
    typeof task.cancel === 'function' &&
    typeof task.done === 'boolean'
  );
}

/** Waiting for the task the caller runs in would never end: refuse it, as asyncio does. */
function refuseSelfWait(task: Task<unknown>, caller: CancelNode | undefined): void {
  if (caller === undefined) return;
  const node = nodeOfSignal(task.signal);
  if (node !== undefined && caller.isWithin(node)) {
    throw new Error(
      `cancelAndWait cannot wait for the task "${task.name}" it runs in; use task.cancel()`,
    );
  }
}

const ok = { failed: false } as const;
type Outcome = typeof ok | { readonly failed: true; readonly error: unknown };

/**
 * Waits for `task` to settle — directly on the task, not through a checkpoint, so the caller's
 * own cancellation does not cut the wait short — and reports a failure only for an error that
 * is not the task's cancellation.
 */
function settle(task: Task<unknown>): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    task.then(
      () => resolve(ok),
      (error: unknown) =>
        resolve(task.cancelled() || isCancellation(error) ? ok : { failed: true, error }),
    );
  });
}

/**
 * Cancels a task (or several) and waits until it has really finished: aiotools'
 * `cancel_and_wait`. Use it to stop background work whose cleanup must be complete before you
 * go on.
 *
 * - A task that is already done is left alone; its result or error is not inspected.
 * - Otherwise the task is cancelled with `reason` and awaited. The wait is not cut short by
 *   the caller's own cancellation: the task's cleanup always completes first.
 * - Then a non-cancellation error of the task is thrown as it is; else, if the caller's scope
 *   was cancelled meanwhile, its cancellation is thrown; else the call returns — also when the
 *   task caught the cancellation and returned a value, and also when somebody else cancelled
 *   the task during the wait (aiotools raises `CancelledError` then; here only the caller's own
 *   cancellation does).
 *
 * Given an iterable, it cancels every task first, then waits for all of them, and throws an
 * `ExceptionGroup` of their non-cancellation errors (these win over the caller's
 * cancellation), else the caller's cancellation.
 *
 * @param tasks - a `Task` or an iterable of tasks
 * @param reason - passed to each `task.cancel(reason)` (default: a `CancelledError`)
 * @throws the task's error, or an `ExceptionGroup` of errors for the grouped form; the caller's
 * cancellation; TypeError (as a rejection) for something that is not a task; an `Error`, before
 * cancelling anything, when the caller runs inside one of the tasks (it would wait forever)
 * @example
 * ```ts
 * import { cancelAndWait } from '@aiotools/cancel';
 * import { TaskGroup } from '@aiotools/scope';
 *
 * await TaskGroup.run(async (group) => {
 *   const heartbeat = group.spawn((signal) => sendHeartbeats(signal));
 *   // … later: stop it, and be sure its last write has finished
 *   await cancelAndWait(heartbeat);
 * });
 * ```
 */
export async function cancelAndWait(
  tasks: Task<unknown> | Iterable<Task<unknown>>,
  reason?: unknown,
): Promise<void> {
  const caller = currentNode();
  if (isTask(tasks)) {
    if (tasks.done) return;
    refuseSelfWait(tasks, caller);
    tasks.cancel(reason);
    const outcome = await settle(tasks);
    if (outcome.failed) throw outcome.error;
  } else {
    if (typeof (tasks as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== 'function') {
      throw invalidType('tasks', 'a Task or an iterable of tasks', tasks);
    }
    const list = [...(tasks as Iterable<unknown>)];
    list.forEach((task, i) => {
      if (!isTask(task)) throw invalidType(`tasks[${i}]`, 'a Task', task);
    });
    // A task listed twice is cancelled and awaited once, so its error is reported once.
    const pending = [...new Set(list as Task<unknown>[])].filter((task) => !task.done);
    if (pending.length === 0) return;
    for (const task of pending) refuseSelfWait(task, caller);
    for (const task of pending) task.cancel(reason);
    const outcomes = await Promise.all(pending.map(settle));
    const errors = outcomes.flatMap((outcome) => (outcome.failed ? [outcome.error] : []));
    if (errors.length > 0) {
      throw new ExceptionGroup(errors, 'Unhandled errors during grouped cancellation');
    }
  }
  if (caller?.cancelled) throw caller.reason;
}
