// Spawn + join of trivial tasks in one structured scope, against plain promises, Effect,
// Effection and abort-controller-x (method of the reference micro-benchmark: fresh process per
// case, gc() before each run, median of the runs); heap per pending task; a Supervisor soak.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Group, Supervisor, TaskGroup, TaskScope } from '@aiotools/scope';
import { spawn as acxSpawn } from 'abort-controller-x';
import { Effect, Fiber } from 'effect';
import { call as effectionCall, run as effectionRun, spawn as effectionSpawn } from 'effection';
import { contractFloorSpawn, contractFloorSpawnJoin } from './contract-floor.mjs';

const N = 100_000;
// Effection needs ≈90 µs per task: it runs 10k tasks and its time is scaled ×10.
const EFFECTION_N = 10_000;

const count = (expected) => (out) => {
  const n = typeof out === 'object' && out !== null && 'count' in out ? out.count : out;
  if (n !== expected) throw new Error(`expected ${expected} results, got ${n}`);
};

function variants(tick) {
  const child = tick
    ? async (i) => {
        await null;
        return i;
      }
    : async (i) => i;
  const tgBody = tick
    ? (i) => async () => {
        await null;
        return i;
      }
    : (i) => () => i;
  const group = tick ? 'tick' : 'sync';
  return [
    {
      name: `${group}: Promise.all of async functions`,
      group,
      async run() {
        const ps = new Array(N);
        for (let i = 0; i < N; i++) ps[i] = child(i);
        return (await Promise.all(ps)).length;
      },
      check: count(N),
    },
    {
      // The floor of any design with an ambient scope per task: the same async functions, each
      // started inside its own AsyncLocalStorage.run (every body checks it sees its own value).
      // The baseline of the group: on Node 20 and 22 the storage's promise hooks then tax every
      // promise of the process; on Node 24 (AsyncContextFrame) each run is one frame.
      name: `${group}: Promise.all + one AsyncLocalStorage.run per task (the floor)`,
      group,
      baseline: true,
      async run() {
        const als = new AsyncLocalStorage();
        const body = tick
          ? async (i) => {
              await null;
              return als.getStore() === i ? 1 : 0;
            }
          : async (i) => (als.getStore() === i ? 1 : 0);
        const ps = new Array(N);
        for (let i = 0; i < N; i++) ps[i] = als.run(i, body, i);
        let seen = 0;
        for (const ok of await Promise.all(ps)) seen += ok;
        return seen;
      },
      check: count(N),
    },
    {
      name: `${group}: TaskGroup spawn + join`,
      group,
      async run() {
        let settled = 0;
        const tasks = new Array(N);
        await TaskGroup.run((tg) => {
          for (let i = 0; i < N; i++) tasks[i] = tg.spawn(tgBody(i));
        });
        // the group has joined every child: they are all done when run() returns
        for (const task of tasks) if (task.done) settled++;
        return settled;
      },
      check: count(N),
    },
    {
      // The least a structured group must do per task (contract-floor.mjs): a node linked into
      // the group, its own AsyncLocalStorage.run, a start in a microtask, one reaction, a join.
      name: `${group}: the contract floor (a minimal hand-written task group)`,
      group,
      async run() {
        let settled = 0;
        for (const task of await contractFloorSpawnJoin(N, tgBody)) if (task.done) settled++;
        return settled;
      },
      check: count(N),
    },
    ...[
      ['Supervisor', Supervisor],
      ['TaskScope', TaskScope],
    ].map(([label, Scope]) => ({
      name: `${group}: ${label} spawn + join`,
      group,
      async run() {
        let settled = 0;
        const tasks = new Array(N);
        await Scope.run((scope) => {
          for (let i = 0; i < N; i++) tasks[i] = scope.spawn(tgBody(i));
        });
        // run() waits for every child: they are all done when it returns
        for (const task of tasks) if (task.done) settled++;
        return settled;
      },
      check: count(N),
    })),
    {
      // Each spawn inside its own AsyncLocalStorage.run, as a server does per request: every
      // body must see its own value (checked), so the spawn carries the caller's context.
      name: `${group}: TaskGroup spawn + join, each spawn in its own AsyncLocalStorage.run`,
      group,
      async run() {
        const als = new AsyncLocalStorage();
        let seen = 0;
        const body = tick
          ? (i) => async () => {
              await null;
              if (als.getStore() === i) seen++;
            }
          : (i) => () => {
              if (als.getStore() === i) seen++;
            };
        await TaskGroup.run((tg) => {
          for (let i = 0; i < N; i++) als.run(i, () => tg.spawn(body(i)));
        });
        return seen;
      },
      check: count(N),
    },
    {
      name: `${group}: TaskGroup spawn + await each`,
      group,
      async run() {
        return TaskGroup.run(async (tg) => {
          const tasks = new Array(N);
          for (let i = 0; i < N; i++) tasks[i] = tg.spawn(tgBody(i));
          let n = 0;
          for (const t of tasks) n += (await t) === n ? 1 : 0;
          return n;
        });
      },
      check: count(N),
    },
    {
      name: `${group}: Effect forkChild + Fiber.joinAll`,
      group,
      async run() {
        const childEffect = tick
          ? (i) =>
              Effect.as(
                Effect.promise(() => Promise.resolve()),
                i,
              )
          : (i) => Effect.succeed(i);
        const out = await Effect.runPromise(
          Effect.gen(function* () {
            const fibers = new Array(N);
            for (let i = 0; i < N; i++) fibers[i] = yield* Effect.forkChild(childEffect(i));
            return yield* Fiber.joinAll(fibers);
          }),
        );
        return out.length;
      },
      check: count(N),
    },
    {
      name: `${group}: Effect.all unbounded`,
      group,
      async run() {
        const effects = new Array(N);
        for (let i = 0; i < N; i++)
          effects[i] = tick
            ? Effect.as(
                Effect.promise(() => Promise.resolve()),
                i,
              )
            : Effect.succeed(i);
        return (await Effect.runPromise(Effect.all(effects, { concurrency: 'unbounded' }))).length;
      },
      check: count(N),
    },
    {
      name: `${group}: abort-controller-x spawn/fork`,
      group,
      async run() {
        return acxSpawn(new AbortController().signal, async (_signal, { fork }) => {
          const tasks = new Array(N);
          for (let i = 0; i < N; i++) tasks[i] = fork(() => child(i));
          let n = 0;
          for (const t of tasks) if ((await t.join()) === n) n++;
          return n;
        });
      },
      check: count(N),
    },
    {
      name: `${group}: Effection spawn (10k, time ×10)`,
      group,
      async run() {
        const start = performance.now();
        const n = await effectionRun(function* () {
          const tasks = new Array(EFFECTION_N);
          for (let i = 0; i < EFFECTION_N; i++) {
            tasks[i] = yield* effectionSpawn(
              tick
                ? function* () {
                    yield* effectionCall(() => Promise.resolve());
                    return i;
                  }
                : // biome-ignore lint/correctness/useYield: the trivial child of the sync variant
                  function* () {
                    return i;
                  },
            );
          }
          let n = 0;
          for (const t of tasks) if ((yield* t) === n) n++;
          return n;
        });
        if (n !== EFFECTION_N) throw new Error(`expected ${EFFECTION_N}, got ${n}`);
        return { metric: (performance.now() - start) * (N / EFFECTION_N) };
      },
    },
  ];
}

/** A promise that stays pending until `release()`. */
function newGate() {
  let release;
  const gate = new Promise((r) => {
    release = r;
  });
  return { gate, release };
}

function heapAfterGc() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

export const cases = [
  ...variants(false),
  ...variants(true),
  {
    name: 'memory: bare pending promise (bytes each)',
    group: 'memory',
    baseline: true,
    unit: 'B',
    async run() {
      const { gate, release } = newGate();
      const before = heapAfterGc();
      const ps = new Array(N);
      for (let i = 0; i < N; i++) ps[i] = (async () => await gate)();
      const metric = (heapAfterGc() - before) / N;
      release();
      await Promise.all(ps);
      return { metric };
    },
  },
  {
    name: 'memory: pending task in a TaskGroup (bytes each)',
    group: 'memory',
    unit: 'B',
    async run() {
      const { gate, release } = newGate();
      let metric = 0;
      await TaskGroup.run(async (tg) => {
        const before = heapAfterGc();
        for (let i = 0; i < N; i++) tg.spawn(async () => await gate);
        await new Promise((r) => setImmediate(r));
        metric = (heapAfterGc() - before) / N;
        release();
      });
      return { metric };
    },
  },
  {
    name: 'memory: pending task of the contract floor (bytes each)',
    group: 'memory',
    unit: 'B',
    async run() {
      const { gate, release } = newGate();
      const before = heapAfterGc();
      const group = contractFloorSpawn(N, () => async () => await gate);
      await new Promise((r) => setImmediate(r));
      const metric = (heapAfterGc() - before) / N;
      release();
      await group.join();
      return { metric };
    },
  },
  {
    name: 'soak: Supervisor, 1M short tasks 10k at a time (heap growth, MB)',
    group: 'soak',
    unit: 'MB',
    async run() {
      const before = heapAfterGc();
      await Supervisor.run(async (sv) => {
        for (let round = 0; round < 100; round++) {
          const batch = [];
          for (let i = 0; i < 10_000; i++) batch.push(sv.spawn(async () => await null));
          for (const task of batch) await task;
        }
      });
      const growth = (heapAfterGc() - before) / 1e6;
      if (growth > 5) throw new Error(`heap grew by ${growth.toFixed(2)} MB`);
      return { metric: growth };
    },
  },
  {
    // A root scope per request: nothing may stay behind once a scope has ended.
    name: 'soak: 1M root scopes (500k TaskGroup.run + 500k Group), heap growth, MB',
    group: 'soak',
    unit: 'MB',
    async run() {
      const roots = async (n) => {
        for (let i = 0; i < n; i++) await TaskGroup.run(async () => {});
        for (let i = 0; i < n; i++) await new Group().asyncClose();
      };
      // Warm-up: compiled code, and the tables that grow to a steady size (the WeakMap of
      // cancellation reasons keeps its capacity between collections), are not growth.
      await roots(200_000);
      const before = heapAfterGc();
      await roots(500_000);
      const growth = (heapAfterGc() - before) / 1e6;
      if (growth > 1) throw new Error(`heap grew by ${growth.toFixed(2)} MB`);
      return { metric: growth };
    },
  },
];
