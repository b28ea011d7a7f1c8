// Helpers of the package's tests. `listen` is the test side of report.mjs: a TCP server on
// 127.0.0.1 that hands out the JSON values the children send, one per connection, in order.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

export interface Reports {
  readonly port: number;
  next(): Promise<unknown>;
  close(): Promise<void>;
}

export async function listen(): Promise<Reports> {
  const values: unknown[] = [];
  const waiters: Array<(value: unknown) => void> = [];
  const server: Server = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => {
      const value: unknown = JSON.parse(text);
      const waiter = waiters.shift();
      if (waiter) waiter(value);
      else values.push(value);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    next: () =>
      values.length > 0
        ? Promise.resolve(values.shift())
        : new Promise((resolve) => waiters.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits for `promise`, failing after `ms` instead of hanging until the test's timeout. */
export async function bounded<T>(promise: Promise<T>, ms = 10_000, what = 'the event'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `pid` names a live process (a zombie counts as gone), read from /proc. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The command line of `pid`, or '' when it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Polls every 50 ms (at most `ms`) until `pid` is gone; true when it went. */
export async function gone(pid: number, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Kills what a failed test left behind: only pids still running the command this test
 * started (`marker` in their command line), so a recycled pid is never hit.
 */
export function killLeftover(pid: number, marker: string): void {
  if (isRunning(pid) && commandLine(pid).includes(marker)) process.kill(pid, 'SIGKILL');
}
