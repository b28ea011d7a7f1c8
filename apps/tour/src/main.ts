// A short, non-interactive walk through the @aiotools packages: every stop prints what
// happens and leaves nothing running, so the process exits by itself with code 0.
import { cancelStop } from './stops/cancel.js';
import { contextStop } from './stops/context.js';
import { coreStop } from './stops/core.js';
import { forkStop } from './stops/fork.js';
import { funcStop } from './stops/func.js';
import { scopeStop } from './stops/scope.js';
import { serverStop } from './stops/server.js';
import { syncStop } from './stops/sync.js';
import { timerStop } from './stops/timer.js';
import { vclockStop } from './stops/vclock.js';

const stops: Array<() => Promise<void>> = [
  coreStop,
  cancelStop,
  scopeStop,
  syncStop,
  contextStop,
  funcStop,
  vclockStop,
  timerStop,
  forkStop,
  serverStop,
];

const started = performance.now();
for (const stop of stops) await stop();
process.stdout.write(`\nTour finished in ${(performance.now() - started).toFixed(0)} ms.\n`);
