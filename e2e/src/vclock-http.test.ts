// The virtual clock and HTTP, as users write it: a mock server in the test process with a
// virtual latency, a real server in another process, and both in one run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { moveOnAfter } from '@aiotools/cancel';
import { VirtualClock } from '@aiotools/vclock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const realSetTimeout = globalThis.setTimeout;
const childServer = fileURLToPath(new URL('./vclock-child-server.mjs', import.meta.url));

/** Waits (real time, at most 2 s) until the clients' sockets are closed too. */
async function socketsClosed(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!process.getActiveResourcesInfo().includes('TCPSocketWrap')) return;
    await new Promise((resolve) => realSetTimeout(resolve, 10));
  }
  throw new Error('sockets still open after 2 s');
}

async function mockServer(latency: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => setTimeout(() => res.end('hi'), latency));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      await socketsClosed();
    },
  };
}

/** A server in a child process answering after `delay` ms of real time (never when < 0). */
async function otherProcess(delay: number): Promise<{ port: number; close(): Promise<void> }> {
  const child = spawn(process.execPath, [childServer, String(delay)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  child.stdout.setEncoding('utf8');
  let text = '';
  for await (const chunk of child.stdout) {
    text += chunk as string;
    if (text.includes('\n')) break;
  }
  return {
    port: Number.parseInt(text, 10),
    async close() {
      child.stdin.end();
      await exited;
      await socketsClosed();
    },
  };
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('a mock server in the test process with a latency', () => {
  it('answers fetch() (it used to hang with now() stuck at 0)', async () => {
    const server = await mockServer(100);
    try {
      const clock = new VirtualClock();
      const response = await clock.run(() => fetch(`http://127.0.0.1:${server.port}/`));
      expect(await response.text()).toBe('hi');
      expect(clock.now()).toBe(100);
    } finally {
      await server.close();
    }
  });

  it('answers http.get', async () => {
    const server = await mockServer(100);
    try {
      const clock = new VirtualClock();
      expect(await clock.run(() => get(`http://127.0.0.1:${server.port}/`))).toBe('hi');
      expect(clock.now()).toBe(100);
    } finally {
      await server.close();
    }
  });

  it('lets a client moveOnAfter(1000) fire when the server is slower', async () => {
    const server = await mockServer(5000);
    try {
      const clock = new VirtualClock();
      const body = await clock.run(() =>
        moveOnAfter(1000, async (scope) => {
          const response = await fetch(`http://127.0.0.1:${server.port}/`, {
            signal: scope.signal,
          });
          return response.text();
        }),
      );
      expect(body).toBeUndefined();
      expect(clock.now()).toBe(1000);
    } finally {
      await server.close();
    }
  });
});

describe('a server in another process answering after 50 ms of real time', () => {
  let server: { port: number; close(): Promise<void> };
  beforeAll(async () => {
    server = await otherProcess(50);
  });
  afterAll(() => server?.close());

  it('is not cut off by moveOnAfter(1000) or moveOnAfter(5000)', async () => {
    for (const limit of [1000, 5000]) {
      const clock = new VirtualClock();
      const body = await clock.run(() =>
        moveOnAfter(limit, async (scope) => {
          const response = await fetch(`http://127.0.0.1:${server.port}/`, {
            signal: scope.signal,
          });
          return response.text();
        }),
      );
      expect(body).toBe('pong');
      expect(clock.now()).toBe(0);
    }
  });

  it('works beside an in-process mock server in one run', async () => {
    const mock = await mockServer(100);
    try {
      const clock = new VirtualClock();
      const bodies = await clock.run(() =>
        Promise.all([
          moveOnAfter(1000, async (scope) => {
            const response = await fetch(`http://127.0.0.1:${server.port}/`, {
              signal: scope.signal,
            });
            return response.text();
          }),
          fetch(`http://127.0.0.1:${mock.port}/`).then((response) => response.text()),
        ]),
      );
      expect(bodies).toEqual(['pong', 'hi']);
      expect(clock.now()).toBe(100);
    } finally {
      await mock.close();
    }
  });
});

describe('a dead server in another process', () => {
  it('holds time for the default ioHoldLimit of real quiet only, so the test still ends', async () => {
    const dead = await otherProcess(-1);
    try {
      const clock = new VirtualClock();
      const body = await clock.run(() =>
        moveOnAfter(1000, async (scope) => {
          const response = await fetch(`http://127.0.0.1:${dead.port}/`, {
            signal: scope.signal,
          });
          return response.text();
        }),
      );
      expect(body).toBeUndefined();
      expect(clock.now()).toBe(1000);
    } finally {
      await dead.close();
    }
  });
});
