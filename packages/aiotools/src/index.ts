/**
 * The whole `@aiotools` family from one package: every public name of `@aiotools/core`,
 * `cancel`, `scope`, `sync`, `context`, `func`, `iter`, `timer`, `vclock`, `fork` and `server`,
 * each the very binding that package exports (`aiotools`'s `sleep` is `@aiotools/core`'s
 * `sleep`), so code that imports from here and code that imports a package directly share
 * one ambient scope tree and one set of classes. `aiotools/<package>` (`aiotools/scope`, …)
 * exposes one package's names alone.
 *
 * No two packages export different things under one name, so nothing is renamed. `Task` and
 * `TaskState` are declared by `@aiotools/core` and re-exported by `@aiotools/scope`: the same
 * types, listed once here, from core. Core's `@aiotools/core/internal` (validators,
 * `brandedInstanceOf`, …) is plumbing for library authors and is not re-exported; import it
 * from `@aiotools/core/internal`.
 *
 * @example
 * ```ts
 * import { moveOnAfter, Queue, sleep, TaskGroup } from 'aiotools';
 *
 * const jobs = new Queue<string>();
 * await moveOnAfter(100, () =>
 *   TaskGroup.run(async (tg) => {
 *     tg.spawn(async () => {
 *       for (;;) console.log('done', await jobs.get());
 *     });
 *     await jobs.put('resize image');
 *     await sleep(10);
 *   }),
 * ); // after 100 ms the worker, still waiting in jobs.get(), is cancelled and we move on
 * ```
 *
 * @packageDocumentation
 */

// Explicit lists, no `export *`: a name that a package adds or drops shows up here and in
// api-report.md, and exports.test.ts checks that each list is the package's whole surface.

export {
  CancelScope,
  type CancelScopeOptions,
  cancelAndWait,
  type DeadlineScopeOptions,
  failAfter,
  failAt,
  moveOnAfter,
  moveOnAt,
  shield,
  timeout,
  timeoutAt,
  type UncancellableOptions,
  uncancellable,
  waitFor,
} from '@aiotools/cancel';
export {
  type AsyncContextGroup,
  type AsyncContextManager,
  type AsyncDeferFunc,
  type AsyncDeferrable,
  AsyncExitStack,
  aclosing,
  actxgroup,
  actxmgr,
  adefer,
  type ClosingHandle,
  ContextVar,
  type ContextVarOptions,
  ContextVarToken,
  closingAsync,
  type DeferFunc,
  defer,
  type EnteredContext,
  enterContext,
  LookupError,
  resetting,
  SuppressedError,
  withContext,
} from '@aiotools/context';
export {
  abandonOnCancel,
  type CancellableExecutor,
  CancelledError,
  CancelNode,
  type CancelNodeOptions,
  type CancelWaker,
  type CancelWakeTarget,
  type Clock,
  cancellable,
  checkpoint,
  currentClock,
  currentNode,
  currentSignal,
  type ErrorMatcher,
  ExceptionGroup,
  installClock,
  isCancellation,
  realClock,
  type SignalOptions,
  sleep,
  // Also re-exported by @aiotools/scope: the same types, listed once, from core.
  type Task,
  type TaskState,
  TimeoutError,
} from '@aiotools/core';
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
export {
  type CacheInfo,
  call,
  callOnCancel,
  callOnDone,
  type LruCached,
  type LruCacheOptions,
  lruCache,
} from '@aiotools/func';
export { aiter, type FirstOptions, first } from '@aiotools/iter';
// `Task` and `TaskState`, which @aiotools/scope re-exports from core, come with core.
export {
  type AsCompletedIterator,
  asCompletedSafe,
  currentTask,
  type ExceptionHandler,
  type FormatTaskTreeOptions,
  formatTaskTree,
  Group,
  GroupClosedError,
  type GroupOptions,
  type GroupState,
  gatherSafe,
  type RaceOptions,
  Resource,
  type RunOptions,
  race,
  run,
  type SpawnOptions,
  type StartFn,
  Supervisor,
  type TaskErrorContext,
  type TaskFn,
  TaskGroup,
  type TaskGroupOptions,
  type TaskGroupState,
  TaskScope,
  type TaskScopeOptions,
  type TaskScopeState,
} from '@aiotools/scope';
export {
  type DrainHttpServerOptions,
  drainHttpServer,
  type ExtraProc,
  type ExtraProcInfo,
  InterruptedBySignal,
  type MainContext,
  mainContext,
  processIndex,
  type RestartPolicy,
  type ServerMode,
  type StartServerOptions,
  serverContext,
  startServer,
  type WorkerContext,
  type WorkerInfo,
} from '@aiotools/server';
export {
  CapacityLimiter,
  type CapacityLimiterAcquireOptions,
  Condition,
  Event,
  type Guard,
  LifoQueue,
  Lock,
  PriorityQueue,
  type PriorityQueueOptions,
  Queue,
  QueueClosedError,
  QueueEmptyError,
  QueueFullError,
  Semaphore,
  type SemaphoreOptions,
} from '@aiotools/sync';
export {
  createTimer,
  interval,
  type TimerCallback,
  TimerDelayPolicy,
  type TimerOptions,
} from '@aiotools/timer';
export {
  installVirtualClock,
  LoopLimitError,
  VirtualClock,
  type VirtualClockOptions,
  type VirtualTimeout,
} from '@aiotools/vclock';
