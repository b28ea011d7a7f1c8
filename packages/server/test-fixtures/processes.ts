// What the server tests' helpers share: bounded waits, and /proc reads that tell whether a pid
// still names a process started by a test, so that a cleanup kills only those.
import { readFileSync } from 'node:fs';

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `promise`, failing after `ms` with the error `failure` makes, instead of hanging. */
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

/** SIGKILLs `pid` if it still runs and its command line names `script` (a test's fixture). */
export function killIfRunning(pid: number, script: string): void {
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return;
  }
  if (!isRunning(pid) || !commandLine.includes(script)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}
