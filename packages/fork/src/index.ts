export { type AforkOptions, afork } from './afork.js';
export type { ChildProcess, TerminateOptions } from './child-process.js';
export { ForkError, type ForkErrorDetails } from './fork-error.js';
