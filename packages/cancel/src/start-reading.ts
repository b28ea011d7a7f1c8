// A reading of the real clock handed from a deadline helper to the scope it starts. The
// package's index does not re-export this module: it is no part of the public API.
//
// `moveOnAfter(ms, fn)` reads the clock to turn `ms` into a deadline, and the scope it starts
// at once would read it again to see whether that deadline has passed. On the real clock the
// helper leaves its reading here and the scope takes it instead (`taken()`): no user code runs
// between the two, so the second reading would differ only by the time the argument checks
// take. Other clocks are always read again: a test clock may move, or count, on every `now()`.

/** The reading left by a deadline helper for the scope it starts. */
export const startReading = {
  /** Whether `now` is waiting to be taken. */
  set: false,
  /** `realClock.now()` at the helper's call. */
  now: 0,
};
