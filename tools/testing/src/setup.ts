// Every test must leave the process as it found it: no unhandled rejection, no timer or
// immediate it created still pending, and no other handle (socket, server, child process,
// file watcher) still active once the test has finished.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { afterEach, beforeEach, expect } from 'vitest';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  unhandled.push(reason);
});

// Timers are tracked by wrapping the globals: the test runner captured its own timer
// functions before this file ran, so only timers started by the code under test are seen.
interface TrackedTimer {
  readonly kind: string;
  readonly handle: { _destroyed?: boolean };
}
let created: TrackedTimer[] = [];
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realSetImmediate = globalThis.setImmediate;

function track<F extends (...args: never[]) => unknown>(kind: string, fn: F): F {
  const wrapped = function (this: unknown, ...args: Parameters<F>) {
    const handle = fn.apply(this, args) as TrackedTimer['handle'];
    created.push({ kind, handle });
    return handle;
  };
  Object.assign(wrapped, fn);
  return wrapped as unknown as F;
}
// node:timers (its CommonJS exports object, which ESM named imports mirror after
// syncBuiltinESMExports) gets the same functions, so that `globalThis.setTimeout === timers.setTimeout`
// holds as it does outside the tests.
const timers = createRequire(import.meta.url)('node:timers') as Record<string, unknown>;
timers.setTimeout = globalThis.setTimeout = track('setTimeout', realSetTimeout);
timers.setInterval = globalThis.setInterval = track('setInterval', realSetInterval);
timers.setImmediate = globalThis.setImmediate = track('setImmediate', realSetImmediate);
syncBuiltinESMExports();

const TIMER_RESOURCES = new Set(['Timeout', 'Immediate', 'TTYWrap', 'PipeWrap']);

function countHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    if (TIMER_RESOURCES.has(name)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

let before = new Map<string, number>();

beforeEach(() => {
  unhandled.length = 0;
  created = [];
  before = countHandles();
});

afterEach(async (context) => {
  // Give settled work two macrotasks to release what it holds.
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => realSetImmediate(resolve));
  expect(unhandled, 'unhandled rejections').toEqual([]);
  if ((context.task.meta as { allowHandles?: boolean }).allowHandles) return;
  const leaked: string[] = [];
  const live = created.filter((timer) => timer.handle._destroyed !== true);
  for (const kind of new Set(live.map((timer) => timer.kind))) {
    leaked.push(`${kind} ×${live.filter((timer) => timer.kind === kind).length}`);
  }
  for (const [name, count] of countHandles()) {
    const extra = count - (before.get(name) ?? 0);
    if (extra > 0) leaked.push(`${name} ×${extra}`);
  }
  expect(leaked, 'timers or handles left behind by the test').toEqual([]);
});
