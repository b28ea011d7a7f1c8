// `aiotools/fork`: exactly the public names of @aiotools/fork, the same bindings.
export {
  type AforkOptions,
  afork,
  type ChildProcess,
  createExecutor,
  type Executor,
  ExecutorClosedError,
  type ExecutorOptions,
  type ExecutorRunOptions,
  ForkError,
  type ForkErrorDetails,
  type TerminateOptions,
} from '@aiotools/fork';
