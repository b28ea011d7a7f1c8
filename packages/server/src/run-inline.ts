import { type EnteredGenerator, enterGenerator, leadingArgs } from './generator-context.js';
import { listenSignals } from './listen-signals.js';
import { processIndex } from './process-index.js';
import { announceReady, report } from './report.js';
import type { ServerSettings } from './resolve-settings.js';
import { StopLatch } from './stop-latch.js';

/**
 * Inline mode: the main context and the worker context (index 0) in the calling process, with
 * the signal semantics of a worker: the first stop signal is the one the contexts get, repeats
 * are absorbed, a signal during the startup takes effect when it has finished. Its explicit
 * handlers are what make PID 1 of a container stop on SIGTERM at all.
 */
export async function runInline(settings: ServerSettings): Promise<number> {
  const stop = new StopLatch();
  const removeSignals = listenSignals(settings.stopSignals, (signal) => stop.stop(signal));
  let failed = false;
  let main: EnteredGenerator<unknown> | undefined;
  try {
    if (settings.main !== undefined) {
      try {
        main = await enterGenerator(settings.main(), 'The main context');
      } catch (error) {
        report('the main context failed during startup', error);
        return 1;
      }
    }
    const args = [...leadingArgs(main?.value), ...settings.args];
    await processIndex.run(0, async () => {
      let worker: EnteredGenerator<void>;
      try {
        worker = await enterGenerator(settings.worker({ index: 0, args }), 'The worker context');
      } catch (error) {
        failed = true;
        report('worker 0 failed during startup', error);
        return;
      }
      if (stop.signal === undefined) {
        announceReady(settings.onReady);
      }
      if (!settings.runToCompletion) await stop.wait();
      if (
        !(await withinWaitTimeout(
          worker.exit(stop.signal ?? settings.defaultSignal),
          settings.waitTimeout,
        ))
      ) {
        failed = true;
      }
    });
    if (main !== undefined) {
      try {
        await main.exit(stop.signal ?? settings.defaultSignal);
      } catch (error) {
        failed = true;
        report('the main context failed during shutdown', error);
      }
    }
    return failed ? 1 : 0;
  } finally {
    removeSignals();
  }
}

/** Waits for the worker's shutdown, up to `waitTimeout`; false when it failed or timed out. */
async function withinWaitTimeout(shutdown: Promise<void>, timeout: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    if (Number.isFinite(timeout)) timer = setTimeout(() => resolve('expired'), timeout);
  });
  try {
    const outcome = await Promise.race([shutdown.then(() => 'done' as const), expired]);
    if (outcome === 'expired') {
      report(`worker 0 did not stop within waitTimeout (${timeout} ms): its shutdown is abandoned`);
      return false;
    }
    return true;
  } catch (error) {
    report('worker 0 failed during shutdown', error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
