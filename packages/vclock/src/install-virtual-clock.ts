import { VirtualClock, type VirtualClockOptions } from './virtual-clock.js';

/**
 * Creates a {@link VirtualClock} and installs it at once. The clock is `Disposable`: disposing
 * it uninstalls it, so `using clock = installVirtualClock()` scopes virtual time to a block.
 *
 * @param options - see {@link VirtualClockOptions}
 * @returns the installed clock
 * @throws Error when a `VirtualClock` is already installed
 * @example
 * ```ts
 * import { installVirtualClock } from '@aiotools/vclock';
 *
 * using clock = installVirtualClock({ autojump: false });
 * setTimeout(() => console.log('fired at', clock.now()), 500);
 * await clock.advance(1000); // fired at 500
 * ```
 */
export function installVirtualClock(options?: VirtualClockOptions): VirtualClock {
  const clock = new VirtualClock(options);
  clock.patchLoop();
  return clock;
}
