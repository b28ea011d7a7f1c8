import { inspect } from 'node:util';

/** How the primary names a process in what it writes to stderr: `worker <index>` or `extra process <index>`. */
export function processLabel(index: number, numWorkers: number): string {
  return index < numWorkers ? `worker ${index}` : `extra process ${index}`;
}

/** How a process ended, for a message: `exited with code 3`, `was killed by SIGKILL`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** Writes one of the primary's reports to stderr, prefixed so it stands out among the workers' output. */
export function report(message: string, error?: unknown): void {
  const detail =
    error === undefined ? '' : `: ${typeof error === 'string' ? error : inspect(error)}`;
  process.stderr.write(`[@aiotools/server] ${message}${detail}\n`);
}

/**
 * Announces that the server is ready: calls the user's `onReady` (an error it throws is
 * reported, not thrown into the event that ended the startup), and tells a parent process
 * manager with an IPC channel (pm2 with `wait_ready`) by sending it `'ready'`.
 */
export function announceReady(onReady: (() => void) | undefined): void {
  try {
    onReady?.();
  } catch (error) {
    report('options.onReady threw', error);
  }
  if (typeof process.send === 'function' && process.connected) process.send('ready');
}
