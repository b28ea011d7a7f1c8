// When real I/O holds the jump and when it does not: connections inside the process (a mock
// server) never hold it; requests to another process, fs, the thread pool and worker threads
// do, up to `ioHoldLimit` ms of real quiet.
import { pbkdf2, randomFillSync, randomUUID, webcrypto } from 'node:crypto';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { gzip, gzipSync, InflateRaw } from 'node:zlib';
import { sleep } from '@aiotools/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../test/child-server.js';
import { VirtualClock } from './virtual-clock.js';

const realSetTimeout = globalThis.setTimeout;

/** A server in this process that answers `hi` after `ms` of (virtual, once installed) time. */
async function mockServer(ms: number): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    setTimeout(() => response.end('hi'), ms);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Closes the server and waits until the clients saw their connections close. */
async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
  await socketsClosed();
}

function httpGet(url: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { signal }, (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** Waits (real time, bounded) until no TCP socket is left open: keep-alive sockets closing. */
async function socketsClosed(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!process.getActiveResourcesInfo().includes('TCPSocketWrap')) return;
    await new Promise((resolve) => realSetTimeout(resolve, 10));
  }
  throw new Error('sockets still open after 2 s');
}

describe('a mock server in this process', () => {
  it('answers fetch() after its virtual latency instead of hanging', async () => {
    const { server, url } = await mockServer(100);
    try {
      const clock = new VirtualClock();
      const body = await clock.run(async () => (await fetch(url)).text());
      expect(body).toBe('hi');
      expect(clock.now()).toBe(100);
    } finally {
      await closeServer(server);
    }
  });

  it('answers http.get after its virtual latency', async () => {
    const { server, url } = await mockServer(100);
    try {
      const clock = new VirtualClock();
      expect(await clock.run(() => httpGet(url))).toBe('hi');
      expect(clock.now()).toBe(100);
    } finally {
      await closeServer(server);
    }
  });

  it('answers several connections to one server at once, each after its own latency', async () => {
    const server = createServer((request, response) => {
      setTimeout(() => response.end(request.url), Number(request.url?.slice(1)));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const clock = new VirtualClock();
      const seen = await clock.run(() =>
        Promise.all(
          [300, 100, 200].map(async (ms) => {
            const body = await httpGet(`http://127.0.0.1:${port}/${ms}`);
            return `${body}@${clock.now()}`;
          }),
        ),
      );
      expect(seen).toEqual(['/300@300', '/100@100', '/200@200']);
    } finally {
      await closeServer(server);
    }
  });

  it('lets a client timeout fire while the server is slower', async () => {
    const { server, url } = await mockServer(5000);
    try {
      const clock = new VirtualClock();
      const outcome = await clock.run(() =>
        fetch(url, { signal: AbortSignal.timeout(1000) }).then(
          () => 'answer',
          (error: Error) => error.name,
        ),
      );
      expect(outcome).toBe('TimeoutError');
      expect(clock.now()).toBe(1000);
      const viaGet = await clock.run(() =>
        httpGet(url, AbortSignal.timeout(1000)).catch((error: Error) => error.name),
      );
      expect(viaGet).toBe('AbortError');
      expect(clock.now()).toBe(2000);
    } finally {
      await closeServer(server);
    }
  });

  it('delivers an answer written at the same instant before the next timer (bytes in flight let the loop turn)', async () => {
    const { server, url } = await mockServer(100);
    try {
      const clock = new VirtualClock();
      const winner = await clock.run(async () => {
        let guard: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<string>((resolve) => {
          guard = setTimeout(() => resolve('guard'), 101);
        });
        const answer = httpGet(url);
        const first = await Promise.race([answer, late]);
        clearTimeout(guard);
        return first;
      });
      expect(winner).toBe('hi');
      expect(clock.now()).toBe(100);
    } finally {
      await closeServer(server);
    }
  });
});

describe('a request to another process', () => {
  let slow: ChildServer;
  let keepAlive: ChildServer;
  beforeAll(async () => {
    [slow, keepAlive] = await Promise.all([
      startChildServer(50),
      startChildServer(0, 'keep-alive'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([slow?.close(), keepAlive?.close()]);
  });

  it('is not overtaken by a virtual fetch timeout of 1 s or 5 s', async () => {
    for (const limit of [1000, 5000]) {
      const clock = new VirtualClock();
      const body = await clock.run(async () => {
        const response = await fetch(`http://127.0.0.1:${slow.port}/`, {
          signal: AbortSignal.timeout(limit),
        });
        return response.text();
      });
      expect(body).toBe('pong');
      expect(clock.now()).toBe(0);
    }
  });

  it('is not overtaken through http.get with a virtual timer racing it', async () => {
    const clock = new VirtualClock();
    const winner = await clock.run(async () => {
      let guard: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<string>((resolve) => {
        guard = setTimeout(() => resolve('timeout'), 1000);
      });
      const first = await Promise.race([httpGet(`http://127.0.0.1:${slow.port}/`), late]);
      clearTimeout(guard);
      return first;
    });
    expect(winner).toBe('pong');
    expect(clock.now()).toBe(0);
  });

  it('holds time only for `ioHoldLimit` ms of real quiet when the server never answers', async () => {
    const dead = await startChildServer(-1);
    try {
      const clock = new VirtualClock({ ioHoldLimit: 100 });
      const outcome = await clock.run(() =>
        fetch(`http://127.0.0.1:${dead.port}/`, { signal: AbortSignal.timeout(1000) }).then(
          () => 'answer',
          (error: Error) => error.name,
        ),
      );
      expect(outcome).toBe('TimeoutError');
      expect(clock.now()).toBe(1000);
    } finally {
      await dead.close();
      await socketsClosed();
    }
  });

  it('works beside a mock server in this process, in one run', async () => {
    const { server, url } = await mockServer(100);
    try {
      const clock = new VirtualClock();
      const bodies = await clock.run(() =>
        Promise.all([
          fetch(url).then((response) => response.text()),
          fetch(`http://127.0.0.1:${slow.port}/`, { signal: AbortSignal.timeout(1000) }).then(
            (response) => response.text(),
          ),
        ]),
      );
      expect(bodies).toEqual(['hi', 'pong']);
      expect(clock.now()).toBe(100);
    } finally {
      await closeServer(server);
    }
  });

  it('does not hold time with an idle keep-alive connection', async () => {
    // Held, the one-minute sleep would wait for a minute of real quiet: past the test timeout.
    const clock = new VirtualClock({ ioHoldLimit: 60_000 });
    await clock.run(async () => {
      const response = await fetch(`http://127.0.0.1:${keepAlive.port}/`);
      expect(await response.text()).toBe('pong');
      await sleep(60_000); // undici's keep-alive timeout (virtual) closes the socket meanwhile
    });
    expect(clock.now()).toBeGreaterThanOrEqual(60_000);
    await socketsClosed();
  });
});

describe('work on the thread pool and in worker threads', () => {
  /** Whichever settles first: the work, or a virtual timer of 1 ms. */
  function race(work: Promise<unknown>): Promise<string> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('timer'), 1);
    });
    return Promise.race([work.then(() => 'work'), timeout]).finally(() => clearTimeout(timer));
  }

  // A long limit: a hold must end because the work is done, not because nothing moved.
  const options = { ioHoldLimit: 10_000 };

  it('holds the jump for crypto jobs: callback and promise (webcrypto) styles', async () => {
    const clock = new VirtualClock(options);
    const outcomes = await clock.run(async () => [
      await race(
        new Promise((resolve, reject) =>
          pbkdf2('secret', 'salt', 100_000, 64, 'sha512', (error, key) =>
            error ? reject(error) : resolve(key),
          ),
        ),
      ),
      await race(webcrypto.subtle.digest('SHA-256', new Uint8Array(32 * 1024 * 1024))),
    ]);
    expect(outcomes).toEqual(['work', 'work']);
    expect(clock.now()).toBe(0);
  });

  it('holds the jump for zlib work', async () => {
    const clock = new VirtualClock(options);
    const outcome = await clock.run(() =>
      race(
        new Promise((resolve, reject) =>
          gzip(Buffer.alloc(16 * 1024 * 1024, 7), (error, result) =>
            error ? reject(error) : resolve(result),
          ),
        ),
      ),
    );
    expect(outcome).toBe('work');
  });

  it('holds the jump while a worker thread runs', async () => {
    const clock = new VirtualClock(options);
    let worker: Worker | undefined;
    let exited: Promise<unknown> | undefined;
    try {
      const outcome = await clock.run(() => {
        worker = new Worker(
          `const { parentPort } = require('node:worker_threads');
           const end = Date.now() + 100; while (Date.now() < end) {}
           parentPort.postMessage('done');`,
          { eval: true },
        );
        exited = once(worker, 'exit');
        return race(once(worker, 'message'));
      });
      expect(outcome).toBe('work');
    } finally {
      await worker?.terminate();
      await exited;
    }
  });

  it('keeps counting right when a job of an earlier run finishes during the next one', async () => {
    const key = () =>
      new Promise((resolve, reject) =>
        pbkdf2('secret', 'salt', 100_000, 64, 'sha512', (error, result) =>
          error ? reject(error) : resolve(result),
        ),
      );
    let earlier: Promise<unknown> | undefined;
    await new VirtualClock(options).run(() => {
      earlier = key(); // still running when this run ends
    });
    const clock = new VirtualClock(options);
    const outcome = await clock.run(() => race(key()));
    await earlier;
    expect(outcome).toBe('work');
  });

  it('passes a webcrypto rejection on to the caller', async () => {
    const clock = new VirtualClock(options);
    const outcome = await clock.run(() =>
      webcrypto.subtle.digest('NO-SUCH-HASH', new Uint8Array(8)).then(
        () => 'resolved',
        (error: Error) => error.name,
      ),
    );
    expect(outcome).toBe('NotSupportedError');
  });

  it('leaves the native resources as it found them once uninstalled', async () => {
    const stream = new InflateRaw();
    const handle = (stream as unknown as { _handle: object })._handle;
    stream.close();
    const chain: object[] = [];
    for (let p = Object.getPrototypeOf(handle); p !== null; p = Object.getPrototypeOf(p))
      chain.push(p);
    const watched = ['ondone', 'cb', 'onexit'];
    const own = () => chain.flatMap((p) => watched.filter((key) => Object.hasOwn(p, key)));
    expect(own()).toEqual([]);
    const digest = Object.getPrototypeOf(webcrypto.subtle).digest;
    let pending: Promise<unknown> | undefined;
    await new VirtualClock(options).run(() => {
      pending = new Promise((resolve, reject) =>
        gzip(Buffer.alloc(1024 * 1024, 7), (error, result) =>
          error ? reject(error) : resolve(result),
        ),
      );
    });
    expect(own()).toEqual([]);
    expect(Object.getPrototypeOf(webcrypto.subtle).digest).toBe(digest);
    // Work started while installed still finishes after the uninstall.
    expect(await pending).toBeInstanceOf(Buffer);
  });

  it('is not held by synchronous crypto and zlib calls', async () => {
    // Held, the sleep would wait for a minute of real quiet: past the test timeout.
    const clock = new VirtualClock({ ioHoldLimit: 60_000 });
    await clock.run(async () => {
      randomFillSync(Buffer.alloc(16));
      randomUUID();
      gzipSync('abc');
      await sleep(60_000);
    });
    expect(clock.now()).toBe(60_000);
  });
});

describe('ioHoldLimit', () => {
  it('is validated', () => {
    expect(() => new VirtualClock({ ioHoldLimit: -1 })).toThrow(
      'Expected `options.ioHoldLimit` to be a finite number ≥ 0, got `-1` (number)',
    );
    expect(() => new VirtualClock({ ioHoldLimit: '1s' as never })).toThrow(
      'Expected `options.ioHoldLimit` to be a number of milliseconds, got `"1s"` (string)',
    );
  });
});
