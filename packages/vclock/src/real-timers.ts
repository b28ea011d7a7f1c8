/** The real timers of the process, which the clock keeps using while it fakes the globals. */
export interface RealTimers {
  readonly setImmediate: typeof setImmediate;
  readonly clearImmediate: typeof clearImmediate;
  readonly setTimeout: typeof setTimeout;
  readonly clearTimeout: typeof clearTimeout;
  readonly now: () => number;
}

/** The timers of the process as they are now: the real ones while no clock is installed. */
export function realTimers(): RealTimers {
  return {
    setImmediate: globalThis.setImmediate,
    clearImmediate: globalThis.clearImmediate,
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    now: performance.now.bind(performance),
  };
}
