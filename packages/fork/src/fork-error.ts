import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/fork.ForkError');

/**
 * What {@link ForkError} carries besides its message.
 *
 * @example
 * ```ts
 * import { ForkError, type ForkErrorDetails } from '@aiotools/fork';
 *
 * const details: ForkErrorDetails = { exitCode: 1, signal: null, stderr: 'boom\n' };
 * const error = new ForkError('The child failed', details);
 * console.log(error.name, error.exitCode, error.signal, error.stderr); // ForkError 1 null boom
 * ```
 */
export interface ForkErrorDetails extends ErrorOptions {
  /** The child's exit code, in the encoding of `wait()`: -signo when a signal killed it. */
  readonly exitCode: number;
  /** The signal that killed the child, or `null` when it exited by itself. */
  readonly signal: NodeJS.Signals | null;
  /** The last bytes (at most 8 KiB) the child wrote to its stderr. */
  readonly stderr: string;
}

/**
 * The rejection of `afork` for a child that ended before it was ready: its entry module did not
 * import (a syntax error, a missing file, a throwing top level), had no function under the
 * export name, died, or missed `readyTimeout`. The child has exited when it is thrown; its
 * exit code, the signal that killed it and the tail of its stderr come with the error, and an
 * error the child reported travels as `cause`.
 *
 * `instanceof ForkError` also recognises instances created by another installed copy of
 * `@aiotools/fork`.
 *
 * @example
 * ```ts
 * import { afork, ForkError } from '@aiotools/fork';
 *
 * try {
 *   await afork(new URL('./job.js', import.meta.url), { exportName: 'main' });
 * } catch (error) {
 *   if (error instanceof ForkError) console.error(error.exitCode, error.stderr);
 * }
 * ```
 */
export class ForkError extends Error {
  override readonly name: string = 'ForkError';
  /** The child's exit code, in the encoding of `wait()`: -signo when a signal killed it. */
  readonly exitCode: number;
  /** The signal that killed the child, or `null` when it exited by itself. */
  readonly signal: NodeJS.Signals | null;
  /** The last bytes (at most 8 KiB) the child wrote to its stderr. */
  readonly stderr: string;
  declare readonly [brand]: true;

  /**
   * @param details - without it: exit code 1, no signal, no stderr
   */
  constructor(
    message = 'The child process failed before it was ready',
    details?: ForkErrorDetails,
  ) {
    super(message, details?.cause === undefined ? undefined : { cause: details.cause });
    this.exitCode = details?.exitCode ?? 1;
    this.signal = details?.signal ?? null;
    this.stderr = details?.stderr ?? '';
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
