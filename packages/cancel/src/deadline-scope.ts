// The body shared by the deadline helpers (`moveOnAt`, `failAt` and their `…After` forms). The
// package's index does not re-export this module: it is no part of the public API.
import { TimeoutError } from '@aiotools/core';
import {
  validateBoolean,
  validateDeadline,
  validateFunction,
  validateOptions,
} from '@aiotools/core/internal';
import { CancelScope } from './cancel-scope.js';
import type { DeadlineScopeOptions } from './move-on-at.js';

/** Validates the arguments shared by the deadline helpers and creates their scope. */
export function createDeadlineScope(
  deadline: number,
  fn: unknown,
  options: DeadlineScopeOptions | undefined,
): CancelScope {
  validateDeadline(deadline, 'deadline');
  validateFunction(fn, 'fn');
  validateOptions(options, 'options');
  validateBoolean(options?.shield, 'options.shield');
  return new CancelScope({ deadline, shield: options?.shield });
}

/** The body of `failAt`/`failAfter`, with the message of their `TimeoutError`. */
export async function runFailing<T>(
  deadline: number,
  fn: (scope: CancelScope) => PromiseLike<T> | T,
  options: DeadlineScopeOptions | undefined,
  message: string,
): Promise<T> {
  const scope = createDeadlineScope(deadline, fn, options);
  const value = await scope.run(fn);
  if (!scope.cancelledCaught) return value as T;
  if (scope.deadlineExpired) throw new TimeoutError(message, { cause: scope.reason });
  throw scope.reason;
}
