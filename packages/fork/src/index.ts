export { type AforkOptions, afork } from './afork.js';
export type { ChildProcess, TerminateOptions } from './child-process.js';
export { createExecutor } from './create-executor.js';
export type { Executor, ExecutorOptions, ExecutorRunOptions } from './executor.js';
export { ExecutorClosedError } from './executor-closed-error.js';
export { ForkError, type ForkErrorDetails } from './fork-error.js';
