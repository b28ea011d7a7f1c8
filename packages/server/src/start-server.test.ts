// startServer's life cycle on real processes and real signals, as aiotools' test_server: the
// process indices and arguments of the workers, the stop signals forwarded to every worker
// once, the main context's shutdown after every worker's, failures and waitTimeout, the
// workers' death with their primary, runToCompletion, extra processes, inline mode (as PID 1
// of a PID namespace too), and the options rejected before anything starts.
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  childrenOf,
  cleanupRuns,
  events,
  type LifecycleRecord,
  openGate,
  openMainGate,
  type Run,
  startFixture,
  whenGone,
} from '../test-fixtures/lifecycle-helpers.js';
import { mainContext, serverContext, startServer } from './index.js';

afterEach(cleanupRuns);

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const reusePortSupported =
  process.platform === 'linux' && (major > 22 || (major === 22 && minor >= 12));

function ready(run: Run): Promise<string> {
  return run.line((line) => line.startsWith('READY'), 'READY on stdout');
}

function of(records: readonly LifecycleRecord[], event: string, index: number): LifecycleRecord[] {
  return records.filter((r) => r.event === event && r.index === index);
}

/** The position in the file of the last line of `event` (-1 when there is none). */
function lastPosition(records: readonly LifecycleRecord[], event: string): number {
  return records.map((r) => r.event).lastIndexOf(event);
}

describe('startServer: process indices and arguments', () => {
  it('gives each of 4 workers one index of 0..3, as `index` and processIndex, with the main value before args', async () => {
    const run = startFixture({ numWorkers: 4, mainYield: 987, args: [123] });
    await ready(run);
    const startups = events(run.records(), 'startup');
    expect(startups.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(startups.map((r) => r.pidx)).toEqual([0, 1, 2, 3]);
    for (const r of startups) {
      expect(r.args).toEqual([987, 123]);
      expect(r.ppid).toBe(run.pid);
    }
    expect(new Set(startups.map((r) => r.pid)).size).toBe(4);
    run.proc.kill('SIGTERM');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
  });

  it.each([
    { mainYield: [987, 654], expected: [987, 654, 123] },
    { mainYield: undefined, expected: [123] },
  ])('prepends the main context value $mainYield as $expected', async ({ mainYield, expected }) => {
    const run = startFixture({ numWorkers: 1, mainYield, args: [123], runToCompletion: true });
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(events(run.records(), 'startup').map((r) => r.args)).toEqual([expected]);
  });
});

describe('startServer: stop signals sent to the primary', () => {
  it.each([
    { signal: 'SIGTERM' as const, stopSignals: undefined },
    { signal: 'SIGINT' as const, stopSignals: undefined },
    { signal: 'SIGUSR1' as const, stopSignals: ['SIGUSR1'] },
  ])(
    '$signal: every worker shutdown gets it, then the main context, exit 0',
    async ({ signal, stopSignals }) => {
      const numWorkers = signal === 'SIGTERM' ? 4 : 2;
      const run = startFixture({ numWorkers, stopSignals, teardownMs: 50 });
      await ready(run);
      run.proc.kill(signal);
      expect(await run.exit()).toEqual({ code: 0, signal: null });
      const records = run.records();
      const shutdowns = events(records, 'shutdown');
      expect(shutdowns.map((r) => [r.index, r.signal])).toEqual(
        Array.from({ length: numWorkers }, (_, i) => [i, signal]),
      );
      const main = events(records, 'main-shutdown');
      expect(main.map((r) => r.signal)).toEqual([signal]);
      // The main context's shutdown runs once every worker's has finished.
      expect(lastPosition(records, 'main-shutdown')).toBeGreaterThan(
        lastPosition(records, 'shutdown'),
      );
      const mainAt = main[0]?.t ?? 0;
      for (const r of shutdowns) expect(r.t).toBeLessThanOrEqual(mainAt);
      expect(run.stderr()).toBe('');
    },
  );

  it('SIGTERM to the whole process group: each teardown runs once to its end, exit 0', async () => {
    const run = startFixture({ numWorkers: 3, teardownMs: 300 }, { detached: true });
    await ready(run);
    process.kill(-run.pid, 'SIGTERM');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    for (const index of [0, 1, 2]) {
      expect(of(records, 'shutdown-begin', index).map((r) => r.signal)).toEqual(['SIGTERM']);
      expect(of(records, 'shutdown', index).map((r) => r.signal)).toEqual(['SIGTERM']);
    }
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(run.stderr()).toBe('');
  });

  it('SIGTERM to the whole process group with instant teardowns: the late forwarded copy kills no worker, exit 0', async () => {
    const run = startFixture({ numWorkers: 3 }, { detached: true });
    await ready(run);
    process.kill(-run.pid, 'SIGTERM');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    expect(events(records, 'shutdown').map((r) => [r.index, r.signal])).toEqual([
      [0, 'SIGTERM'],
      [1, 'SIGTERM'],
      [2, 'SIGTERM'],
    ]);
    expect(run.stderr()).toBe('');
  });

  it('a stop signal during a startup takes effect once the startup has finished', async () => {
    const run = startFixture({ numWorkers: 1, gate: true });
    await run.until((r) => r.some((x) => x.event === 'startup-begin'), 'the startup begins');
    run.proc.kill('SIGTERM');
    await run.until(
      (r) => r.some((x) => x.event === 'signal-during-startup'),
      'the worker receiving SIGTERM during its startup',
    );
    openGate(run);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    expect(of(records, 'startup', 0)).toHaveLength(1);
    expect(of(records, 'shutdown', 0).map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(lastPosition(records, 'shutdown-begin')).toBeGreaterThan(
      lastPosition(records, 'startup'),
    );
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(run.stderr()).toBe('');
  });
});

describe('startServer: a stop signal to the whole group during the startup', () => {
  it('is absorbed with its forwarded copy, and the teardown runs once the startup has finished, exit 0', async () => {
    const run = startFixture({ numWorkers: 2, gate: true }, { detached: true });
    await run.until(
      (r) => r.filter((x) => x.event === 'startup-begin').length === 2,
      'both startups begin',
    );
    process.kill(-run.pid, 'SIGTERM');
    await run.until(
      (r) =>
        new Set(r.filter((x) => x.event === 'signal-during-startup').map((x) => x.index)).size ===
        2,
      'both workers receiving SIGTERM during their startup',
    );
    openGate(run);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    expect(events(records, 'shutdown').map((r) => [r.index, r.signal])).toEqual([
      [0, 'SIGTERM'],
      [1, 'SIGTERM'],
    ]);
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(run.stderr()).toBe('');
  });
});

describe('startServer: a stop signal during the main context startup', () => {
  it('starts no worker; the main context gets its shutdown with that signal, exit 0', async () => {
    const run = startFixture({ numWorkers: 2, mainGate: true });
    await run.until((r) => r.some((x) => x.event === 'main-startup'), 'the main startup begins');
    run.proc.kill('SIGTERM');
    await run.until(
      (r) => r.some((x) => x.event === 'main-signal-during-startup'),
      'the primary receiving SIGTERM during the main startup',
    );
    openMainGate(run);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    expect(events(records, 'startup-begin')).toEqual([]);
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(run.stdout()).not.toContain('READY');
  });
});

describe('startServer: failures', () => {
  it('two workers failing in their startup: the other two are torn down, exit 1', async () => {
    const run = startFixture({ numWorkers: 4, failIndices: [0, 2] });
    expect(await run.exit()).toEqual({ code: 1, signal: null });
    const records = run.records();
    expect(events(records, 'shutdown').map((r) => [r.index, r.signal])).toEqual([
      [1, 'SIGTERM'],
      [3, 'SIGTERM'],
    ]);
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(run.stderr()).toMatch(/worker 0 failed during startup: Error: oops/);
    expect(run.stderr()).toMatch(/worker 2 failed during startup: Error: oops/);
  });

  it('a worker whose shutdown hangs is killed after waitTimeout, and the primary exits 1', async () => {
    const run = startFixture({ numWorkers: 2, hangShutdownIndex: 1, waitTimeout: 500 });
    await ready(run);
    run.proc.kill('SIGTERM');
    expect(await run.exit()).toEqual({ code: 1, signal: null });
    const records = run.records();
    expect(of(records, 'shutdown', 0).map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(of(records, 'shutdown-begin', 1).map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(of(records, 'shutdown', 1)).toEqual([]);
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(run.stderr()).toContain('worker 1 did not stop within waitTimeout (500 ms)');
    expect(run.stderr()).not.toContain('worker 0 did not stop');
  });

  it.each([
    {
      what: 'a worker context that never yields',
      config: { neverYields: true },
      message:
        /worker 0 failed during startup: TypeError: The worker context returned without yielding/,
    },
    {
      what: 'a worker context that yields twice',
      config: { yieldsTwice: true },
      message:
        /worker 0 failed during shutdown: TypeError: The worker context yielded more than once/,
    },
    {
      what: 'a main context that never yields',
      config: { mainNeverYields: true },
      message:
        /the main context failed during startup: TypeError: The main context returned without yielding/,
    },
    {
      what: 'a main context that yields twice',
      config: { mainYieldsTwice: true },
      message:
        /the main context failed during shutdown: TypeError: The main context yielded more than once/,
    },
  ])('$what: a clear error on stderr and exit 1', async ({ config, message }) => {
    const run = startFixture({ numWorkers: 1, runToCompletion: true, ...config });
    expect(await run.exit()).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(message);
  });
});

describe('startServer: the workers die with their primary', () => {
  async function killPrimary(mode: 'cluster' | 'reusePort'): Promise<void> {
    const run = startFixture({ numWorkers: 2, mode });
    await ready(run);
    const pids = events(run.records(), 'startup').map((r) => r.pid);
    expect(pids).toHaveLength(2);
    run.proc.kill('SIGKILL');
    expect(await run.processExit()).toEqual({ code: null, signal: 'SIGKILL' });
    // A requirement, not a measurement: no worker may outlive its primary by more than 1 s.
    expect(await whenGone(pids, 1_000)).toEqual([]);
  }

  it('mode cluster: SIGKILL of the primary ends every worker within 1 s', async () => {
    await killPrimary('cluster');
  });

  it.skipIf(!reusePortSupported)(
    'mode reusePort: SIGKILL of the primary ends every worker within 1 s (Node.js >= 22.12 on Linux)',
    async () => {
      await killPrimary('reusePort');
    },
  );
});

describe('startServer: runToCompletion', () => {
  it('runs every startup then every shutdown with the default signal, and exits 0 unsignalled', async () => {
    const run = startFixture({
      numWorkers: 2,
      runToCompletion: true,
      stopSignals: ['SIGUSR1', 'SIGUSR2'],
    });
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    expect(events(records, 'shutdown').map((r) => [r.index, r.signal])).toEqual([
      [0, 'SIGUSR1'],
      [1, 'SIGUSR1'],
    ]);
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGUSR1']);
    expect(run.stderr()).toBe('');
  });

  it('a worker failing its startup: the others still complete, exit 1', async () => {
    const run = startFixture({ numWorkers: 3, runToCompletion: true, failIndices: [1] });
    expect(await run.exit()).toEqual({ code: 1, signal: null });
    const records = run.records();
    expect(events(records, 'shutdown').map((r) => [r.index, r.signal])).toEqual([
      [0, 'SIGTERM'],
      [2, 'SIGTERM'],
    ]);
    expect(run.stderr()).toMatch(/worker 1 failed during startup: Error: oops/);
  });
});

describe('startServer: extraProcs', () => {
  it('run with the indices after the workers and the args; SIGTERM aborts their signal with InterruptedBySignal', async () => {
    const run = startFixture({ numWorkers: 2, extraProcs: 2, mainYield: 987, args: [123] });
    await ready(run);
    // An extra process has no startup: it is ready as soon as its function is called.
    const starts = events(
      await run.until((r) => events(r, 'extra-start').length === 2, 'both extra processes start'),
      'extra-start',
    );
    expect(starts.map((r) => [r.index, r.pidx, r.args])).toEqual([
      [2, 2, [987, 123]],
      [3, 3, [987, 123]],
    ]);
    run.proc.kill('SIGTERM');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    expect(events(records, 'extra-finally')).toMatchObject([
      {
        index: 2,
        aborted: true,
        reasonName: 'InterruptedBySignal',
        signal: 'SIGTERM',
        isInterruptedBySignal: true,
      },
      {
        index: 3,
        aborted: true,
        reasonName: 'InterruptedBySignal',
        signal: 'SIGTERM',
        isInterruptedBySignal: true,
      },
    ]);
    expect(events(records, 'shutdown').map((r) => [r.index, r.signal])).toEqual([
      [0, 'SIGTERM'],
      [1, 'SIGTERM'],
    ]);
    expect(run.stderr()).toBe('');
  });
});

describe('startServer: inline mode', () => {
  it('runs the main and worker contexts in the calling process; a second SIGTERM does not abort the teardown', async () => {
    const run = startFixture({ mode: 'inline', mainYield: 987, args: [123], teardownMs: 300 });
    expect(await ready(run)).toBe(`READY ${run.pid}`);
    expect(events(run.records(), 'startup')).toMatchObject([
      { pid: run.pid, index: 0, pidx: 0, args: [987, 123] },
    ]);
    run.proc.kill('SIGTERM');
    await run.until((r) => r.some((x) => x.event === 'shutdown-begin'), 'the teardown begins');
    run.proc.kill('SIGTERM');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    expect(events(records, 'shutdown-begin').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(events(records, 'shutdown')).toMatchObject([{ pid: run.pid, signal: 'SIGTERM' }]);
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(run.stderr()).toBe('');
  });

  it('a SIGTERM during the startup takes effect once it has finished, without onReady', async () => {
    const run = startFixture({ mode: 'inline', gate: true });
    await run.until((r) => r.some((x) => x.event === 'startup-begin'), 'the startup begins');
    run.proc.kill('SIGTERM');
    await run.until(
      (r) => r.some((x) => x.event === 'signal-during-startup'),
      'the process receiving SIGTERM during its startup',
    );
    openGate(run);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const records = run.records();
    expect(events(records, 'shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
    expect(run.stdout()).not.toContain('READY');
  });

  describe('as PID 1 of a PID namespace', () => {
    let unavailable = '';
    beforeAll(() => {
      const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      if (probe.error !== undefined) unavailable = `unshare cannot run: ${probe.error.message}`;
      else if (probe.status !== 0) {
        unavailable = `unshare --pid --fork --mount-proc fails here (status ${probe.status}): ${probe.stderr.trim()}`;
      }
    });

    it('stops cleanly on SIGTERM (skipped where unshare cannot make a PID namespace)', async (context) => {
      if (unavailable !== '') {
        context.skip(unavailable);
        return;
      }
      const run = startFixture(
        { mode: 'inline', teardownMs: 100 },
        { prefix: ['unshare', '--pid', '--fork', '--mount-proc'] },
      );
      // Inside its namespace the server is PID 1; from here it is the child of unshare.
      expect(await ready(run)).toBe('READY 1');
      const inner = childrenOf(run.pid);
      expect(inner).toHaveLength(1);
      process.kill(inner[0] as number, 'SIGTERM');
      expect(await run.exit()).toEqual({ code: 0, signal: null });
      const records = run.records();
      expect(events(records, 'shutdown')).toMatchObject([
        { pid: 1, index: 0, pidx: 0, signal: 'SIGTERM' },
      ]);
      expect(events(records, 'main-shutdown').map((r) => r.signal)).toEqual(['SIGTERM']);
      expect(events(records, 'exit-code').map((r) => r.code)).toEqual([0]);
    });
  });
});

describe('startServer: invalid input is rejected before anything starts', () => {
  const worker = serverContext(async function* () {
    yield;
  });
  const main = mainContext(async function* () {
    yield;
  });

  const cases: Array<{
    what: string;
    worker?: unknown;
    options: Record<string, unknown>;
    error: ErrorConstructor;
    message: RegExp;
  }> = [
    {
      what: 'a plain function as worker',
      worker: async function* () {},
      options: {},
      error: TypeError,
      message: /`worker`/,
    },
    { what: 'an object as worker', worker: {}, options: {}, error: TypeError, message: /`worker`/ },
    {
      what: 'a worker context as main',
      options: { main: worker },
      error: TypeError,
      message: /`options\.main`/,
    },
    {
      what: 'numWorkers 0',
      options: { numWorkers: 0 },
      error: RangeError,
      message: /`options\.numWorkers`/,
    },
    {
      what: 'numWorkers 1.5',
      options: { numWorkers: 1.5 },
      error: RangeError,
      message: /`options\.numWorkers`/,
    },
    {
      what: "numWorkers '2'",
      options: { numWorkers: '2' },
      error: TypeError,
      message: /`options\.numWorkers`/,
    },
    {
      what: "stopSignals ['SIGFOO']",
      options: { stopSignals: ['SIGFOO'] },
      error: RangeError,
      message: /`options\.stopSignals\[0\]`/,
    },
    {
      what: "stopSignals ['SIGKILL']",
      options: { stopSignals: ['SIGKILL'] },
      error: RangeError,
      message: /`options\.stopSignals\[0\]`/,
    },
    {
      what: 'stopSignals []',
      options: { stopSignals: [] },
      error: RangeError,
      message: /`options\.stopSignals`/,
    },
    {
      what: "mode 'clustr'",
      options: { mode: 'clustr' },
      error: RangeError,
      message: /`options\.mode`/,
    },
    {
      what: 'restart.maxRestarts -1',
      options: { restart: { maxRestarts: -1, backoff: 10 } },
      error: RangeError,
      message: /`options\.restart\.maxRestarts`/,
    },
    {
      what: 'waitTimeout -5',
      options: { waitTimeout: -5 },
      error: RangeError,
      message: /`options\.waitTimeout`/,
    },
    {
      what: 'a reloadSignal that is a stop signal',
      options: { reloadSignal: 'SIGTERM' },
      error: RangeError,
      message: /`options\.reloadSignal`/,
    },
    {
      what: 'extraProcs in inline mode',
      options: { mode: 'inline', extraProcs: [() => {}] },
      error: TypeError,
      message: /`options\.extraProcs`/,
    },
    {
      what: 'restart in inline mode',
      options: { mode: 'inline', restart: { maxRestarts: 1, backoff: 10 } },
      error: TypeError,
      message: /`options\.restart`/,
    },
    {
      what: 'numWorkers 2 in inline mode',
      options: { mode: 'inline', numWorkers: 2 },
      error: RangeError,
      message: /`options\.numWorkers`/,
    },
  ];

  /** Asserts that startServer rejected without starting a worker or listening to a signal. */
  async function rejects(
    workerArg: unknown,
    options: Record<string, unknown>,
    error: ErrorConstructor,
    message: RegExp,
  ): Promise<void> {
    const listeners = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    const promise = startServer(workerArg as typeof worker, options);
    await expect(promise).rejects.toThrow(error);
    await expect(promise).rejects.toThrow(message);
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(listeners);
  }

  it.each(cases)('$what', async ({ worker: workerArg, options, error, message }) => {
    await rejects(
      workerArg === undefined ? worker : workerArg,
      { main, ...options },
      error,
      message,
    );
  });

  it.runIf(!reusePortSupported)(
    "mode 'reusePort' where Node.js < 22.12 (or not Linux): a RangeError naming 22.12",
    async () => {
      await rejects(worker, { mode: 'reusePort' }, RangeError, /`options\.mode`.*22\.12/);
    },
  );

  it.runIf(reusePortSupported)(
    "mode 'reusePort' where it is supported is not refused for the Node.js version",
    async () => {
      // Checked with another invalid option, so that nothing starts: the error is that option's.
      await rejects(
        worker,
        { mode: 'reusePort', numWorkers: 0 },
        RangeError,
        /`options\.numWorkers`/,
      );
    },
  );
});
