// The day run in the test process on a VirtualClock, against the packages' sources.
import { TimerDelayPolicy } from '@aiotools/timer';
import { VirtualClock } from '@aiotools/vclock';
import { describe, expect, it } from 'vitest';
import { at, END_OF_DAY, runDay } from './day.js';
import { stamp } from './stamp.js';

async function day(until: number, cronPolicy: TimerDelayPolicy = TimerDelayPolicy.CANCEL) {
  const clock = new VirtualClock();
  const lines: string[] = [];
  await clock.run(() =>
    runDay({ until, cronPolicy }, (who, text) =>
      lines.push(`${stamp(clock.now())} ${who}: ${text}`),
    ),
  );
  return { lines, end: clock.now() };
}

describe('runDay', () => {
  it('runs to midnight, then the gateway closes in its shield', async () => {
    const { lines, end } = await day(END_OF_DAY);
    expect(end).toBe(END_OF_DAY + 2_000);
    expect(lines).toContain('02:07:01.000 sync: attempt 4 ok after 3 retries (7 min 1 s)');
    expect(lines).toContain(
      '06:30:05.000 report: TimeoutError: 4 of 10 parts done within the deadline',
    );
    expect(lines).toContain('10:15:00.000 cron: run #5: backup cancelled, the next run is due');
    expect(lines).toContain('13:10:00.000 poll: file received after 10 min');
    expect(lines.slice(-3)).toEqual([
      '24:00:00.000 day: the day is over: cancelling what still runs',
      '24:00:00.000 gateway: cancelled: saying goodbye to 3 clients (in a shield)',
      '24:00:02.000 gateway: 3 connections closed',
    ]);
  });

  it('gives the same timeline on every run', async () => {
    const first = await day(at(12));
    const second = await day(at(12));
    expect(second.lines).toEqual(first.lines);
  });

  it('ended while the report runs, the report is cancelled after its cleanup', async () => {
    const { lines, end } = await day(at(6, 10));
    expect(end).toBe(at(6, 10, 5));
    expect(lines.slice(-2)).toEqual([
      '06:10:05.000 report: partial file removed',
      '06:10:05.000 report: cancelled: the day ended before the deadline',
    ]);
  });
});
