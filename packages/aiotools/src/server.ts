// `aiotools/server`: exactly the public names of @aiotools/server, the same bindings.
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
