// startServer with real HTTP workers (test-fixtures/http-app.mjs): requests on a shared port
// reach every worker, a stop drains the servers (the request in flight finishes, idle
// keep-alive sockets close at once, new connections are not served), and the readiness
// (onReady, the `ready` IPC message) comes after every worker's startup.
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type App,
  bounded,
  cleanupApps,
  freePort,
  get,
  manyRequests,
  probeUntilRefused,
  startApp,
  until,
  waitExit,
  waitLog,
  waitReady,
} from '../test-fixtures/http-helpers.js';

const agents: http.Agent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await cleanupApps();
});

function keepAliveAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

function counts(bodies: string[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const body of bodies) result[body] = (result[body] ?? 0) + 1;
  return result;
}

async function stop(app: App): Promise<void> {
  process.kill(app.pid, 'SIGTERM');
  const exit = await waitExit(app);
  expect(exit.code, app.stderr()).toBe(0);
}

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const reusePortSupported =
  process.platform === 'linux' && (major > 22 || (major === 22 && minor >= 12));

describe('a port shared by 4 workers', () => {
  it('in cluster mode, 100 new connections reach every worker', async () => {
    const app = startApp({ mode: 'cluster', numWorkers: 4, port: 0 });
    const port = await waitReady(app, 4);
    const bodies = await bounded(manyRequests(port, 100, 4), 10_000, '100 requests');
    const seen = counts(bodies);
    expect(Object.keys(seen).sort(), JSON.stringify(seen)).toEqual(['w0', 'w1', 'w2', 'w3']);
    await stop(app);
  });

  it.runIf(reusePortSupported)(
    'in reusePort mode, 100 new connections are spread by the kernel over several workers',
    async () => {
      const port = await freePort();
      const app = startApp({ mode: 'reusePort', numWorkers: 4, port });
      await waitReady(app, 4);
      const bodies = await bounded(manyRequests(port, 100, 4), 10_000, '100 requests');
      const seen = counts(bodies);
      expect(Object.keys(seen).length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
      for (const body of Object.keys(seen)) expect(body).toMatch(/^w[0-3]$/);
      await stop(app);
    },
  );
});

describe('a stop drains the HTTP servers', () => {
  it('the request in flight finishes with Connection: close, idle sockets close at once, new connections are not served, and the primary exits 0 in about the in-flight time', async () => {
    const SLOW = 800;
    const app = startApp({ mode: 'cluster', numWorkers: 2, port: 0 });
    const port = await waitReady(app, 2);

    // A keep-alive socket left idle in its agent's pool after one quick request.
    const idleAgent = keepAliveAgent();
    let idleSocket: Socket | undefined;
    const quick = await get(port, '/', idleAgent, (req) =>
      req.once('socket', (socket) => {
        idleSocket = socket;
      }),
    );
    expect(quick.status).toBe(200);
    expect(quick.headers.connection).toBe('keep-alive');
    const socket = idleSocket as Socket;
    let idleClosedAt = 0;
    const idleClosed = new Promise<void>((resolve) =>
      socket.once('close', () => {
        idleClosedAt = Date.now();
        resolve();
      }),
    );

    // A slow request on a keep-alive socket of its own: its response's `Connection: close`
    // comes from the drain, not from the client.
    const slow = get(port, `/slow?ms=${SLOW}`, keepAliveAgent());
    await waitLog(app, (line) => line.ev === 'got' && line.path === '/slow', 'got /slow');
    const stoppedAt = Date.now();
    process.kill(app.pid, 'SIGTERM');
    await waitLog(app, (line) => line.ev === 'shutdown', 'shutdown');

    // New connections during the drain are not served; once every worker's listener is closed
    // (in cluster mode the primary closes the shared one when the last worker stopped
    // listening) they are refused. A connection the primary accepted just before that, while
    // handing it to a worker that had already closed its server, is reset rather than served:
    // node:cluster then keeps it until the primary exits (seen about once in six runs).
    const probe = await probeUntilRefused(port, SLOW + 3_000);
    expect(probe.attempts.filter((attempt) => attempt.includes('served'))).toEqual([]);
    const reply = await bounded(slow, SLOW + 5_000, 'the slow response');
    await bounded(idleClosed, 1_000, 'the close of the idle socket');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/^w[01]$/);
    expect(reply.headers.connection).toBe('close');
    expect(idleClosedAt, 'the idle socket closed before the slow response arrived').toBeLessThan(
      reply.at,
    );

    const exit = await waitExit(app);
    expect(exit.code, app.stderr()).toBe(0);
    expect(exit.at).toBeGreaterThanOrEqual(reply.at);
    // A server that waited for its keep-alive sockets (keepAliveTimeout is 60 s) would not
    // stop within this bound.
    expect(exit.at - stoppedAt).toBeLessThan(SLOW + 3_000);
  });
});

describe('readiness', () => {
  it('onReady and the ready IPC message come once, after every worker finished its startup', async () => {
    const app = startApp(
      { mode: 'cluster', numWorkers: 3, port: 0, startupDelays: [400, 0, 200] },
      { ipc: true },
    );
    await waitReady(app, 3);
    await until(
      () => (app.messages.includes('ready') ? true : undefined),
      5_000,
      'the ready IPC message',
    );
    const log = app.log();
    const ready = log.findIndex((line) => line.ev === 'ready');
    const done = log.flatMap((line, i) => (line.ev === 'startup-done' ? [i] : []));
    expect(done).toHaveLength(3);
    for (const i of done) expect(i).toBeLessThan(ready);
    expect(log.filter((line) => line.ev === 'ready')).toHaveLength(1);
    await stop(app);
    expect(app.messages.filter((message) => message === 'ready')).toEqual(['ready']);
  });
});
