/**
 * The error Node's `timers/promises` reject with on an aborted signal: name `AbortError`,
 * code `ABORT_ERR`, the signal's reason as `cause`. Node does not export its class.
 *
 * Not branded like the package's own errors, on purpose: it stands in for Node's `AbortError`,
 * which code recognises by `name` or `code` (its class is not reachable), and Node's has no
 * brand or `Symbol.hasInstance` either. It is never exported.
 */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';

  constructor(reason: unknown) {
    super('The operation was aborted', { cause: reason });
  }
}
