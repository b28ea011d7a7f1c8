import { inspect } from 'node:util';
import { sendToPrimary, TAG } from './child-message.js';
import { enterGenerator, leadingArgs } from './generator-context.js';
import { listenSignals } from './listen-signals.js';
import type { ServerSettings } from './resolve-settings.js';
import { StopLatch } from './stop-latch.js';

function failure(phase: 'startup' | 'shutdown' | 'run', error: unknown): Promise<void> {
  return sendToPrimary({ [TAG]: 'failed', phase, error: inspect(error) });
}

/**
 * The life of a process the primary started: the worker context (or the extra process's
 * function) with its process index, its stop signals, and the exit code it ends with. The stop
 * signal that arrives first is the one the context gets; repeats (the same signal sent to the
 * whole process group and forwarded by the primary) are absorbed; a signal during the startup
 * takes effect when the startup has finished.
 */
export async function runChild(
  settings: ServerSettings,
  index: number,
  mainValue: unknown,
): Promise<number> {
  const stop = new StopLatch();
  // The handlers stay until the process exits: a copy of the stop signal that arrives after
  // the shutdown (the primary's forward of a signal the whole group got) must not kill it.
  // The reload signal is the primary's; a copy sent to the whole group is absorbed here.
  const signals = [...settings.stopSignals];
  if (settings.reloadSignal !== null) signals.push(settings.reloadSignal);
  listenSignals(signals, (signal) => {
    if (signal !== settings.reloadSignal) stop.stop(signal);
  });
  // The primary is gone (killed, even by SIGKILL): leave at once, as node:cluster's workers do.
  const onDisconnect = (): void => process.exit(1);
  process.once('disconnect', onDisconnect);
  await sendToPrimary({ [TAG]: 'started' });
  const args = [...leadingArgs(mainValue), ...settings.args];
  try {
    // No processIndex.run() here: the index is the variable's default in this process (see
    // process-index.ts), and a run() would turn the async-context machinery on for every
    // request the worker serves.
    return index < settings.numWorkers
      ? await runWorker(settings, index, args, stop)
      : await runExtra(settings, index, args, stop.abortSignal);
  } finally {
    process.off('disconnect', onDisconnect);
  }
}

async function runWorker(
  settings: ServerSettings,
  index: number,
  args: unknown[],
  stop: StopLatch,
): Promise<number> {
  let entered: Awaited<ReturnType<typeof enterGenerator<void>>>;
  try {
    entered = await enterGenerator(settings.worker({ index, args }), 'The worker context');
  } catch (error) {
    await failure('startup', error);
    return 1;
  }
  await sendToPrimary({ [TAG]: 'ready' });
  if (!settings.runToCompletion) await stop.wait();
  try {
    await entered.exit(stop.signal ?? settings.defaultSignal);
  } catch (error) {
    await failure('shutdown', error);
    return 1;
  }
  return 0;
}

async function runExtra(
  settings: ServerSettings,
  index: number,
  args: unknown[],
  signal: AbortSignal,
): Promise<number> {
  const fn = settings.extraProcs[index - settings.numWorkers];
  await sendToPrimary({ [TAG]: 'ready' });
  try {
    await fn?.({ index, args, signal });
  } catch (error) {
    if (signal.aborted && error === signal.reason) return 0;
    await failure('run', error);
    return 1;
  }
  return 0;
}
