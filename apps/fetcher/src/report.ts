// What the crawl looks like on the screen: one line per event, a progress line kept up to date
// in place on a terminal, and the summary table at the end. The renderers are pure functions
// of the counters, so they can be tested without a terminal.
import type { CrawlEvent, CrawlStats } from './crawl.js';

/** Seconds with one decimal: `1.4 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The line printed for an event. */
export function eventLine(event: CrawlEvent): string {
  const label = (word: string) => `  ${word.padEnd(8)}${event.path.padEnd(12)}`;
  switch (event.type) {
    case 'ok':
      return `${label('ok')}${event.ms} ms${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'retry':
      return `${label('retry')}${event.reason} at attempt ${event.attempt}, next in ${event.delay} ms`;
    case 'timeout':
      return `${label('timeout')}no answer within ${event.ms} ms`;
    case 'failed':
      return `${label('failed')}${event.reason} at attempt ${event.attempt}, giving up`;
  }
}

const BAR = 20;

/**
 * The progress line: a bar of the pages done out of those found so far, then the counters and
 * the time. Cut to `width` characters when given (a terminal's columns), so it never wraps.
 */
export function progressLine(stats: CrawlStats, elapsedMs: number, width?: number): string {
  const filled = stats.discovered === 0 ? 0 : Math.floor((BAR * stats.done) / stats.discovered);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}]`;
  const line =
    `${bar} ${stats.done}/${stats.discovered} pages · ${stats.inFlight} in flight · ` +
    `ok ${stats.ok} · retried ${stats.retried} · timed out ${stats.timedOut} · ` +
    `failed ${stats.failed} · ${seconds(elapsedMs)}`;
  return width === undefined || line.length <= width ? line : line.slice(0, Math.max(0, width));
}

/** How the crawl ended. */
export type Outcome =
  | { readonly type: 'finished' }
  | { readonly type: 'cancelled'; readonly reason: string }
  | { readonly type: 'failed'; readonly reason: string };

/** The summary: a headline and a table of the pages by result. */
export function summaryTable(stats: CrawlStats, outcome: Outcome, elapsedMs: number): string {
  const rows: Array<[string, string]> = [
    ['ok', String(stats.ok)],
    ['retried', String(stats.retried)],
    ['timed out', String(stats.timedOut)],
    ['failed', String(stats.failed)],
  ];
  const notFetched = stats.discovered - stats.done;
  if (notFetched > 0) rows.push(['not fetched', String(notFetched)]);
  const total: Array<[string, string]> = [
    ['total', String(stats.discovered)],
    ['requests', String(stats.requests)],
    ['time', seconds(elapsedMs)],
  ];
  const left = Math.max(...[...rows, ...total].map(([name]) => name.length), 'result'.length);
  const right = Math.max(...[...rows, ...total].map(([, value]) => value.length), 'pages'.length);
  const row = (name: string, value: string) => `  ${name.padEnd(left)}  ${value.padStart(right)}`;
  const rule = `  ${'-'.repeat(left)}  ${'-'.repeat(right)}`;

  let headline: string;
  switch (outcome.type) {
    case 'finished':
      headline = `Crawl finished in ${seconds(elapsedMs)}.`;
      break;
    case 'cancelled':
      headline =
        `Crawl cancelled after ${seconds(elapsedMs)} (${outcome.reason}): ` +
        `${stats.aborted} requests in flight aborted, ${notFetched} pages not fetched.`;
      break;
    case 'failed':
      headline = `Crawl failed after ${seconds(elapsedMs)}: ${outcome.reason}`;
      break;
  }
  return [
    headline,
    '',
    row('result', 'pages'),
    rule,
    ...rows.map(([name, value]) => row(name, value)),
    rule,
    ...total.map(([name, value]) => row(name, value)),
  ].join('\n');
}

/** Where the crawl's output goes. */
export interface Display {
  event(event: CrawlEvent): void;
  /** Redraws the progress line (on a terminal; elsewhere it does nothing). */
  tick(): void;
  /** Writes a line of its own (a message, the summary), clearing the progress line first. */
  line(text: string): void;
  /** Clears the progress line for good. */
  stop(): void;
}

/** The part of a stream a display writes to: `process.stdout`, or a fake in tests. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

const CLEAR_LINE = '\r\x1b[K';

/**
 * A display for `output`. On a terminal the progress line is rewritten in place (`\r`, then
 * "erase to the end of the line") and only retries, timeouts and failures get a line of their
 * own; elsewhere (a pipe, a file) every event is one plain line and there is no progress line.
 */
export function createDisplay(output: Output, stats: CrawlStats, elapsed: () => number): Display {
  if (output.isTTY !== true) {
    return {
      event: (event) => output.write(`${eventLine(event)}\n`),
      tick() {},
      line: (text) => output.write(`${text}\n`),
      stop() {},
    };
  }
  let shown = false;
  let stopped = false;
  const draw = () => {
    if (stopped) return;
    // A terminal of unknown size (columns 0 or unset) gets the whole line.
    const columns = output.columns ?? 0;
    const width = columns > 1 ? columns - 1 : undefined;
    output.write(`${shown ? CLEAR_LINE : ''}${progressLine(stats, elapsed(), width)}`);
    shown = true;
  };
  const clear = () => {
    if (shown) output.write(CLEAR_LINE);
    shown = false;
  };
  return {
    event(event) {
      if (event.type !== 'ok') {
        clear();
        output.write(`${eventLine(event)}\n`);
      }
      draw();
    },
    tick: draw,
    line(text) {
      clear();
      output.write(`${text}\n`);
      draw();
    },
    stop() {
      clear();
      stopped = true;
    },
  };
}
