import { ContextVar } from '@aiotools/context';
import { ownChildIdentity } from './child-env.js';

// In a process the primary started, the index is the variable's default, so it holds in every
// callback of the process: connections that node:cluster hands over the IPC channel run in the
// channel's context, which no `run()` inside the worker could reach.
const own = ownChildIdentity();

/**
 * The index of the process the code runs in, as aiotools' `process_index`: `0` to
 * `numWorkers - 1` in the workers, `numWorkers + i` in the extra process `extraProcs[i]`, and
 * `0` in inline mode. It is stable: a worker restarted after a crash, or replaced by a rolling
 * reload, has the index of the one it replaces. It is set for the worker context, everything it
 * starts (request handlers of a server it listens with included) and an extra process's
 * function, and in a child process everywhere in it; in the primary outside them `get()` throws
 * a `LookupError`.
 *
 * @example
 * ```ts
 * import { processIndex, serverContext } from '@aiotools/server';
 *
 * export const worker = serverContext(async function* () {
 *   console.log(`worker ${processIndex.get()} started`);
 *   yield;
 * });
 * ```
 */
export const processIndex: ContextVar<number> = new ContextVar<number>(
  'processIndex',
  own === undefined ? undefined : { default: own.index },
);
