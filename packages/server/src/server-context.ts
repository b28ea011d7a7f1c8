import { validateFunction } from '@aiotools/core/internal';
import { registerWorker, type WorkerInfo } from './context-functions.js';

export type { WorkerInfo };

declare const argsType: unique symbol;

/**
 * A worker's context, made by {@link serverContext}: the handle `startServer` runs in every
 * worker. It is opaque; its type parameter is the type of the `args` the workers receive.
 */
export interface WorkerContext<A extends unknown[] = unknown[]> {
  readonly [Symbol.toStringTag]: 'WorkerContext';
  /** A compile-time marker of the type of the workers' `args`; it has no value at run time. */
  readonly [argsType]?: A;
}

/**
 * Makes a worker's context from an async generator function, as aiotools' `@server_context`:
 * the code before its only `yield` is the worker's startup, the `yield` returns the signal that
 * stops the server, and the code after it is the shutdown. It receives the worker's `index`
 * (the same as {@link processIndex}) and `args` (the main context's value, then
 * `startServer`'s `args`).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { drainHttpServer, serverContext, startServer } from '@aiotools/server';
 *
 * const worker = serverContext(async function* ({ index }) {
 *   const server = createServer((_req, res) => res.end(`hello from worker ${index}\n`));
 *   await new Promise<void>((resolve) => server.listen(8080, resolve));
 *   const signal = yield;
 *   console.log(`worker ${index} stops on ${signal}`);
 *   await drainHttpServer(server, { timeout: 10_000 });
 * });
 *
 * process.exitCode = await startServer(worker, { numWorkers: 2 });
 * ```
 */
export function serverContext<A extends unknown[] = unknown[]>(
  fn: (info: WorkerInfo<A>) => AsyncGenerator<void, void, NodeJS.Signals>,
): WorkerContext<A> {
  validateFunction(fn, 'fn');
  const handle: WorkerContext<A> = Object.freeze({
    [Symbol.toStringTag]: 'WorkerContext' as const,
  });
  registerWorker(handle, fn as (info: WorkerInfo) => AsyncGenerator<void, void, NodeJS.Signals>);
  return handle;
}
