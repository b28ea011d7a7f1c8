/**
 * Raised when a `VirtualClock` fired `loopLimit` timers in a row without ever going quiet:
 * the signature of a runaway loop (a zero-delay interval, a `setTimeout(f, 0)` chain) that
 * would otherwise spin virtual time forever. `run()`, `advance()` and `runAll()` reject
 * with it; with plain `patchLoop()` it is thrown as an uncaught exception. Virtual time
 * stops until the clock is uninstalled.
 *
 * @example
 * ```ts
 * import { LoopLimitError, VirtualClock } from '@aiotools/vclock';
 *
 * const clock = new VirtualClock({ loopLimit: 1000 });
 * await clock.run(async () => {
 *   setInterval(() => {}, 0);
 *   await new Promise((resolve) => setTimeout(resolve, 60_000));
 * }).catch((error) => console.log(error instanceof LoopLimitError)); // true
 * ```
 */
export class LoopLimitError extends Error {
  override readonly name = 'LoopLimitError';

  constructor(
    /** The `loopLimit` that was reached. */
    readonly limit: number,
    /** Virtual time when the clock stopped. */
    readonly time: number,
  ) {
    super(
      `VirtualClock fired ${limit} timers in a row without going idle (virtual time ${time}); ` +
        'a timer keeps re-arming itself (e.g. setInterval(f, 0)). Clear it, or raise `loopLimit` ' +
        'for a long simulation',
    );
  }
}
