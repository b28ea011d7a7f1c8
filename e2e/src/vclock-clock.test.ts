// The virtual clock's own guarantees, through the built package: identical runs, long runs
// without a false loop-limit alarm, no stdin handle from the idle probe, hrtime on virtual
// time, and thread-pool work holding the jump.
import { execFile } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sleep } from '@aiotools/core';
import { VirtualClock } from '@aiotools/vclock';
import { describe, expect, it } from 'vitest';

const stdinProbe = fileURLToPath(new URL('./vclock-stdin-probe.mjs', import.meta.url));

describe('VirtualClock', () => {
  it('gives identical timestamps on two runs, Date.now() included', async () => {
    async function run(): Promise<number[]> {
      const clock = new VirtualClock();
      return clock.run(async () => {
        const seen = [Date.now(), performance.now()];
        await sleep(250);
        seen.push(Date.now(), performance.now(), clock.now());
        return seen;
      });
    }
    const first = await run();
    await new Promise((resolve) => setTimeout(resolve, 5)); // real time passes in between
    expect(await run()).toEqual(first);
  });

  it('runs a 10 ms heartbeat through an hour-long sleep without a LoopLimitError', async () => {
    const clock = new VirtualClock();
    const beats = await clock.run(async () => {
      let count = 0;
      const heartbeat = setInterval(() => count++, 10);
      await new Promise((resolve) => setTimeout(resolve, 3_600_000));
      clearInterval(heartbeat);
      return count;
    });
    expect(beats).toBeGreaterThanOrEqual(359_999);
    expect(clock.now()).toBe(3_600_000);
  });

  it('creates no handle for a piped stdin while probing', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        [stdinProbe],
        { timeout: 30_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(stderr || String(error))) : resolve(stdout),
      );
      child.stdin?.end();
    });
    const { before, after, now } = JSON.parse(output) as Record<string, number>;
    expect(after).toBe(before);
    expect(now).toBe(3000);
  });

  it('runs process.hrtime and process.hrtime.bigint on virtual time', async () => {
    const clock = new VirtualClock();
    const [elapsed, nanoseconds] = await clock.run(async () => {
      const start = process.hrtime();
      const startNs = process.hrtime.bigint();
      await sleep(2_000);
      return [process.hrtime(start), process.hrtime.bigint() - startNs] as const;
    });
    expect(elapsed).toEqual([2, 0]);
    expect(nanoseconds).toBe(2_000_000_000n);
  });

  it('does not let a virtual timer overtake a crypto job on the thread pool', async () => {
    const clock = new VirtualClock({ ioHoldLimit: 10_000 });
    const winner = await clock.run(async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('timer'), 1);
      });
      const job = new Promise<string>((resolve, reject) =>
        pbkdf2('secret', 'salt', 100_000, 64, 'sha512', (error) =>
          error ? reject(error) : resolve('job'),
        ),
      );
      const first = await Promise.race([job, late]);
      clearTimeout(timer);
      return first;
    });
    expect(winner).toBe('job');
  });
});
