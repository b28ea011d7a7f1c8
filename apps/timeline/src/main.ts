// timeline: a day of timers, retries, deadlines, a queue and a shielded cleanup, run on a
// VirtualClock — 24 hours of virtual time in milliseconds of real time — and printed as a
// timeline. The output is the same on every run, but for the real time on the last line.
import { parseArgs } from 'node:util';
import { TimerDelayPolicy } from '@aiotools/timer';
import { VirtualClock } from '@aiotools/vclock';
import { END_OF_DAY, runDay } from './day.js';
import { grouped, parseTimeOfDay, stamp } from './stamp.js';

const USAGE = [
  'Usage: node dist/main.js [options]',
  '',
  'Runs a day of a small service on a virtual clock and prints its timeline.',
  '',
  '  --demo                 the same day (it takes milliseconds)',
  '  --until HH:MM          end the day early: what still runs is cancelled (default 24:00)',
  '  --cron-policy POLICY   cancel (default) or default: what the cron job does with a run',
  '                         still going when the next one is due',
  '  --help                 this text',
].join('\n');

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let values: { until?: string; 'cron-policy'?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      demo: { type: 'boolean' },
      until: { type: 'string' },
      'cron-policy': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}

if (values.help === true) {
  process.stdout.write(`${USAGE}\n`);
} else {
  const until = values.until === undefined ? END_OF_DAY : parseTimeOfDay(values.until);
  if (until === undefined) fail(`Expected \`--until\` to be a time HH:MM, got \`${values.until}\``);
  const policies = { cancel: TimerDelayPolicy.CANCEL, default: TimerDelayPolicy.DEFAULT };
  const policyName = values['cron-policy'] ?? 'cancel';
  if (policyName !== 'cancel' && policyName !== 'default') {
    fail(`Expected \`--cron-policy\` to be cancel or default, got \`${policyName}\``);
  }

  // Measured before the clock is installed: inside it, performance.now() is virtual too.
  const realStart = performance.now();
  const clock = new VirtualClock({ date: Date.UTC(2030, 0, 1) });
  const log = (who: string, text: string) => {
    process.stdout.write(`${stamp(clock.now())}  ${who.padEnd(9)}${text}\n`);
  };

  process.stdout.write('A day on a virtual clock: timers, retries, deadlines, a queue.\n\n');
  await clock.run(async () => {
    log('day', `the clock starts; Date says ${new Date().toISOString()}`);
    await runDay({ until, cronPolicy: policies[policyName] }, log);
    log('day', `everything has ended; Date says ${new Date().toISOString()}`);
  });
  const virtual = clock.now();
  const real = Math.round(performance.now() - realStart);
  process.stdout.write(
    `\nVirtual time elapsed: ${stamp(virtual)} (${grouped(virtual)} ms), in ${real} ms of real time.\n`,
  );
}
