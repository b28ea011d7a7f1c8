// The built app run as a user runs it: `node main.js` in a real process, its timeline
// read from the pipe and compared line by line. Only the real time on the last line differs
// from one run to the next.
import { fileURLToPath } from 'node:url';
import { appUnderTest, bounded } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const LIMIT = 15_000;

// The app's own build (tsup config), into a directory of its own (see buildApp); the packages
// it imports are the built ones, as for a user.
const app = appUnderTest(appDir);

interface Result {
  readonly code: number | null;
  readonly lines: string[];
  readonly stderr: string;
}

/** Runs the app to its end, bounded, and returns its exit code and output. */
async function runApp(args: readonly string[]): Promise<Result> {
  const run = app.start(args);
  const { code } = await bounded(run.exited, LIMIT, 'the end of the day');
  return { code, lines: run.stdout().split('\n'), stderr: run.stderr() };
}

/** The output without the blank line, the last line (the real time) and the final newline. */
function timeline(result: Result): string[] {
  expect(result.lines.at(-1)).toBe('');
  expect(result.lines.at(-3)).toBe('');
  return result.lines.slice(0, -3);
}

const LAST_LINE = /^Virtual time elapsed: (\S+) \(([\d,]+) ms\), in \d+ ms of real time\.$/;

const DAY = [
  'A day on a virtual clock: timers, retries, deadlines, a queue.',
  '',
  '00:00:00.000  day      the clock starts; Date says 2030-01-01T00:00:00.000Z',
  '00:00:00.000  gateway  3 clients connected; the gateway stays open all day',
  '02:00:00.000  sync     nightly sync: calling the upstream (each call has a 10 s deadline)',
  '02:00:00.250  sync     attempt 1 failed (503); retrying in 1 min',
  '02:01:00.500  sync     attempt 2 failed (503); retrying in 2 min',
  '02:03:00.750  sync     attempt 3 failed (503); retrying in 4 min',
  '02:07:01.000  sync     attempt 4 ok after 3 retries (7 min 1 s)',
  '06:00:00.000  report   started: 10 parts of 7 min, deadline 30 min (failAfter)',
  '06:30:00.000  report   stopped in part 5: removing the partial file (in a shield)',
  '06:30:05.000  report   partial file removed',
  '06:30:05.000  report   TimeoutError: 4 of 10 parts done within the deadline',
  '08:12:00.000  orders   order #1 arrives; the worker takes it at once',
  '08:16:00.000  worker   order #1 handled',
  '08:47:00.000  orders   order #2 arrives; the worker takes it at once',
  '08:51:00.000  worker   order #2 handled',
  '09:00:00.000  cron     every 15 min from 09:00 to 10:45 (createTimer, delay policy CANCEL)',
  '09:00:02.000  cron     run #1: health check ok',
  '09:05:00.000  orders   order #3 arrives; the worker takes it at once',
  '09:05:30.000  orders   order #4 arrives; 1 in the queue',
  '09:06:00.000  orders   order #5 arrives; 2 in the queue',
  '09:06:30.000  orders   order #6 arrives; the queue is full, the desk waits',
  '09:09:00.000  worker   order #3 handled',
  '09:09:00.000  orders   order #6 queued after 2 min 30 s',
  '09:09:00.000  worker   order #4 taken after 3 min 30 s waiting',
  '09:13:00.000  worker   order #4 handled',
  '09:13:00.000  worker   order #5 taken after 7 min waiting',
  '09:15:02.000  cron     run #2: health check ok',
  '09:17:00.000  worker   order #5 handled',
  '09:17:00.000  worker   order #6 taken after 10 min 30 s waiting',
  '09:21:00.000  worker   order #6 handled',
  '09:30:02.000  cron     run #3: health check ok',
  '09:45:02.000  cron     run #4: health check ok',
  '10:00:00.000  cron     run #5: the backup, which takes 20 min',
  '10:15:00.000  cron     run #5: backup cancelled, the next run is due',
  '10:15:02.000  cron     run #6: health check ok',
  '10:30:02.000  cron     run #7: health check ok',
  '10:45:02.000  cron     run #8: health check ok',
  '10:55:00.000  cron     window closed after 8 runs',
  '11:30:00.000  orders   order #7 arrives; the worker takes it at once',
  '11:34:00.000  worker   order #7 handled',
  "12:00:00.000  poll     waiting for the partner's file, at most 20 min (moveOnAfter)",
  '12:20:00.000  poll     no file within 20 min: moving on',
  "13:00:00.000  poll     waiting for the partner's file, at most 20 min (moveOnAfter)",
  '13:10:00.000  partner  uploads the file',
  '13:10:00.000  poll     file received after 10 min',
  '14:02:00.000  orders   order #8 arrives; the worker takes it at once',
  '14:06:00.000  worker   order #8 handled',
  '16:45:00.000  orders   order #9 arrives; the worker takes it at once',
  '16:49:00.000  worker   order #9 handled',
  '17:59:00.000  orders   order #10 arrives; the worker takes it at once',
  '18:00:00.000  orders   closing time: the queue is closed',
  '18:03:00.000  worker   order #10 handled',
  '18:03:00.000  worker   the queue is closed and empty: 10 orders handled today',
  '24:00:00.000  day      the day is over: cancelling what still runs',
  '24:00:00.000  gateway  cancelled: saying goodbye to 3 clients (in a shield)',
  '24:00:02.000  gateway  3 connections closed',
  '24:00:02.000  day      everything has ended; Date says 2030-01-02T00:00:02.000Z',
];

describe('timeline', () => {
  it('--demo prints the day, the same on every run, and exits 0', async () => {
    const first = await runApp(['--demo']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(timeline(first)).toEqual(DAY);
    expect(first.lines.at(-2)).toMatch(LAST_LINE);
    expect(LAST_LINE.exec(first.lines.at(-2)!)?.slice(1, 3)).toEqual([
      '24:00:02.000',
      '86,402,000',
    ]);

    // Without --demo: the same day, to the line.
    const second = await runApp([]);
    expect(second.code).toBe(0);
    expect(timeline(second)).toEqual(timeline(first));
  });

  it('--until ends the day early: the report is cancelled and cleans up in its shield', async () => {
    const result = await runApp(['--until', '06:10']);
    expect(result.code).toBe(0);
    const until = DAY.findIndex((line) => line.startsWith('06:00:00.000'));
    expect(timeline(result)).toEqual([
      ...DAY.slice(0, until + 1),
      '06:10:00.000  day      the day is over: cancelling what still runs',
      '06:10:00.000  report   stopped in part 2: removing the partial file (in a shield)',
      '06:10:00.000  gateway  cancelled: saying goodbye to 3 clients (in a shield)',
      '06:10:02.000  gateway  3 connections closed',
      '06:10:05.000  report   partial file removed',
      '06:10:05.000  report   cancelled: the day ended before the deadline',
      '06:10:05.000  day      everything has ended; Date says 2030-01-01T06:10:05.000Z',
    ]);
    expect(LAST_LINE.exec(result.lines.at(-2)!)?.slice(1, 3)).toEqual([
      '06:10:05.000',
      '22,205,000',
    ]);
  });

  it('--cron-policy default lets the overrunning backup finish beside the next runs', async () => {
    const result = await runApp(['--cron-policy', 'default']);
    expect(result.code).toBe(0);
    const cron = timeline(result).filter((line) => / {2}cron {5}/.test(line));
    expect(cron).toEqual([
      '09:00:00.000  cron     every 15 min from 09:00 to 10:45 (createTimer, delay policy DEFAULT)',
      '09:00:02.000  cron     run #1: health check ok',
      '09:15:02.000  cron     run #2: health check ok',
      '09:30:02.000  cron     run #3: health check ok',
      '09:45:02.000  cron     run #4: health check ok',
      '10:00:00.000  cron     run #5: the backup, which takes 20 min',
      '10:15:02.000  cron     run #6: health check ok',
      '10:20:00.000  cron     run #5: backup done',
      '10:30:02.000  cron     run #7: health check ok',
      '10:45:02.000  cron     run #8: health check ok',
      '10:55:00.000  cron     window closed after 8 runs',
    ]);
    // Everything else is the default day's.
    expect(timeline(result).filter((line) => !/ {2}cron {5}/.test(line))).toEqual(
      DAY.filter((line) => !/ {2}cron {5}/.test(line)),
    );
  });

  it('a bad option prints the usage on stderr and exits 2', async () => {
    const result = await runApp(['--until', '25:00']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Expected `--until` to be a time HH:MM, got `25:00`\n/);
    expect(result.stderr).toContain('Usage: node dist/main.js [options]');
    expect(result.lines).toEqual(['']);
  });
});
