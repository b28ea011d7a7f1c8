import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deferred, rejection } from '@aiotools-test/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { drainHttpServer } from './drain-http-server.js';

// Longer than any test may run: a drain that waited for it would fail by the test's time limit.
const KEEP_ALIVE = 60_000;

interface Reply {
  readonly status: number | undefined;
  readonly connection: string | undefined;
  readonly body: string;
  readonly socket: Socket;
}

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A server on 127.0.0.1 whose `/slow` requests wait for `release()`. */
async function start<S extends http.Server | https.Server | http2.Http2SecureServer>(
  server: S,
): Promise<{
  server: S;
  port: number;
  arrived: Promise<void>;
  release: () => void;
  /** Settles when the first `/slow` response has been handed to the socket. */
  finished: Promise<void>;
}> {
  const arrival = deferred<void>();
  const go = deferred<void>();
  const finish = deferred<void>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url?.startsWith('/own')) return;
    if (req.url === '/slow') {
      arrival.resolve();
      res.once('finish', () => finish.resolve());
      void go.promise.then(() => res.end('slow'));
    } else if (req.url === '/never') {
      arrival.resolve();
    } else {
      res.end('fast');
    }
  });
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = KEEP_ALIVE;
  cleanups.push(() => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    server,
    port,
    arrived: arrival.promise,
    release: () => go.resolve(),
    finished: finish.promise,
  };
}

function agentFor(scheme: typeof http | typeof https = http): http.Agent {
  const agent = new scheme.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
  cleanups.push(() => agent.destroy());
  return agent;
}

function get(
  port: number,
  agent: http.Agent,
  path = '/',
  scheme: typeof http | typeof https = http,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = scheme.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          connection: res.headers.connection,
          body,
          socket: req.socket as Socket,
        }),
      );
    });
    req.on('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Records when `promise` settles, to check the order of events. */
function track(promise: Promise<unknown>, events: string[], name: string): Promise<void> {
  return promise.then(() => void events.push(name));
}

describe('drainHttpServer', () => {
  it('lets an in-flight request finish with Connection: close, then closes its socket', async () => {
    const { server, port, arrived, release, finished } = await start(http.createServer());
    const agent = agentFor();
    const events: string[] = [];
    const reply = get(port, agent, '/slow');
    await arrived;
    const infinite = { timeout: Number.POSITIVE_INFINITY };
    const drained = track(drainHttpServer(server, infinite), events, 'drained');
    const responded = track(finished, events, 'finished');
    // The drain waits for the response: it cannot have resolved before it is released.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    release();
    const { status, connection, body, socket } = await reply;
    expect({ status, connection, body }).toEqual({
      status: 200,
      connection: 'close',
      body: 'slow',
    });
    await Promise.all([drained, responded, closed(socket)]);
    expect(events).toEqual(['finished', 'drained']);
    expect(server.listening).toBe(false);
  });

  it('closes idle keep-alive sockets at once', async () => {
    const { server, port } = await start(http.createServer());
    const agent = agentFor();
    const first = await get(port, agent);
    expect(first.connection).toBe('keep-alive');
    expect(first.socket.closed).toBe(false);
    await Promise.all([drainHttpServer(server), closed(first.socket)]);
  });

  it('refuses new connections as soon as it starts', async () => {
    const { server, port, arrived, release } = await start(http.createServer());
    const busy = get(port, agentFor(), '/slow');
    await arrived;
    const drained = drainHttpServer(server);
    const error = await rejection(get(port, agentFor()));
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    release();
    expect((await busy).connection).toBe('close');
    await drained;
  });

  it('destroys what remains after the timeout and resolves', async () => {
    const { server, port, arrived } = await start(http.createServer());
    const stuck = get(port, agentFor(), '/never');
    await arrived;
    await drainHttpServer(server, { timeout: 50 });
    const error = await rejection(stuck);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('returns the same promise to a second call, whose shorter timeout applies', async () => {
    const { server, port, arrived } = await start(http.createServer());
    const stuck = get(port, agentFor(), '/never');
    await arrived;
    const first = drainHttpServer(server, { timeout: Number.POSITIVE_INFINITY });
    const second = drainHttpServer(server, { timeout: 20 });
    expect(second).toBe(first);
    expect(drainHttpServer(server)).toBe(first);
    await first;
    await rejection(stuck);
  });

  it('resolves promptly for a server without connections, listening or not', async () => {
    const { server } = await start(http.createServer());
    await drainHttpServer(server);
    // Already closed, and never listened: close() reports ERR_SERVER_NOT_RUNNING, not thrown.
    await drainHttpServer(server);
    await drainHttpServer(http.createServer());
  });

  it('waits for the connections of a server that was already closed', async () => {
    const { server, port, arrived, release, finished } = await start(http.createServer());
    const events: string[] = [];
    const reply = get(port, agentFor(), '/slow');
    await arrived;
    server.close();
    const drained = track(drainHttpServer(server), events, 'drained');
    const responded = track(finished, events, 'finished');
    release();
    expect((await reply).connection).toBe('close');
    await Promise.all([responded, drained]);
    expect(events).toEqual(['finished', 'drained']);
  });

  it('answers a request pipelined on a busy socket during the drain, with Connection: close', async () => {
    const { server, port, arrived, release } = await start(http.createServer());
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await arrived;
    const drained = drainHttpServer(server);
    // The second request reaches the server once the drain began, on the busy socket.
    const second = new Promise<void>((resolve) => server.once('request', () => resolve()));
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await second;
    release();
    await Promise.all([drained, closed(socket)]);
    const heads = [...received.matchAll(/HTTP\/1\.1 200 OK\r\n[\s\S]*?\r\n\r\n/g)].map(String);
    expect(heads).toHaveLength(2);
    // The first response no longer says close (HTTP/1.1 keeps the socket open by default), so
    // that the second one can follow it.
    expect(heads.map((head) => /^Connection: (\S+)$/im.exec(head)?.[1])).toEqual([
      undefined,
      'close',
    ]);
    expect(received).toMatch(/slow[\s\S]*fast$/);
  });

  it('closes the socket of a response whose head said keep-alive before the drain', async () => {
    const server = http.createServer();
    const go = deferred<void>();
    const headWritten = deferred<void>();
    server.on('request', (_req, res) => {
      res.writeHead(200, { 'Content-Length': '4' });
      res.write('ab', () => headWritten.resolve());
      void go.promise.then(() => res.end('cd'));
    });
    const { port } = await start(server);
    const reply = get(port, agentFor(), '/own');
    await headWritten.promise;
    const drained = drainHttpServer(server);
    go.resolve();
    const { connection, body, socket } = await reply;
    expect({ connection, body }).toEqual({ connection: 'keep-alive', body: 'abcd' });
    await Promise.all([drained, closed(socket)]);
  });

  it('validates its arguments, rejecting with a TypeError or RangeError', async () => {
    for (const server of [undefined, null, 42, {}, { close() {} }]) {
      await expect(drainHttpServer(server as unknown as http.Server)).rejects.toThrow(
        /^Expected `server` to be an http\.Server, https\.Server or http2 server, got /,
      );
    }
    const server = http.createServer();
    await expect(drainHttpServer(server, 'fast' as unknown as undefined)).rejects.toThrow(
      TypeError,
    );
    await expect(drainHttpServer(server, { timeout: -1 })).rejects.toThrow(RangeError);
    await expect(drainHttpServer(server, { timeout: Number.NaN })).rejects.toThrow(
      /^Expected `options\.timeout` to be a finite number ≥ 0, got `NaN` \(number\)$/,
    );
    await expect(drainHttpServer(server, { timeout: '5' as unknown as number })).rejects.toThrow(
      /^Expected `options\.timeout` to be a number of milliseconds, got `"5"` \(string\)$/,
    );
    await expect(drainHttpServer(server, { timeout: Number.NEGATIVE_INFINITY })).rejects.toThrow(
      RangeError,
    );
  });
});

// TLS needs a certificate, which Node cannot make: these run where the openssl CLI exists.
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('drainHttpServer over TLS', () => {
  let dir = '';
  let tls = { key: Buffer.alloc(0), cert: Buffer.alloc(0) };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drain-tls-'));
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        ...['-days', '1', '-subj', '/CN=localhost'],
      ],
      { stdio: 'ignore' },
    );
    tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drains an https.Server', async () => {
    const { server, port, arrived, release } = await start(https.createServer(tls));
    const agent = agentFor(https);
    const idle = await get(port, agent, '/', https);
    const busy = get(port, agentFor(https), '/slow', https);
    await arrived;
    const drained = drainHttpServer(server);
    release();
    const { status, connection, socket } = await busy;
    expect({ status, connection }).toEqual({ status: 200, connection: 'close' });
    await Promise.all([drained, closed(idle.socket), closed(socket)]);
  });

  it('drains an http2 server with allowHTTP1: HTTP/1 requests and HTTP/2 sessions', async () => {
    const { server, port, arrived, release } = await start(
      http2.createSecureServer({ ...tls, allowHTTP1: true }),
    );
    const busy = get(port, agentFor(https), '/slow', https);
    await arrived;
    const session = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
    cleanups.push(() => session.destroy());
    // Node 24 counts an HTTP/2 connection gone a moment before its socket closes: the test
    // waits for both ends, to leave nothing behind.
    const serverSession = new Promise<void>((resolve) =>
      server.once('session', (session) => session.once('close', () => resolve())),
    );
    const sessionSocket = new Promise<Socket>((resolve) =>
      session.once('connect', (_session, socket) => resolve(socket as Socket)),
    );
    // Settles once the stream is closed, not merely ended, so that nothing of it is pending.
    const h2get = (path = '/'): Promise<string> =>
      new Promise((resolve, reject) => {
        const stream = session.request({ ':path': path });
        let body = '';
        let ended = false;
        let failure: unknown = new Error('stream closed before its end');
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => (ended = true));
        stream.on('error', (error) => (failure = error));
        stream.on('close', () => (ended ? resolve(body) : reject(failure)));
        stream.end();
      });
    expect(await h2get()).toBe('fast');
    const h2Arrived = new Promise<void>((resolve) => server.once('request', () => resolve()));
    const h2busy = h2get('/slow');
    await h2Arrived;
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    const drained = drainHttpServer(server);
    // A request on the open session during the drain is answered, and ends the session. From
    // Node 24 on, close() itself sends GOAWAY to open sessions, so the request may be refused.
    const during = h2get('/').catch(() => 'refused');
    release();
    expect(await h2busy).toBe('slow');
    const major = Number(process.versions.node.split('.')[0]);
    expect(await during).toMatch(major < 24 ? /^fast$/ : /^(fast|refused)$/);
    const { connection, socket } = await busy;
    expect(connection).toBe('close');
    await Promise.all([
      drained,
      goaway,
      closed(socket),
      new Promise((resolve) => session.once('close', resolve)),
      sessionSocket.then(closed),
      serverSession,
    ]);
  });
});
