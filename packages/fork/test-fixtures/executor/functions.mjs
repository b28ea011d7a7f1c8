// The functions the executor tests run in worker threads.

// biome-ignore lint/style/noDefaultExport: the export that Executor.run calls by default
export default function answer() {
  return 42;
}

export async function later(value) {
  await new Promise((resolve) => setImmediate(resolve));
  return value;
}

export function add(a, b) {
  return a + b;
}

export function describe(map, date, big) {
  return {
    keys: [...map.keys()],
    time: date.getTime(),
    big: big * 2n,
    isDate: date instanceof Date,
  };
}

class CustomError extends Error {
  name = 'CustomError';
  constructor(message) {
    super(message, { cause: new RangeError('inner') });
    this.code = 'E_CUSTOM';
  }
}

export function fail(message) {
  throw new CustomError(message);
}

export async function failLater() {
  await null;
  throw new TypeError('async failure');
}

export function throwValue() {
  throw { code: 7 };
}

export const notAFunction = 42;

export function returnsFunction() {
  return () => 1;
}

// Blocks the thread until index 0 of the shared buffer is non-zero: nothing in the thread can
// interrupt it, only terminating the thread.
export function block(shared) {
  const view = new Int32Array(shared);
  Atomics.store(view, 1, 1);
  Atomics.notify(view, 1);
  Atomics.wait(view, 0, 0);
  return 'unblocked';
}

// Two calls that need each other: each sets its own flag and waits for the other's.
export function meet(shared, mine, theirs) {
  const view = new Int32Array(shared);
  Atomics.store(view, mine, 1);
  Atomics.notify(view, mine);
  const result = Atomics.wait(view, theirs, 0, 10_000);
  return result === 'timed-out' ? 'alone' : 'met';
}

export function exit(code) {
  process.exit(code);
}

export function crashOutside() {
  setImmediate(() => {
    throw new Error('uncaught outside the call');
  });
  return new Promise(() => {});
}

export function record(log, value) {
  const view = new Int32Array(log);
  const index = Atomics.add(view, 0, 1) + 1;
  Atomics.store(view, index, value);
  return index;
}
