/**
 * Node's own `runNextTicks`: the function Node calls between two of its timers and between two
 * immediates. Synchronously, it runs the promise jobs queued now, then — while any are queued —
 * the `nextTick` callbacks and the promise jobs they set off, however deeply the two queues feed
 * each other, and reports unhandled rejections, as at the end of any real callback.
 *
 * Node exposes it as `process._tickCallback` (DEP0134, a deprecation in the documentation only).
 * Under `--pending-deprecation` that property is a wrapper that warns when called, so the
 * function is only taken when it is Node's own (its name says so); otherwise, and in a runtime
 * without it, this returns undefined and the caller relays through the queues instead. It must
 * be called from a macrotask (a real immediate or timeout callback), never from a promise job,
 * where V8 does not run the microtask queue again.
 */
export function nodeRunNextTicks(): (() => void) | undefined {
  const candidate = (process as unknown as { _tickCallback?: unknown })._tickCallback;
  if (typeof candidate !== 'function' || candidate.name !== 'runNextTicks') return undefined;
  return candidate as () => void;
}
