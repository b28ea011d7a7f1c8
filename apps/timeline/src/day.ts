// A day of a small service, written as ordinary async code with real durations — minutes,
// hours — that the VirtualClock of main.ts runs in milliseconds. Every job is a task of one
// TaskGroup; the day ends when the group is cancelled, and what must still happen then (closing
// the gateway) runs in a shield.
import { cancelAndWait, failAfter, moveOnAfter, shield } from '@aiotools/cancel';
import { currentClock, isCancellation, sleep, TimeoutError } from '@aiotools/core';
import { TaskGroup } from '@aiotools/scope';
import { Event, Queue } from '@aiotools/sync';
import { createTimer, TimerDelayPolicy } from '@aiotools/timer';
import { duration } from './stamp.js';

/** Writes one line of the timeline, stamped with the current (virtual) time. */
export type Log = (who: string, text: string) => void;

/** What the command line can change about the day. */
export interface DayOptions {
  /** When the day is ended (ms since midnight): everything still running is cancelled. */
  readonly until: number;
  /** The cron job's policy for a run still going when the next one is due. */
  readonly cronPolicy: TimerDelayPolicy;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** A time of the day, as ms since midnight. */
export const at = (hours: number, minutes = 0, seconds = 0): number =>
  ((hours * 60 + minutes) * 60 + seconds) * SECOND;

/** Midnight at the end of the day. */
export const END_OF_DAY = at(24);

const now = () => currentClock().now();
const sleepUntil = (time: number) => sleep(Math.max(0, time - now()));

/** The gateway: clients stay connected all day; it says goodbye when the day is cancelled. */
async function gateway(log: Log): Promise<void> {
  const clients = 3;
  log('gateway', `${clients} clients connected; the gateway stays open all day`);
  try {
    await new Event().wait(); // never set: only a cancellation ends it
  } finally {
    // The cancellation is already under way; the goodbye must still finish.
    await shield(async () => {
      log('gateway', `cancelled: saying goodbye to ${clients} clients (in a shield)`);
      await sleep(2 * SECOND);
      log('gateway', `${clients} connections closed`);
    });
  }
}

/** The nightly sync: the upstream answers 503 three times, so it is retried with backoff. */
async function nightlySync(log: Log): Promise<void> {
  await sleepUntil(at(2));
  const failures = 3;
  const started = now();
  log('sync', 'nightly sync: calling the upstream (each call has a 10 s deadline)');
  for (let attempt = 1; ; attempt++) {
    const status = await failAfter(10 * SECOND, async () => {
      await sleep(250); // the call's round trip
      return attempt <= failures ? 503 : 200;
    });
    if (status === 200) {
      log(
        'sync',
        `attempt ${attempt} ok after ${attempt - 1} retries (${duration(now() - started)})`,
      );
      return;
    }
    const delay = MINUTE * 2 ** (attempt - 1);
    log('sync', `attempt ${attempt} failed (${status}); retrying in ${duration(delay)}`);
    await sleep(delay);
  }
}

/** The morning report: 10 parts of 7 min under a 30 min deadline, which fires. */
async function morningReport(log: Log): Promise<void> {
  await sleepUntil(at(6));
  const parts = 10;
  let done = 0;
  log('report', `started: ${parts} parts of 7 min, deadline 30 min (failAfter)`);
  try {
    await failAfter(30 * MINUTE, async () => {
      try {
        for (; done < parts; done++) await sleep(7 * MINUTE);
      } finally {
        if (done < parts) {
          // The deadline has cancelled this scope; the shield lets the cleanup wait anyway.
          await shield(async () => {
            log('report', `stopped in part ${done + 1}: removing the partial file (in a shield)`);
            await sleep(5 * SECOND);
            log('report', 'partial file removed');
          });
        }
      }
    });
    log('report', 'done');
  } catch (error) {
    if (isCancellation(error)) log('report', 'cancelled: the day ended before the deadline');
    if (!(error instanceof TimeoutError)) throw error; // a cancellation goes on up
    log('report', `TimeoutError: ${done} of ${parts} parts done within the deadline`);
  }
}

/** An order of the shop, put into the queue by the front desk. */
interface Order {
  readonly number: number;
  readonly arrived: number;
}

/** When the orders come in: a quiet morning, a burst at 09:05, a few in the afternoon. */
const ORDERS = [
  at(8, 12),
  at(8, 47),
  at(9, 5),
  at(9, 5, 30),
  at(9, 6),
  at(9, 6, 30),
  at(11, 30),
  at(14, 2),
  at(16, 45),
  at(17, 59),
];

/** The front desk: puts each order into the queue (waiting while it is full), closes at 18:00. */
async function frontDesk(queue: Queue<Order>, log: Log): Promise<void> {
  try {
    for (const [index, arrived] of ORDERS.entries()) {
      await sleepUntil(arrived);
      const order = { number: index + 1, arrived };
      if (queue.full()) {
        log('orders', `order #${order.number} arrives; the queue is full, the desk waits`);
        await queue.put(order);
        log('orders', `order #${order.number} queued after ${duration(now() - arrived)}`);
      } else {
        queue.putNowait(order);
        const queued = queue.qsize();
        // Nothing queued after the put: the waiting worker was handed the order directly.
        const where = queued === 0 ? 'the worker takes it at once' : `${queued} in the queue`;
        log('orders', `order #${order.number} arrives; ${where}`);
      }
    }
    await sleepUntil(at(18));
    log('orders', 'closing time: the queue is closed');
  } finally {
    queue.close();
  }
}

/** The worker: takes the orders one by one, 4 min each, until the queue is closed and empty. */
async function worker(queue: Queue<Order>, log: Log): Promise<void> {
  let handled = 0;
  for await (const order of queue) {
    const waited = now() - order.arrived;
    if (waited > 0) log('worker', `order #${order.number} taken after ${duration(waited)} waiting`);
    await sleep(4 * MINUTE);
    handled++;
    log('worker', `order #${order.number} handled`);
  }
  log('worker', `the queue is closed and empty: ${handled} orders handled today`);
}

/** A cron-like job at minutes 0, 15, 30 and 45 of hours 9 and 10; the 10:00 run overruns. */
async function cron(policy: TimerDelayPolicy, log: Log): Promise<void> {
  await sleepUntil(at(9));
  const name = policy === TimerDelayPolicy.CANCEL ? 'CANCEL' : 'DEFAULT';
  log('cron', `every 15 min from 09:00 to 10:45 (createTimer, delay policy ${name})`);
  let runs = 0;
  const timer = createTimer(
    async () => {
      const run = ++runs;
      if (run !== 5) {
        await sleep(2 * SECOND);
        log('cron', `run #${run}: health check ok`);
        return;
      }
      log('cron', `run #${run}: the backup, which takes 20 min`);
      try {
        await sleep(20 * MINUTE);
        log('cron', `run #${run}: backup done`);
      } catch (error) {
        if (isCancellation(error))
          log('cron', `run #${run}: backup cancelled, the next run is due`);
        throw error;
      }
    },
    15 * MINUTE,
    { delayPolicy: policy, name: 'cron' },
  );
  await sleepUntil(at(10, 55));
  await cancelAndWait(timer);
  log('cron', `window closed after ${runs} runs`);
}

/** Waits for a partner's file twice, each time at most 20 min (moveOnAfter). */
async function poll(file: Event, log: Log): Promise<void> {
  for (const start of [at(12), at(13)]) {
    await sleepUntil(start);
    log('poll', "waiting for the partner's file, at most 20 min (moveOnAfter)");
    const received = await moveOnAfter(20 * MINUTE, async () => {
      await file.wait();
      return true;
    });
    if (received === true) {
      log('poll', `file received after ${duration(now() - start)}`);
      return;
    }
    log('poll', 'no file within 20 min: moving on');
  }
}

/** The partner uploads the file at 13:10. */
async function partner(file: Event, log: Log): Promise<void> {
  await sleepUntil(at(13, 10));
  log('partner', 'uploads the file');
  file.set();
}

/** Runs the day on the current clock, from its time 0 (midnight) to `options.until`. */
export async function runDay(options: DayOptions, log: Log): Promise<void> {
  await TaskGroup.run(
    async (tg) => {
      const queue = new Queue<Order>(2);
      const file = new Event();
      tg.spawn(() => gateway(log), { name: 'gateway' });
      tg.spawn(() => nightlySync(log), { name: 'sync' });
      tg.spawn(() => morningReport(log), { name: 'report' });
      tg.spawn(() => frontDesk(queue, log), { name: 'front desk' });
      tg.spawn(() => worker(queue, log), { name: 'worker' });
      tg.spawn(() => cron(options.cronPolicy, log), { name: 'cron' });
      tg.spawn(() => poll(file, log), { name: 'poll' });
      tg.spawn(() => partner(file, log), { name: 'partner' });

      await sleepUntil(options.until);
      log('day', 'the day is over: cancelling what still runs');
      tg.cancel('the end of the day');
    },
    { name: 'day' },
  );
}
