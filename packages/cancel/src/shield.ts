import { validateFunction } from '@aiotools/core/internal';
import { CancelScope } from './cancel-scope.js';

/**
 * Runs `fn` protected from the cancellation of every enclosing scope: aiotools' `ShieldScope`,
 * trio's and anyio's `CancelScope(shield=True)`. Use it for cleanup that must finish (closing a
 * connection, flushing a log) even while the surrounding work is being cancelled.
 *
 * Waiting calls inside `fn` are not interrupted by outer cancellation; `signal` (the shield's
 * own) does not abort when an outer scope is cancelled. Scopes nested inside the shield keep
 * their own deadlines. The outer cancellation is not lost: it is delivered at the first
 * checkpoint after the shield, because cancellation is level-triggered. To bound the shielded
 * work in time, nest a deadline: `shield(() => failAfter(1_000, close))`, or use
 * `moveOnAfter(ms, fn, { shield: true })`.
 *
 * @param fn - the protected work; receives an AbortSignal for APIs that take one
 * @returns what `fn` returned
 * @throws whatever `fn` throws; TypeError (as a rejection) when `fn` is not a function
 * @example
 * ```ts
 * import { shield } from '@aiotools/cancel';
 *
 * try {
 *   await serve(connection);
 * } finally {
 *   await shield((signal) => connection.close({ signal }));
 * }
 * ```
 */
export async function shield<T>(fn: (signal: AbortSignal) => PromiseLike<T> | T): Promise<T> {
  validateFunction(fn, 'fn');
  // A shielded scope that nobody cancels never swallows anything: the value is always `fn`'s.
  return (await new CancelScope({ shield: true }).run((scope) => fn(scope.signal))) as T;
}
