// The built app run as a user runs it: `node main.js` in a real process that serves its
// site on 127.0.0.1 and crawls it, a real SIGINT in the middle of a crawl, and its output read
// from the pipe (and, where `script` exists, from a pseudo-terminal).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  type AppRun,
  appUnderTest,
  bounded,
  isRunning,
  killLeftover,
} from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const LIMIT = 15_000;

// The app's own build (tsup config), from the sources beside this file, into a directory of its
// own (see buildApp); the packages it imports are the built ones (dist/ of packages/*), as for a
// user. A run a test leaves running is killed after it.
const app = appUnderTest(appDir, { cleanupTimeoutMs: LIMIT });

/** The whole first line (printed so far or later) that matches, bounded. */
async function line(run: AppRun, match: RegExp): Promise<string> {
  return (await run.waitFor(match, { timeoutMs: LIMIT })).input;
}

/** Runs `fn` with a started app. */
async function withApp(args: readonly string[], fn: (run: AppRun) => Promise<void>): Promise<void> {
  await fn(app.start(args));
}

/** The rows of the summary table: `name → value`. */
function summary(lines: readonly string[]): Map<string, string> {
  const header = lines.findIndex((line) => /^\s+result\s+pages$/.test(line));
  expect(header, 'the summary table').toBeGreaterThan(0);
  const rows = new Map<string, string>();
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') break;
    const match = /^\s+([a-z ]+?)\s{2,}(\S.*)$/.exec(line);
    if (match !== null) rows.set(match[1]!, match[2]!.trim());
  }
  return rows;
}

/** One GET on a connection of its own, resolving with the status and the body. */
function fetchOnce(url: string): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve([res.statusCode ?? 0, body]));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('fetcher', () => {
  it('--demo crawls the whole site and prints the summary, exit code 0', async () => {
    await withApp(['--demo'], async (run) => {
      const { code, signal } = await bounded(run.exited, LIMIT, 'the end of the demo');
      expect([code, signal]).toEqual([0, null]);
      const out = run.lines();
      expect(out[0]).toMatch(/^Serving 31 pages on http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(out).toContainEqual(expect.stringMatching(/^Crawl started: concurrency 6,/));
      expect(out).toContainEqual(expect.stringMatching(/^Crawl finished in \d+\.\d s\.$/));
      // The page that never answers meets its deadline; the dead link and the page that
      // always fails are given up, the latter after every retry.
      expect(out).toContainEqual(
        expect.stringMatching(/^\s+timeout\s+\/page\/10\s+no answer within 1000 ms$/),
      );
      expect(out).toContainEqual(
        expect.stringMatching(/^\s+failed\s+\/missing\s+404 at attempt 1/),
      );
      expect(out).toContainEqual(
        expect.stringMatching(/^\s+failed\s+\/page\/30\s+500 at attempt 4/),
      );
      expect(out).toContainEqual(expect.stringMatching(/^\s+retry\s+\/page\/5\s+503 at attempt 1/));
      expect(out.at(-1)).toBe('Server closed.');
      const rows = summary(out);
      expect(rows.get('total')).toBe('32');
      const counted = ['ok', 'retried', 'timed out', 'failed'].map((name) =>
        Number(rows.get(name)),
      );
      expect(counted.reduce((a, b) => a + b)).toBe(32);
      expect(rows.has('not fetched')).toBe(false);
      expect(run.stderr()).toBe('');
    });
  });

  it('sorts every page by its result: ok, ok after retries, timed out, failed', async () => {
    // Slow pages far below the deadline, so that only the hanging page can time out.
    await withApp(['--demo', '--slow', '50', '--timeout', '3000'], async (run) => {
      const { code } = await bounded(run.exited, LIMIT, 'the end of the crawl');
      expect(code).toBe(0);
      const rows = summary(run.lines());
      expect(Object.fromEntries(rows)).toMatchObject({
        ok: '25',
        retried: '4', // pages 5, 11, 23 and 29 answer 503 once or twice
        'timed out': '1', // page 10 never answers
        failed: '2', // /missing (404) and page 30 (always 500)
        total: '32',
        // 32 pages, plus 6 retries of the flaky pages and 3 of page 30
        requests: '41',
      });
      expect(run.lines()).toContainEqual(
        expect.stringMatching(/^\s+ok\s+\/page\/11\s+\d+ ms \(attempt 3\)$/),
      );
    });
  });

  it('SIGINT mid-crawl aborts the requests in flight, prints "cancelled" and exits 130', async () => {
    // Every page takes 2 s to answer: when the home page has arrived, the requests for its
    // links are in flight for a good while.
    const args = ['--latency', '2000', '--timeout', '20000'];
    await withApp(args, async (run) => {
      const serving = await line(run, /^Serving \d+ pages on /);
      const url = serving.slice(serving.indexOf('http://'));
      await line(run, /^Crawl started:/);
      // The site is a real server on 127.0.0.1: ask it for the home page too.
      const [status, body] = await bounded(fetchOnce(url), LIMIT, 'the home page');
      expect(status).toBe(200);
      expect(body).toContain('<a href="/page/1">');
      await line(run, /^\s+ok\s+\/\s/);
      const pid = run.pid;
      expect(isRunning(pid)).toBe(true);
      run.signal('SIGINT');

      const { code, signal } = await bounded(run.exited, LIMIT, 'the exit after SIGINT');
      expect([code, signal]).toEqual([130, null]);
      expect(isRunning(pid)).toBe(false);
      const headline = await line(run, /^Crawl cancelled after/);
      const aborted = /\(Received SIGINT\): (\d+) requests in flight aborted, (\d+) pages not/.exec(
        headline,
      );
      expect(aborted, headline).not.toBeNull();
      expect(Number(aborted![1])).toBeGreaterThan(0);
      const rows = summary(run.lines());
      expect(Number(rows.get('ok'))).toBeGreaterThanOrEqual(1);
      expect(Number(rows.get('not fetched'))).toBe(Number(aborted![2]));
      // The shielded cleanup ran after the cancellation: summary first, then the close.
      expect(run.lines().at(-1)).toBe('Server closed.');
      expect(run.stderr()).toBe('Stopped by SIGINT\n');
    });
  });

  it('a bad option prints the usage on stderr and exits 2', async () => {
    await withApp(['--concurrency', '0'], async (run) => {
      const { code } = await bounded(run.exited, LIMIT, 'the exit');
      expect(code).toBe(2);
      expect(run.stderr()).toMatch(/^Expected `--concurrency` to be an integer ≥ 1, got `0`\n/);
      expect(run.stderr()).toContain('Usage: node dist/main.js [options]');
      expect(run.lines()).toEqual([]);
    });
  });

  // util-linux `script` runs the app on a pseudo-terminal: process.stdout.isTTY is true there.
  const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('on a terminal the progress line is rewritten in place', async () => {
    const command = `'${process.execPath}' '${app.main()}' --demo`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.stderr.resume();
    try {
      const [code] = await bounded(once(child, 'close'), LIMIT, 'the end of the demo on a pty');
      expect(code).toBe(0);
      // Rewritten after a carriage return and "erase line", never a new line per update;
      // the last state shows every page done.
      const erase = '\r\x1b[K';
      const rewrites = out.split(erase).slice(1);
      expect(
        rewrites.filter((text) => /^\[#*-*\] \d+\/\d+ pages · /.test(text)).length,
      ).toBeGreaterThan(5);
      expect(out).toMatch(/\n\[#{20}\] 32\/32 pages · 0 in flight · ok \d+ · retried \d+/);
      expect(out).toContain(`${erase}  timeout /page/10    no answer within 1000 ms`);
      expect(out).not.toMatch(/\n {2}ok {6}\//);
      expect(out).toContain('Crawl finished in');
    } finally {
      killLeftover(child.pid ?? -1, command);
    }
  });
});
