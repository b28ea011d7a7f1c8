import { ownChildIdentity } from './child-env.js';
import { roundTripWithPrimary } from './child-message.js';
import { launchProblem } from './launch-child.js';
import { resolveSettings } from './resolve-settings.js';
import { runChild } from './run-child.js';
import { runInline } from './run-inline.js';
import type { WorkerContext } from './server-context.js';
import type { StartServerOptions } from './server-options.js';
import { Supervisor } from './supervisor.js';

/**
 * Runs a server of `numWorkers` worker processes, as aiotools' `start_server`: the same script
 * runs in the primary and in every worker. In the primary it runs the main context, starts the
 * workers (and `extraProcs`), forwards the stop signal to each exactly once, waits for all of
 * them, and resolves with the exit code: 0 when every startup and shutdown succeeded, 1
 * otherwise. It never rejects for a worker's failure; each one is written to stderr as
 * `worker <index> …` with its error. In a worker it runs the worker context and ends the
 * process when the context has finished (the returned promise never settles there).
 *
 * Stopping: the first stop signal wins; a second one does not abort a shutdown in progress
 * (use `waitTimeout` to bound it). A worker failing at startup, or dying after it, stops every
 * process gracefully, unless `restart` restarts it (same index, after `backoff` ms doubling
 * each time) or `ignoreChildInterrupts` is set. The reload signal (SIGHUP) replaces the
 * processes one at a time, each new one ready before the old one stops.
 *
 * @throws TypeError or RangeError (as a rejection), before anything starts, for a `worker` not made by
 *   `serverContext`, an invalid option (naming it), or a mode this process cannot run
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { drainHttpServer, serverContext, startServer } from '@aiotools/server';
 *
 * const worker = serverContext(async function* () {
 *   const server = createServer((_req, res) => res.end('ok\n'));
 *   await new Promise<void>((resolve) => server.listen(8080, '127.0.0.1', resolve));
 *   yield; // serving until SIGINT or SIGTERM
 *   await drainHttpServer(server, { timeout: 10_000 });
 * });
 *
 * process.exitCode = await startServer(worker, {
 *   numWorkers: 4,
 *   waitTimeout: 20_000,
 *   restart: { maxRestarts: 5, backoff: 100 },
 *   onReady: () => console.log('listening on 8080'),
 * });
 * ```
 */
export function startServer(worker: WorkerContext, options?: StartServerOptions): Promise<number> {
  let settings: ReturnType<typeof resolveSettings>;
  try {
    settings = resolveSettings(worker, options);
    if (ownChildIdentity() === undefined && settings.mode !== 'inline') {
      const problem = launchProblem(settings.mode);
      if (problem !== undefined) throw new TypeError(problem);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  const child = ownChildIdentity();
  if (child !== undefined) {
    return runChild(settings, child.index, child.mainValue).then(async (code) => {
      await roundTripWithPrimary();
      process.exit(code);
    });
  }
  if (settings.mode === 'inline') return runInline(settings);
  return new Supervisor(settings, settings.mode).run();
}
