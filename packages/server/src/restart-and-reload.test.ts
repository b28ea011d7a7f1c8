// startServer's restarts and rolling reloads with real HTTP workers
// (test-fixtures/http-app.mjs): a worker that dies after the startup is restarted with its
// index until the policy gives up, a death without a policy stops the server (or not, with
// ignoreChildInterrupts), and SIGHUP replaces the workers one at a time, each new one serving
// before the old one stops, without a failed request under load.

import { writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type App,
  bounded,
  cleanupApps,
  get,
  type LogLine,
  manyRequests,
  pidsByIndex,
  startApp,
  until,
  waitExit,
  waitLog,
  waitReady,
  waitStderr,
} from '../test-fixtures/http-helpers.js';

const agents: http.Agent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await cleanupApps();
});

type Crash = 'throw' | 'exit' | 'kill';

/** How the primary describes each kind of death. */
const DESCRIBED: Record<Crash, string> = {
  throw: 'exited with code 1',
  exit: 'exited with code 3',
  kill: 'was killed by SIGKILL',
};

/** Makes the worker of `index` die: SIGUSR2 makes it throw or exit(3), as configured. */
function crash(app: App, index: number, how: Crash): number {
  const pid = pidsByIndex(app).get(index);
  if (pid === undefined) throw new Error(`no worker ${index} in the log`);
  process.kill(pid, how === 'kill' ? 'SIGKILL' : 'SIGUSR2');
  return pid;
}

function startWith(how: Crash, extra: Parameters<typeof startApp>[0] = {}): App {
  return startApp({
    mode: 'cluster',
    numWorkers: 2,
    port: 0,
    crash: how === 'exit' ? 'exit' : 'throw',
    ...extra,
  });
}

/** Waits for a worker of `index` that is none of `known` to be serving; returns its pid. */
async function newWorker(app: App, index: number, known: Set<number>): Promise<number> {
  const line = await waitLog(
    app,
    (l) => l.ev === 'startup-done' && l.index === index && !known.has(l.pid),
    `startup-done of a new worker ${index}`,
  );
  return line.pid;
}

function position(log: LogLine[], match: (line: LogLine) => boolean, what: string): number {
  const at = log.findIndex(match);
  if (at < 0)
    throw new Error(`no log line ${what}:\n${log.map((l) => JSON.stringify(l)).join('\n')}`);
  return at;
}

describe('restart: { maxRestarts: 2, backoff: 50 }', () => {
  it.each<Crash>(['throw', 'exit', 'kill'])(
    'a worker that dies after ready (%s) is restarted twice with its index, then the server gives up with exit code 1',
    async (how) => {
      const app = startWith(how, { restart: { maxRestarts: 2, backoff: 50 } });
      await waitReady(app, 2);
      const first = pidsByIndex(app);
      const known = new Set(first.values());
      const worker0 = first.get(0) as number;

      crash(app, 1, how);
      await waitStderr(app, /restarting worker 1 in 50 ms/);
      known.add(await newWorker(app, 1, known));
      crash(app, 1, how);
      await waitStderr(app, /restarting worker 1 in 100 ms/);
      known.add(await newWorker(app, 1, known));
      // Each restart has the index of the worker it replaces, and the other worker is untouched.
      expect(pidsByIndex(app).get(0)).toBe(worker0);
      crash(app, 1, how);

      const exit = await waitExit(app);
      expect(exit.code, app.stderr()).toBe(1);
      const stderr = app.stderr();
      expect(stderr).toContain('worker 1 was restarted 2 times: giving up');
      expect(stderr.split(`worker 1 ${DESCRIBED[how]} unexpectedly`)).toHaveLength(4);
      expect(stderr).not.toContain('restarting worker 1 in 200 ms');
      // The other worker was stopped gracefully.
      const log = app.log();
      expect(log).toContainEqual(
        expect.objectContaining({ ev: 'shutdown', pid: worker0, signal: 'SIGTERM' }),
      );
      expect(log).toContainEqual(expect.objectContaining({ ev: 'shutdown-done', pid: worker0 }));
      expect(log).toContainEqual(
        expect.objectContaining({ ev: 'main-shutdown', signal: 'SIGTERM' }),
      );
      // Three processes had index 1, every one of them reported it.
      const ones = log.filter((l) => l.ev === 'startup-done' && l.index === 1);
      expect(new Set(ones.map((l) => l.pid)).size).toBe(3);
    },
  );
});

describe('without a restart policy', () => {
  it.each<Crash>(['exit', 'kill'])(
    'a worker that dies after ready (%s) stops the others gracefully and the exit code is 1',
    async (how) => {
      const app = startWith(how);
      await waitReady(app, 2);
      const worker0 = pidsByIndex(app).get(0) as number;
      crash(app, 1, how);
      const exit = await waitExit(app);
      expect(exit.code, app.stderr()).toBe(1);
      expect(app.stderr()).toContain(`worker 1 ${DESCRIBED[how]} unexpectedly`);
      expect(app.stderr()).not.toContain('restarting');
      const log = app.log();
      expect(log).toContainEqual(
        expect.objectContaining({ ev: 'shutdown', pid: worker0, signal: 'SIGTERM' }),
      );
      expect(log).toContainEqual(expect.objectContaining({ ev: 'shutdown-done', pid: worker0 }));
    },
  );

  it('with ignoreChildInterrupts, a death leaves the others serving; when all died the primary ends with exit code 1', async () => {
    const app = startWith('exit', { ignoreChildInterrupts: true });
    const port = await waitReady(app, 2);
    crash(app, 1, 'exit');
    await waitStderr(app, /worker 1 exited with code 3 unexpectedly/);
    // Worker 0 goes on serving, alone, and was not stopped.
    const bodies = await manyRequests(port, 10, 2);
    expect(new Set(bodies)).toEqual(new Set(['w0']));
    expect(app.log().filter((l) => l.ev === 'shutdown')).toEqual([]);
    crash(app, 0, 'exit');
    const exit = await waitExit(app, 5_000);
    expect(exit.code, app.stderr()).toBe(1);
    expect(app.stderr()).toContain('worker 0 exited with code 3 unexpectedly');
    expect(app.log()).toContainEqual(expect.objectContaining({ ev: 'main-shutdown' }));
  });
});

describe('rolling reload on SIGHUP', () => {
  it('replaces each index in turn, the new worker serving before the old one stops', async () => {
    const app = startApp({ mode: 'cluster', numWorkers: 2, port: 0 });
    const port = await waitReady(app, 2);
    const old = pidsByIndex(app);
    const known = new Set(old.values());
    process.kill(app.pid, 'SIGHUP');
    await waitStderr(app, /reload finished/);

    const log = app.log();
    const fresh = pidsByIndex(app);
    for (const index of [0, 1]) {
      const was = old.get(index) as number;
      const now = fresh.get(index) as number;
      expect(known.has(now), `index ${index} has a new pid`).toBe(false);
      const newDone = position(
        log,
        (l) => l.ev === 'startup-done' && l.pid === now,
        `startup-done of the new worker ${index}`,
      );
      const oldShutdown = position(
        log,
        (l) => l.ev === 'shutdown' && l.pid === was,
        `shutdown of the old worker ${index}`,
      );
      expect(newDone, `the new worker ${index} served before the old one stopped`).toBeLessThan(
        oldShutdown,
      );
      expect(log[oldShutdown]?.signal).toBe('SIGTERM');
    }
    // One index at a time: the new worker 1 starts once the old worker 0 has finished.
    const old0Done = position(
      log,
      (l) => l.ev === 'shutdown-done' && l.pid === old.get(0),
      'shutdown-done of the old worker 0',
    );
    const new1Begin = position(
      log,
      (l) => l.ev === 'startup-begin' && l.pid === fresh.get(1),
      'startup-begin of the new worker 1',
    );
    expect(new1Begin).toBeGreaterThan(old0Done);

    const bodies = await manyRequests(port, 20, 2);
    expect(new Set(bodies)).toEqual(new Set(['w0', 'w1']));
    process.kill(app.pid, 'SIGTERM');
    expect((await waitExit(app)).code, app.stderr()).toBe(0);
  });

  it('under load on keep-alive sockets, no request fails (a request on a reused socket the old worker closed is retried)', async () => {
    const app = startApp({ mode: 'cluster', numWorkers: 2, port: 0 });
    const port = await waitReady(app, 2);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    agents.push(agent);

    let done = 0;
    let retries = 0;
    let retried = 0;
    let reloadMs = 0;
    let duringReload = 0;
    const failures: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const one = async (): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        try {
          // A response that never comes (a connection lost between the processes) is a
          // failure, not a hang of the test.
          const reply = await bounded(get(port, '/', agent), 3_000, 'a response');
          if (reply.status !== 200 || !/^w[01]$/.test(reply.body)) {
            failures.push(`status ${reply.status}: ${reply.body}`);
          }
          done++;
          return;
        } catch (error) {
          const { code, reusedSocket } = error as NodeJS.ErrnoException & {
            reusedSocket?: boolean;
          };
          // RFC 9112 §9.3.1: an idempotent request on a persistent connection the server
          // closed may be retried, as Node's documentation does with `req.reusedSocket`. The
          // retry may take another pooled socket the same drain is closing; there are at most
          // as many as the agent's maxSockets.
          if (reusedSocket === true && code === 'ECONNRESET' && attempt < 8) {
            retries++;
            if (attempt === 0) retried++;
            continue;
          }
          failures.push(
            `${code ?? (error as Error).message} (attempt ${attempt + 1}, reused ${reusedSocket})`,
          );
          return;
        }
      }
    };
    // About 200 requests a second.
    const load = setInterval(() => {
      if (inFlight.size >= 32) return;
      const request = one();
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }, 5);
    try {
      await until(() => (done >= 20 ? true : undefined), 5_000, '20 requests before the reload');
      const old = pidsByIndex(app);
      // Slower startups stretch the reload over about a second of load.
      writeFileSync(app.behaviourFile, JSON.stringify({ startupDelay: 300 }));
      const reloadAt = Date.now();
      process.kill(app.pid, 'SIGHUP');
      await waitStderr(app, /reload finished/, 10_000);
      reloadMs = Date.now() - reloadAt;
      duringReload = done;
      const after = done;
      await until(() => (done >= after + 20 ? true : undefined), 5_000, '20 requests after it');
      for (const [index, pid] of pidsByIndex(app)) expect(pid).not.toBe(old.get(index));
    } finally {
      clearInterval(load);
      await Promise.all(inFlight);
    }
    const summary = `${done} requests (${duringReload} by the end of the ${reloadMs} ms reload), ${retried} retried on a reused socket (${retries} retries)`;
    console.log(summary);
    expect(failures).toEqual([]);
    expect(done).toBeGreaterThan(40);
    process.kill(app.pid, 'SIGTERM');
    expect((await waitExit(app)).code, app.stderr()).toBe(0);
  });

  it('a new worker that fails its startup stops the reload and the old ones go on serving', async () => {
    const app = startApp({ mode: 'cluster', numWorkers: 2, port: 0 });
    const port = await waitReady(app, 2);
    const old = pidsByIndex(app);
    writeFileSync(app.behaviourFile, JSON.stringify({ failStartup: true }));
    process.kill(app.pid, 'SIGHUP');
    await waitStderr(app, /reload stopped/);
    expect(app.stderr()).toMatch(/worker 0 failed during startup: .*worker 0 refuses to start/);
    // Only index 0 was tried; no old worker was stopped, both still serve.
    const log = app.log();
    expect(log.filter((l) => l.ev === 'startup-failed').map((l) => l.index)).toEqual([0]);
    expect(log.filter((l) => l.ev === 'shutdown')).toEqual([]);
    expect(pidsByIndex(app)).toEqual(old);
    const bodies = await manyRequests(port, 20, 2);
    expect(new Set(bodies)).toEqual(new Set(['w0', 'w1']));
    expect(app.stderr()).not.toContain('reload finished');

    // The next reload, with startups that succeed again, goes through.
    writeFileSync(app.behaviourFile, '{}');
    process.kill(app.pid, 'SIGHUP');
    await waitStderr(app, /reload finished/);
    for (const [index, pid] of pidsByIndex(app)) expect(pid).not.toBe(old.get(index));

    process.kill(app.pid, 'SIGTERM');
    const exit = await waitExit(app);
    // The failed replacement is reported, but it does not make the server's stop a failure.
    expect(exit.code, app.stderr()).toBe(0);
  });

  it('a SIGTERM during a reload stops every process, the replacement after its startup, with exit code 0', async () => {
    const app = startApp({ mode: 'cluster', numWorkers: 2, port: 0 });
    await waitReady(app, 2);
    const old = pidsByIndex(app);
    const known = new Set(old.values());
    writeFileSync(app.behaviourFile, JSON.stringify({ startupDelay: 500 }));
    process.kill(app.pid, 'SIGHUP');
    const begun = await waitLog(
      app,
      (l) => l.ev === 'startup-begin' && !known.has(l.pid),
      'startup-begin of a replacement',
    );
    expect(begun.index).toBe(0);
    process.kill(app.pid, 'SIGTERM');
    const exit = await waitExit(app);
    expect(exit.code, app.stderr()).toBe(0);
    expect(app.stderr()).not.toContain('reload finished');
    const log = app.log();
    for (const pid of [...old.values(), begun.pid]) {
      expect(log).toContainEqual(
        expect.objectContaining({ ev: 'shutdown', pid, signal: 'SIGTERM' }),
      );
      expect(log).toContainEqual(expect.objectContaining({ ev: 'shutdown-done', pid }));
    }
    // Index 1 was never replaced.
    expect(log.filter((l) => l.ev === 'startup-begin' && l.index === 1)).toHaveLength(1);
    expect(log).toContainEqual(expect.objectContaining({ ev: 'main-shutdown', signal: 'SIGTERM' }));
  });
});
