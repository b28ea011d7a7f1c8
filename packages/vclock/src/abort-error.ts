/**
 * The error Node's `timers/promises` reject with on an aborted signal: name `AbortError`,
 * code `ABORT_ERR`, the signal's reason as `cause`. Node does not export its class.
 */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';

  constructor(reason: unknown) {
    super('The operation was aborted', { cause: reason });
  }
}

/** A `TypeError` like Node's `ERR_INVALID_ARG_TYPE`. */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError {
  const received =
    value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an instance of Object'
        : `type ${typeof value} (${String(value)})`;
  const error = new TypeError(`The "${name}" argument must be ${expected}. Received ${received}`);
  Object.defineProperty(error, 'code', {
    value: 'ERR_INVALID_ARG_TYPE',
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return error;
}
