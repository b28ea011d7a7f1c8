// The per-test cleanup every fork test file shares: each child started through `start` is
// reaped, each leftover pid (a grandchild a test saw) is killed only while it still names the
// process the test started, and each report server is closed.
import { afterEach, vi } from 'vitest';
import { afork, type ChildProcess } from '../src/index.js';
import { bounded, killLeftover, listen, type Reports } from './helpers.js';

export interface ForkCleanup {
  /** aforks and remembers the child, so that the cleanup reaps it whatever the test did. */
  start(...args: Parameters<typeof afork>): Promise<ChildProcess>;
  /** A report server that the cleanup closes. */
  reports(): Promise<Reports>;
  /** Pids to kill after the test if they still run `marker`. */
  readonly leftovers: Array<{ pid: number; marker: string }>;
}

export function useForkCleanup(): ForkCleanup {
  const children: ChildProcess[] = [];
  const leftovers: Array<{ pid: number; marker: string }> = [];
  const servers: Reports[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const child of children.splice(0)) {
      if (child.exitCode === null) child.sendSignal('SIGKILL');
      await bounded(child.wait(), 5_000, 'the exit of a killed child');
    }
    for (const { pid, marker } of leftovers.splice(0)) killLeftover(pid, marker);
    for (const server of servers.splice(0)) await server.close();
  });
  return {
    leftovers,
    async start(...args) {
      const child = await afork(...args);
      children.push(child);
      return child;
    },
    async reports() {
      const server = await listen();
      servers.push(server);
      return server;
    },
  };
}
