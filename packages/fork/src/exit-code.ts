import { constants } from 'node:os';

/**
 * The exit code a parent reports for a reaped child, in one number: the code it exited with
 * (0–255), or the negated signal number when a signal killed it (SIGKILL → -9); `null` while
 * it has not been reaped.
 */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number | null {
  if (signal !== null) return -(constants.signals[signal] ?? 0);
  return code;
}

/**
 * The exit code for what the child's function returned: a number `n` gives `n & 0xff` (as a
 * shell sees it), anything else (`undefined` included) gives 0.
 */
export function exitCodeFor(returned: unknown): number {
  return typeof returned === 'number' ? returned & 0xff : 0;
}
