// Virtual time under load: 1,000 tasks each awaiting 1,000 sleeps of a random 1–1000 ms (one
// million timer events, seeded), driven to the end by @aiotools/vclock's autojump and by
// @sinonjs/fake-timers 15.5 in the same run; and the drift of a 10 ms ticker over 10 s of real
// time next to a CPU-busy worker thread.
import { Worker } from 'node:worker_threads';
import { interval } from '@aiotools/timer';
import { VirtualClock } from '@aiotools/vclock';
import FakeTimers from '@sinonjs/fake-timers';

const TASKS = Number(process.env.VCLOCK_TASKS ?? 1000);
const SLEEPS = Number(process.env.VCLOCK_SLEEPS ?? 1000);

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The same workload for both: each task sleeps through the global setTimeout, which both
// libraries fake. Returns a checksum of the virtual end times.
function workload(now) {
  const random = mulberry32(42);
  const delays = Array.from({ length: TASKS }, () =>
    Array.from({ length: SLEEPS }, () => 1 + Math.floor(random() * 1000)),
  );
  let events = 0;
  let sum = 0;
  const tasks = delays.map(async (mine) => {
    for (const ms of mine) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      events++;
    }
    sum += now();
  });
  return Promise.all(tasks).then(() => ({ events, sum }));
}

const expected = { events: TASKS * SLEEPS };

function check(result) {
  if (result.events !== expected.events)
    throw new Error(`fired ${result.events}, expected ${expected.events}`);
}

async function drift(label, ticks) {
  // A neighbour spinning on the other core... and on ours when there is only one.
  const busy = new Worker('const end = Date.now() + 11_000; while (Date.now() < end) {}', {
    eval: true,
  });
  await new Promise((resolve) => busy.once('online', resolve));
  try {
    const start = performance.now();
    const n = await ticks(10, 10_000);
    const elapsed = performance.now() - start;
    // How late the last tick came, against the ideal grid.
    return { metric: elapsed - n * 10, label };
  } finally {
    await busy.terminate();
  }
}

/**
 * Runs the workload with the global setTimeout replaced by a minimal binary heap (deadline, then
 * arrival order); `drive(timers)` fires them with `timers.fireNext()` (false once none is left).
 */
async function withMinimalTimers(drive) {
  const heap = [];
  let now = 0;
  let seq = 0;
  const before = (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const push = (entry) => {
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop();
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(heap[child + 1], heap[child])) child++;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  };
  const timers = {
    fireNext() {
      if (heap.length === 0) return false;
      const entry = pop();
      now = entry.at;
      entry.callback();
      return true;
    },
  };
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = (callback, ms) => {
    const entry = { at: now + Math.max(1, Math.trunc(ms) || 1), seq: seq++, callback };
    push(entry);
    return entry;
  };
  try {
    const done = workload(() => now);
    await drive(timers);
    return await done;
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
}

/** sinon's clock as the sleeps cases use it. */
function installSinon() {
  return FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'], loopLimit: 1e9 });
}

// Node's runNextTicks, as vclock takes it (see packages/vclock/src/run-next-ticks.ts).
const runNextTicks = process._tickCallback;

/** Calls `fireNext()` in bursts of up to 100 from real immediates, draining after each. */
function burstDriver(fireNext) {
  return new Promise((resolve, reject) => {
    const burst = () => {
      try {
        for (let i = 0; i < 100; i++) {
          if (!fireNext()) return resolve();
          runNextTicks();
        }
        setImmediate(burst);
      } catch (error) {
        reject(error);
      }
    };
    setImmediate(burst);
  });
}

export const cases = [
  {
    name: 'vclock autojump: 1k tasks x 1k sleeps',
    group: 'sleeps',
    async run() {
      const clock = new VirtualClock({ loopLimit: Number.POSITIVE_INFINITY, date: 0 });
      return clock.run(() => workload(() => clock.now()));
    },
    check,
  },
  {
    name: 'sinon 15.5 next() + nextTick: 1k tasks x 1k sleeps',
    group: 'sleeps',
    baseline: true,
    async run() {
      const clock = installSinon();
      try {
        const done = workload(() => clock.now);
        let finished = false;
        done.then(() => (finished = true));
        // sinon's fastest faithful driver: fire the next timer, then let run what it set off
        // before the next one, as vclock does between timers: every promise job, the nextTick
        // callbacks they queue, and the promise jobs and nextTick callbacks those queue. (One
        // setImmediate per timer, a whole event-loop turn, is about 30% slower; runAllAsync and
        // tickAsync wait a real setTimeout per timer.)
        const settle = () => new Promise((resolve) => process.nextTick(resolve));
        await settle();
        while (!finished) {
          clock.next();
          await settle();
          await settle();
        }
        return await done;
      } finally {
        clock.uninstall();
      }
    },
    check,
  },
  {
    // What any fair virtual clock pays on this workload: its timers in a minimal binary heap
    // (deadline, then arrival order), fired by a minimal driver with the same draining hops
    // between timers as sinon is given above. No handles, no async context, no I/O watch, no
    // clearTimeout: only what this workload needs. Its ratio to sinon bounds what a clock driven
    // that way can gain on sinon.
    name: 'minimal heap + the same next() + nextTick hops (the floor): 1k tasks x 1k sleeps',
    group: 'sleeps',
    async run() {
      return withMinimalTimers(async (timers) => {
        const settle = () => new Promise((resolve) => process.nextTick(resolve));
        await settle();
        while (timers.fireNext()) {
          await settle();
          await settle();
        }
      });
    },
    check,
  },
  {
    // The same minimal heap fired the way vclock fires a burst: up to 100 timers from one real
    // immediate, Node's own runNextTicks (process._tickCallback) between two of them, which
    // empties the promise-job and nextTick queues however deep. The floor of vclock's driver.
    name: "minimal heap + bursts with runNextTicks (the floor of vclock's driver): 1k tasks x 1k sleeps",
    group: 'sleeps',
    async run() {
      return withMinimalTimers((timers) => burstDriver(() => timers.fireNext()));
    },
    check,
  },
  {
    // sinon's clock fired by the same burst driver: what sinon would gain from it.
    name: 'sinon 15.5 next() in bursts with runNextTicks: 1k tasks x 1k sleeps',
    group: 'sleeps',
    async run() {
      const clock = installSinon();
      try {
        const done = workload(() => clock.now);
        await burstDriver(() => {
          if (clock.countTimers() === 0) return false;
          clock.next();
          return true;
        });
        return await done;
      } finally {
        clock.uninstall();
      }
    },
    check,
  },
  {
    name: 'drift of interval(10) over 10 s real, busy worker (ms late)',
    group: 'drift',
    unit: 'ms',
    async run() {
      return drift('interval', async (ms, total) => {
        let last = 0;
        for await (const n of interval(ms)) {
          last = n;
          if (n * ms >= total) break;
        }
        return last;
      });
    },
  },
  {
    name: 'drift of setInterval(10) over 10 s real, busy worker (ms late)',
    group: 'drift',
    baseline: true,
    unit: 'ms',
    async run() {
      return drift('setInterval', (ms, total) => {
        let n = 0;
        return new Promise((resolve) => {
          const timer = setInterval(() => {
            n++;
            if (n * ms >= total) {
              clearInterval(timer);
              resolve(n);
            }
          }, ms);
        });
      });
    },
  },
];
