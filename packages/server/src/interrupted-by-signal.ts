import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/server.InterruptedBySignal');

/**
 * The reason an extra process's `signal` is aborted with when the server stops: `signal` is the
 * stop signal that ended the server (the one the primary received, or the default stop signal
 * when a worker's failure stopped it).
 *
 * `instanceof InterruptedBySignal` also recognises instances created by another installed copy
 * of `@aiotools/server`.
 *
 * @example
 * ```ts
 * import { InterruptedBySignal, type ExtraProc } from '@aiotools/server';
 *
 * export const ticker: ExtraProc = async ({ signal }) => {
 *   signal.addEventListener('abort', () => {
 *     if (signal.reason instanceof InterruptedBySignal) console.log(`stopping on ${signal.reason.signal}`);
 *   });
 * };
 * ```
 */
export class InterruptedBySignal extends Error {
  override readonly name: string = 'InterruptedBySignal';
  /** The stop signal that interrupted the process. */
  readonly signal: NodeJS.Signals;
  declare readonly [brand]: true;

  constructor(signal: NodeJS.Signals, options?: ErrorOptions) {
    super(`Interrupted by ${signal}`, options);
    this.signal = signal;
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
