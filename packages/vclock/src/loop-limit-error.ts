import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/vclock.LoopLimitError');

/**
 * Raised when a `VirtualClock` fired `loopLimit` timers without virtual time moving: the
 * signature of a runaway loop (a zero-delay interval, a `setTimeout(f, 0)` chain) that would
 * otherwise spin forever. Zero-delay timers count as not moving time although Node runs them
 * 1 ms later; timers that move time (a 10 ms heartbeat during an hour-long sleep) never count.
 * `runAll()` counts every timer it fires (`kind: 'runAll'`), since a live interval would make
 * it run forever. `run()`, `advance()` and `runAll()` reject with it; with plain `patchLoop()`
 * it is thrown as an uncaught exception. Virtual time stops until the clock is uninstalled.
 *
 * `instanceof LoopLimitError` also recognises instances created by another installed copy of
 * `@aiotools/vclock`.
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
  /** The `loopLimit` that was reached. */
  readonly limit: number;
  /** Virtual time when the clock stopped. */
  readonly time: number;
  /**
   * `'spin'`: timers fired without virtual time moving (autojump; `advance()` at one instant);
   * `'runAll'`: `runAll()` fired `limit` timers and timers are still pending.
   */
  readonly kind: 'spin' | 'runAll';
  declare readonly [brand]: true;

  /**
   * @param limit - the `loopLimit` that was reached
   * @param time - the virtual time when the clock stopped
   * @param kind - `'spin'` (default) or `'runAll'`
   */
  constructor(limit: number, time: number, kind: 'spin' | 'runAll' = 'spin') {
    super(
      kind === 'runAll'
        ? `VirtualClock.runAll() fired ${limit} timers and timers are still pending (virtual time ${time}); ` +
            'an interval keeps it running. Clear it, or raise `loopLimit`'
        : `VirtualClock fired ${limit} timers without virtual time moving (virtual time ${time}); ` +
            'a zero-delay timer keeps re-arming itself (e.g. setInterval(f, 0) or a setTimeout(f, 0) ' +
            'chain). Clear it, or raise `loopLimit`',
    );
    this.limit = limit;
    this.time = time;
    this.kind = kind;
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
