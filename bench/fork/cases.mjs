// Process and thread start-up of @aiotools/fork beside the anchors, each case in a fresh process.
//
// Children: CHILDREN sequential (and CONCURRENT at once) children of a trivial entry that returns
// 0, timed from the call to the ready handshake and to the exit. @aiotools/fork `afork(entry)`
// then `wait()`; raw `child_process.fork(raw-child.mjs, { serialization: 'advanced' })`, whose
// child imports the same entry, `process.send('ready')`s, calls it and exits with its value (the
// baseline: the same handshake by hand); execa's `execaNode(raw-child.mjs)` with its IPC channel,
// `getOneMessage()` for the ready message, `await subprocess` for the exit, and its 'spawn' event
// (the process exists, nothing imported yet) for reference. Every child inherits the parent's
// flags (`--expose-gc`, no loader) and runs the same Node binary.
//
// Executor: 10,000 calls of `add(i, 1)` on 4 worker threads awaited with Promise.all,
// `createExecutor({ threads: 4 })` + `run(entry, { exportName: 'add', args: [i, 1] })` beside
// piscina `new Piscina({ filename, minThreads: 4, maxThreads: 4 })` + `run([i, 1], { name:
// 'add' })` (the baseline). `warm`: the pool is started and every thread has run calls before the
// timing starts, and closing is not timed; `cold`: pool start-up and the calls are timed, closing
// is not.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afork, createExecutor } from '@aiotools/fork';
import { execaNode } from 'execa';
import { Piscina } from 'piscina';

const CHILDREN = Number(process.env.FORK_CHILDREN ?? 10);
const CONCURRENT = Number(process.env.FORK_CONCURRENT ?? 4);
const BATCHES = Number(process.env.FORK_BATCHES ?? 3);
const CALLS = Number(process.env.FORK_CALLS ?? 10_000);
const THREADS = 4;

const ENTRY = new URL('./entry.mjs', import.meta.url);
const RAW_CHILD = fileURLToPath(new URL('./raw-child.mjs', import.meta.url));
const PISCINA_ENTRY = new URL('./piscina-entry.mjs', import.meta.url).href;

// One child of each kind: `ready` resolves at the handshake, `exit` with the exit code.
async function aforkChild() {
  const child = await afork(ENTRY);
  return { exit: child.wait() };
}

function rawChild() {
  const child = fork(RAW_CHILD, { serialization: 'advanced' });
  const exit = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    exit.then(() => reject(new Error('raw child exited before ready')), reject);
  });
  return { ready, exit };
}

function execaChild() {
  const subprocess = execaNode(RAW_CHILD, { serialization: 'advanced' });
  const spawned = new Promise((resolve, reject) => {
    subprocess.once('spawn', resolve);
    subprocess.once('error', reject);
  });
  return {
    spawned,
    ready: subprocess.getOneMessage(),
    exit: subprocess.then((result) => result.exitCode),
  };
}

const checkCode = (code) => {
  if (code !== 0) throw new Error(`a child exited with ${code}`);
};

// Sequential children, timed to the handshake (ms per child); the rest of each child's life is
// not timed, but awaited before the next one starts.
async function toReady(start) {
  let total = 0;
  for (let i = 0; i < CHILDREN; i++) {
    const t0 = performance.now();
    const child = await start();
    const t1 = performance.now();
    total += t1 - t0;
    checkCode(await child.exit);
  }
  return { metric: total / CHILDREN };
}

// Sequential children, timed to the exit (ms per child).
async function toExit(start) {
  const t0 = performance.now();
  for (let i = 0; i < CHILDREN; i++) checkCode(await (await start()).exit);
  return { metric: (performance.now() - t0) / CHILDREN };
}

// CONCURRENT children at once, timed until the last has exited (ms per batch).
async function batchToExit(start) {
  const t0 = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const codes = await Promise.all(
      Array.from({ length: CONCURRENT }, async () => (await start()).exit),
    );
    for (const code of codes) checkCode(code);
  }
  return { metric: (performance.now() - t0) / BATCHES };
}

// The raw and execa children are started synchronously; wrap them so that `start()` is async
// for every kind and `ready` is what the await waits for.
const rawReady = async () => {
  const child = rawChild();
  await child.ready;
  return child;
};
const execaReady = async () => {
  const child = execaChild();
  await child.ready;
  return child;
};
const execaSpawned = async () => {
  const child = execaChild();
  await child.spawned;
  // getOneMessage() rejects when the child disconnects without a message; it sends one.
  child.ready.catch(() => {});
  return child;
};

const EXPECTED_SUM = (CALLS * (CALLS - 1)) / 2 + CALLS;
const checkSum = (sum) => {
  if (sum !== EXPECTED_SUM) throw new Error(`wrong sum of results: ${sum}`);
};

const executorPool = () => {
  const executor = createExecutor({ threads: THREADS });
  return {
    call: (i) => executor.run(ENTRY, { exportName: 'add', args: [i, 1] }),
    close: () => executor.close(),
  };
};
const piscinaPool = () => {
  const pool = new Piscina({ filename: PISCINA_ENTRY, minThreads: THREADS, maxThreads: THREADS });
  return { call: (i) => pool.run([i, 1], { name: 'add' }), close: () => pool.destroy() };
};

async function calls(pool) {
  const results = await Promise.all(Array.from({ length: CALLS }, (_, i) => pool.call(i)));
  return results.reduce((a, b) => a + b, 0);
}

// Warm: the pool is started, and 1,000 calls have gone through every thread, untimed.
async function warmPool(make) {
  const pool = make();
  await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.call(i)));
  return pool;
}
async function timedCalls(pool) {
  const t0 = performance.now();
  const sum = await calls(pool);
  const metric = performance.now() - t0;
  await pool.close();
  checkSum(sum);
  return { metric };
}
async function coldCalls(make) {
  const t0 = performance.now();
  const pool = make();
  const sum = await calls(pool);
  const metric = performance.now() - t0;
  await pool.close();
  checkSum(sum);
  return { metric };
}

const PER_CHILD = 'ms/child';
const PER_BATCH = `ms/${CONCURRENT} children`;

export const cases = [
  {
    name: 'ready: child_process.fork + IPC ready message (raw)',
    group: 'ready',
    baseline: true,
    unit: PER_CHILD,
    run: () => toReady(rawReady),
  },
  {
    name: 'ready: @aiotools/fork afork()',
    group: 'ready',
    unit: PER_CHILD,
    run: () => toReady(aforkChild),
  },
  {
    name: 'ready: execaNode + getOneMessage()',
    group: 'ready',
    unit: PER_CHILD,
    run: () => toReady(execaReady),
  },
  {
    name: "ready: execaNode 'spawn' event (no handshake)",
    group: 'ready',
    unit: PER_CHILD,
    run: () => toReady(execaSpawned),
  },
  {
    name: 'exit: child_process.fork + IPC ready message (raw)',
    group: 'exit',
    baseline: true,
    unit: PER_CHILD,
    run: () => toExit(async () => rawChild()),
  },
  {
    name: 'exit: @aiotools/fork afork() + wait()',
    group: 'exit',
    unit: PER_CHILD,
    run: () => toExit(aforkChild),
  },
  {
    name: 'exit: execaNode + await',
    group: 'exit',
    unit: PER_CHILD,
    run: () => toExit(async () => execaChild()),
  },
  {
    name: `exit x${CONCURRENT} concurrent: child_process.fork (raw)`,
    group: 'exit concurrent',
    baseline: true,
    unit: PER_BATCH,
    run: () => batchToExit(async () => rawChild()),
  },
  {
    name: `exit x${CONCURRENT} concurrent: @aiotools/fork afork() + wait()`,
    group: 'exit concurrent',
    unit: PER_BATCH,
    run: () => batchToExit(aforkChild),
  },
  {
    name: `exit x${CONCURRENT} concurrent: execaNode + await`,
    group: 'exit concurrent',
    unit: PER_BATCH,
    run: () => batchToExit(async () => execaChild()),
  },
  {
    name: 'executor warm: piscina, 10k calls, 4 threads',
    group: 'executor warm',
    baseline: true,
    setup: () => warmPool(piscinaPool),
    run: timedCalls,
  },
  {
    name: 'executor warm: @aiotools/fork createExecutor, 10k calls, 4 threads',
    group: 'executor warm',
    setup: () => warmPool(executorPool),
    run: timedCalls,
  },
  {
    name: 'executor cold: piscina, start + 10k calls, 4 threads',
    group: 'executor cold',
    baseline: true,
    run: () => coldCalls(piscinaPool),
  },
  {
    name: 'executor cold: @aiotools/fork createExecutor, start + 10k calls, 4 threads',
    group: 'executor cold',
    run: () => coldCalls(executorPool),
  },
];
