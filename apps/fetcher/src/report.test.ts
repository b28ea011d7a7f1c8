import { describe, expect, it } from 'vitest';
import { type CrawlStats, emptyStats } from './crawl.js';
import { createDisplay, eventLine, type Output, progressLine, summaryTable } from './report.js';

function stats(values: Partial<CrawlStats>): CrawlStats {
  return { ...emptyStats(), ...values };
}

function fakeOutput(isTTY: boolean, columns?: number): Output & { text: string } {
  return {
    text: '',
    isTTY,
    columns,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('progressLine', () => {
  it('shows a bar of the pages done out of those found, the counters and the time', () => {
    const line = progressLine(
      stats({ discovered: 40, done: 10, inFlight: 4, ok: 7, retried: 1, timedOut: 1, failed: 1 }),
      1_250,
    );
    expect(line).toBe(
      '[#####---------------] 10/40 pages · 4 in flight · ok 7 · retried 1 · timed out 1 · failed 1 · 1.3 s',
    );
  });

  it('is empty before anything was found and full when everything is done', () => {
    expect(progressLine(emptyStats(), 0)).toMatch(/^\[-{20}\] 0\/0 pages/);
    expect(progressLine(stats({ discovered: 3, done: 3 }), 0)).toMatch(/^\[#{20}\] 3\/3 pages/);
  });

  it('is cut to the width of the terminal', () => {
    expect(progressLine(stats({ discovered: 2, done: 1 }), 0, 30)).toBe(
      '[##########----------] 1/2 pag',
    );
  });
});

describe('eventLine', () => {
  it('names the page and what happened to it', () => {
    expect(eventLine({ type: 'ok', path: '/page/1', attempt: 1, ms: 12 })).toBe(
      '  ok      /page/1     12 ms',
    );
    expect(eventLine({ type: 'ok', path: '/page/5', attempt: 2, ms: 140 })).toBe(
      '  ok      /page/5     140 ms (attempt 2)',
    );
    expect(
      eventLine({ type: 'retry', path: '/page/5', attempt: 1, reason: '503', delay: 100 }),
    ).toBe('  retry   /page/5     503 at attempt 1, next in 100 ms');
    expect(eventLine({ type: 'timeout', path: '/page/10', ms: 1_000 })).toBe(
      '  timeout /page/10    no answer within 1000 ms',
    );
    expect(eventLine({ type: 'failed', path: '/missing', attempt: 1, reason: '404' })).toBe(
      '  failed  /missing    404 at attempt 1, giving up',
    );
  });
});

describe('summaryTable', () => {
  it('counts the pages by result when the crawl finished', () => {
    const counters = stats({ discovered: 32, done: 32, requests: 41, ok: 25, retried: 4 });
    Object.assign(counters, { timedOut: 1, failed: 2 });
    expect(summaryTable(counters, { type: 'finished' }, 1_420).split('\n')).toEqual([
      'Crawl finished in 1.4 s.',
      '',
      '  result     pages',
      '  ---------  -----',
      '  ok            25',
      '  retried        4',
      '  timed out      1',
      '  failed         2',
      '  ---------  -----',
      '  total         32',
      '  requests      41',
      '  time       1.4 s',
    ]);
  });

  it('says "cancelled", with the requests aborted and the pages not fetched', () => {
    const counters = stats({ discovered: 13, done: 1, requests: 5, ok: 1, aborted: 4 });
    const table = summaryTable(counters, { type: 'cancelled', reason: 'Received SIGINT' }, 2_300);
    expect(table.split('\n')[0]).toBe(
      'Crawl cancelled after 2.3 s (Received SIGINT): 4 requests in flight aborted, 12 pages not fetched.',
    );
    expect(table).toContain('\n  not fetched     12\n');
  });
});

describe('createDisplay', () => {
  it('off a terminal: one plain line per event, no progress line', () => {
    const output = fakeOutput(false);
    const counters = emptyStats();
    const display = createDisplay(output, counters, () => 0);
    display.line('Crawl started');
    display.event({ type: 'ok', path: '/', attempt: 1, ms: 5 });
    display.tick();
    display.event({ type: 'timeout', path: '/page/10', ms: 1_000 });
    display.stop();
    expect(output.text).toBe(
      'Crawl started\n  ok      /           5 ms\n  timeout /page/10    no answer within 1000 ms\n',
    );
  });

  it('on a terminal: the progress line is rewritten in place, events other than ok get a line', () => {
    const output = fakeOutput(true, 80);
    const counters = stats({ discovered: 2 });
    const display = createDisplay(output, counters, () => 500);
    display.line('Crawl started');
    counters.done = 1;
    counters.ok = 1;
    display.event({ type: 'ok', path: '/', attempt: 1, ms: 5 });
    counters.done = 2;
    counters.timedOut = 1;
    display.event({ type: 'timeout', path: '/page/10', ms: 1_000 });
    display.stop();
    display.line('summary');
    const progress = (done: number, ok: number, timedOut: number) =>
      progressLine(stats({ discovered: 2, done, ok, timedOut }), 500, 79);
    expect(output.text).toBe(
      [
        'Crawl started\n',
        progress(0, 0, 0),
        `\r\x1b[K${progress(1, 1, 0)}`,
        '\r\x1b[K  timeout /page/10    no answer within 1000 ms\n',
        progress(2, 1, 1),
        '\r\x1b[K',
        'summary\n',
      ].join(''),
    );
  });

  it('on a terminal of unknown size the line is not cut', () => {
    const output = fakeOutput(true, 0);
    createDisplay(output, stats({ discovered: 1 }), () => 0).tick();
    expect(output.text).toBe(progressLine(stats({ discovered: 1 }), 0));
  });
});
