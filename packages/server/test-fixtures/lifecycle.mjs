// One configurable server for the lifecycle tests. Its configuration is the JSON in
// process.argv[2]; the primary and every child run this same script with the same argv, so
// each process reads it. Every process appends what happens to it as JSON lines to `out`:
// { pid, ppid, index, pidx, event, signal, args, t, ... }. The primary prints READY from
// `READY <pid>` from onReady (its own pid: 1 when it is PID 1 of a namespace).
//
// Configuration (all optional but `out`):
//   out               the JSON-lines file
//   numWorkers, mode, stopSignals, args, waitTimeout, runToCompletion, ignoreChildInterrupts
//   mainYield         what the main context yields (absent: undefined)
//   noMain            run without a main context
//   mainNeverYields, mainYieldsTwice, neverYields, yieldsTwice
//   failIndices       worker indices whose startup throws Error('oops')
//   hangShutdownIndex the worker index whose shutdown never ends
//   slowStartupMs     a startup that takes this long
//   gate              a startup that waits until the file `${out}.gate` exists (noting any
//                     SIGTERM meanwhile)
//   mainGate          a main context startup that waits until `${out}.maingate` exists
//                     (noting any SIGTERM meanwhile)
//   teardownMs        a shutdown that takes this long
//   extraProcs        how many extra processes to run
import { appendFileSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  InterruptedBySignal,
  mainContext,
  processIndex,
  serverContext,
  startServer,
} from '@aiotools/server';

const config = JSON.parse(process.argv[2] ?? '{}');

function pidx() {
  try {
    return processIndex.get();
  } catch (error) {
    return `${error?.name}`;
  }
}

function record(event, fields = {}) {
  const line = { pid: process.pid, ppid: process.ppid, event, t: Date.now(), ...fields };
  appendFileSync(config.out, `${JSON.stringify(line)}\n`);
}

/** A promise that never settles, with a timer that keeps the process alive meanwhile. */
function forever() {
  return new Promise(() => setInterval(() => {}, 1 << 30));
}

function waitForFile(path) {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (existsSync(path)) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
}

const worker = serverContext(async function* ({ index, args }) {
  record('startup-begin', { index, pidx: pidx(), args });
  if (config.slowStartupMs) await sleep(config.slowStartupMs);
  if (config.gate) {
    const noted = (signal) => record('signal-during-startup', { index, signal });
    process.on('SIGTERM', noted);
    await waitForFile(`${config.out}.gate`);
    process.off('SIGTERM', noted);
  }
  if (config.failIndices?.includes(index)) throw new Error('oops');
  record('startup', { index, pidx: pidx(), args });
  if (config.neverYields) return;
  const signal = yield;
  record('shutdown-begin', { index, pidx: pidx(), signal });
  if (config.hangShutdownIndex === index) await forever();
  if (config.teardownMs) await sleep(config.teardownMs);
  record('shutdown', { index, pidx: pidx(), signal });
  if (config.yieldsTwice) yield;
});

const main = config.noMain
  ? undefined
  : mainContext(async function* () {
      record('main-startup');
      if (config.mainGate) {
        const noted = (signal) => record('main-signal-during-startup', { signal });
        process.on('SIGTERM', noted);
        await waitForFile(`${config.out}.maingate`);
        process.off('SIGTERM', noted);
      }
      if (config.mainNeverYields) return;
      const signal = yield config.mainYield;
      record('main-shutdown', { signal });
      if (config.mainYieldsTwice) yield;
    });

const extraProcs = Array.from(
  { length: config.extraProcs ?? 0 },
  () =>
    async ({ index, args, signal }) => {
      record('extra-start', { index, pidx: pidx(), args });
      try {
        await new Promise((_, reject) => {
          if (signal.aborted) {
            reject(signal.reason);
            return;
          }
          const keepAlive = setInterval(() => {}, 1 << 30);
          signal.addEventListener(
            'abort',
            () => {
              clearInterval(keepAlive);
              reject(signal.reason);
            },
            { once: true },
          );
        });
      } finally {
        const reason = signal.reason;
        record('extra-finally', {
          index,
          pidx: pidx(),
          aborted: signal.aborted,
          reasonName: reason?.name,
          signal: reason?.signal,
          isInterruptedBySignal: reason instanceof InterruptedBySignal,
        });
      }
    },
);

const options = {
  numWorkers: config.numWorkers,
  mode: config.mode,
  stopSignals: config.stopSignals,
  args: config.args,
  waitTimeout: config.waitTimeout,
  runToCompletion: config.runToCompletion,
  ignoreChildInterrupts: config.ignoreChildInterrupts,
  extraProcs,
  main,
  onReady: () => {
    record('ready');
    console.log(`READY ${process.pid}`);
  },
};

const code = await startServer(worker, options);
record('exit-code', { code });
process.exitCode = code;
