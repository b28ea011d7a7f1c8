export { type DrainHttpServerOptions, drainHttpServer } from './drain-http-server.js';
export { InterruptedBySignal } from './interrupted-by-signal.js';
export { type MainContext, mainContext } from './main-context.js';
export { processIndex } from './process-index.js';
export { serverContext, type WorkerContext, type WorkerInfo } from './server-context.js';
export type {
  ExtraProc,
  ExtraProcInfo,
  RestartPolicy,
  ServerMode,
  StartServerOptions,
} from './server-options.js';
export { startServer } from './start-server.js';
