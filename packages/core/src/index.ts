export { abandonOnCancel } from './abandon-on-cancel.js';
export {
  CancelNode,
  type CancelNodeOptions,
  type CancelWaker,
  type CancelWakeTarget,
} from './cancel-node.js';
export { type CancellableExecutor, cancellable, type SignalOptions } from './cancellable.js';
export { CancelledError } from './cancelled-error.js';
export { checkpoint } from './checkpoint.js';
export { type Clock, realClock } from './clock.js';
export { currentClock } from './current-clock.js';
export { currentNode } from './current-node.js';
export { currentSignal } from './current-signal.js';
export { type ErrorMatcher, ExceptionGroup } from './exception-group.js';
export { installClock } from './install-clock.js';
export { isCancellation } from './is-cancellation.js';
export { sleep } from './sleep.js';
export type { Task, TaskState } from './task.js';
export { TimeoutError } from './timeout-error.js';
