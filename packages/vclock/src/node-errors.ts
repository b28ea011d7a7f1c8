// The argument errors of the faked Node functions. They copy Node's own (`code`, message),
// not the family's ``Expected `x` to be …`` shape: code that calls `setTimeout('code')` or
// `AbortSignal.timeout(-1)` must see what it sees without the clock.

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

/** A `RangeError` like Node's `ERR_OUT_OF_RANGE`. */
export function outOfRange(name: string, expected: string, value: unknown): RangeError {
  const error = new RangeError(
    `The value of "${name}" is out of range. It must be ${expected}. Received ${String(value)}`,
  );
  Object.defineProperty(error, 'code', {
    value: 'ERR_OUT_OF_RANGE',
    writable: true,
    configurable: true,
  });
  return error;
}
