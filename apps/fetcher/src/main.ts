// fetcher: serves a generated site on 127.0.0.1, then crawls it with bounded concurrency,
// per-request deadlines and retries, a live progress line and a summary at the end. Ctrl-C
// cancels the crawl: the requests in flight are aborted, the summary and the server's close
// still run (in a shield), and the process exits with code 130.
import { cancelAndWait, shield } from '@aiotools/cancel';
import { isCancellation } from '@aiotools/core';
import { run } from '@aiotools/scope';
import { createTimer } from '@aiotools/timer';
import { crawl, emptyStats } from './crawl.js';
import { parseOptions, usage } from './options.js';
import { createDisplay, type Outcome, summaryTable } from './report.js';
import { startSite } from './site.js';

let options: ReturnType<typeof parseOptions>;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${usage()}\n`);
  process.exit(2);
}

if (options.help) {
  process.stdout.write(`${usage()}\n`);
} else {
  // run(): the first SIGINT or SIGTERM cancels main; with exitOnSignal the process then ends
  // with 128 + the signal's number (130 for SIGINT) once main's cleanup has finished.
  await run(
    async () => {
      const site = await startSite({
        pages: options.pages,
        latency: options.latency,
        slowLatency: options.slow,
      });
      const stats = emptyStats();
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      const display = createDisplay(process.stdout, stats, elapsed);
      // On a terminal the progress line's clock moves on between events too.
      const redraw = process.stdout.isTTY === true ? createTimer(() => display.tick(), 100) : null;
      let outcome: Outcome = { type: 'finished' };

      display.line(`Serving ${site.pages.size} pages on ${site.url}`);
      display.line(
        `Crawl started: concurrency ${options.concurrency}, deadline ${options.timeout} ms per ` +
          `request, ${options.retries} retries (Ctrl-C cancels)`,
      );
      try {
        await crawl(new URL(site.url), options, stats, (event) => display.event(event));
      } catch (error) {
        outcome = isCancellation(error)
          ? { type: 'cancelled', reason: (error as Error).message }
          : { type: 'failed', reason: String(error) };
        throw error;
      } finally {
        // The cleanup must finish although main is being cancelled: in a shield, the
        // cancellation waits until the summary is out and the server has closed.
        await shield(async () => {
          if (redraw !== null) await cancelAndWait(redraw);
          display.stop();
          process.stdout.write(`\n${summaryTable(stats, outcome, elapsed())}\n\n`);
          await site.close();
          process.stdout.write('Server closed.\n');
        });
      }
    },
    { exitOnSignal: true },
  );
}
