import { type ChildProcess, fork } from 'node:child_process';
import cluster from 'node:cluster';
import { childEnv } from './child-env.js';
import type { ServerMode } from './server-options.js';

/**
 * Starts the calling script again as the child with this process index: a `node:cluster`
 * worker (sharing the primary's listening sockets) in cluster mode, a plain child process with
 * an IPC channel in reusePort mode. Both inherit the primary's stdio, environment, Node.js
 * options (`execArgv`) and arguments.
 */
export function launchChild(
  mode: Exclude<ServerMode, 'inline'>,
  index: number,
  encodedMainValue: string,
): ChildProcess {
  const env = childEnv(index, encodedMainValue);
  if (mode === 'cluster') return cluster.fork(env).process;
  return fork(process.argv[1] as string, process.argv.slice(2), {
    env: { ...process.env, ...env },
    execArgv: process.execArgv,
  });
}

/**
 * Why the calling process cannot start children for this mode, or `undefined` when it can.
 * Checked before anything starts.
 */
export function launchProblem(mode: Exclude<ServerMode, 'inline'>): string | undefined {
  if (typeof process.argv[1] !== 'string' || process.argv[1] === '') {
    return 'startServer() starts its workers by running the calling script again (process.argv[1]), and this process has no script (node -e, a REPL): run it from a file, or use mode "inline"';
  }
  if (mode === 'cluster' && !cluster.isPrimary) {
    return 'startServer() in mode "cluster" cannot run inside a node:cluster worker (such as a pm2 cluster-mode instance): use mode "inline" there, or run the script in pm2\'s fork mode';
  }
  return undefined;
}
