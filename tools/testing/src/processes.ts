// For the tests that start real processes (fork, server): waits that fail with a message
// instead of hanging until the test's timeout, and /proc reads that tell whether a pid still
// names the process a test started, so that a cleanup kills only those.
import { readFileSync } from 'node:fs';

/** Waits for `promise`, failing after `ms` with the error `failure` makes. */
export async function within<T>(promise: Promise<T>, ms: number, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(failure()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `promise`, failing after `ms` with "`what` did not happen within `ms` ms". */
export function bounded<T>(promise: Promise<T>, ms = 10_000, what = 'the event'): Promise<T> {
  return within(promise, ms, () => new Error(`${what} did not happen within ${ms} ms`));
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

/**
 * Kills what a failed test left behind: only a pid still running the command the test started
 * (`marker` in its command line), so a recycled pid is never hit.
 */
export function killLeftover(pid: number, marker: string): void {
  if (!isRunning(pid) || !commandLine(pid).includes(marker)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}
