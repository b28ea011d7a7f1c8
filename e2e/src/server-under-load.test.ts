// A server under load, as users run one, against the built packages: two node:cluster workers
// of @aiotools/server, a TaskScope per worker, per-request deadlines and a request id carried
// in a ContextVar through every await; SIGTERM in the middle of a keep-alive load drains it
// with no failed request and a clean exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./server-under-load.fixture.mjs', import.meta.url));
let primary: ChildProcess | undefined;

afterEach(async () => {
  if (primary !== undefined && primary.exitCode === null && primary.signalCode === null) {
    primary.kill('SIGKILL');
    await new Promise((resolve) => primary?.once('exit', resolve));
  }
  primary = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function get(agent: Agent, port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, port, host: '127.0.0.1', path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

it('serves a keep-alive load, keeps each request id through its awaits, and drains on SIGTERM', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [fixture, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  primary = child;
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workers not ready: ${out}${err}`)), 15_000);
    const check = (): void => {
      if (/ready 0/.test(out) && /ready 1/.test(out)) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    check();
  });

  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  try {
    // 8 clients in a loop; the slow ones (ms=500) hit their 200 ms deadline and get 504.
    const results: Array<{ id: string; status: number; body: string }> = [];
    let stopped = false;
    const client = async (c: number): Promise<void> => {
      for (let i = 0; !stopped; i++) {
        const id = `${c}-${i}`;
        const ms = i % 10 === 9 ? 500 : 5;
        const res = await get(agent, port, `/?id=${id}&ms=${ms}`);
        results.push({ id, ...res });
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    // SIGTERM once every client has been served a few times, while requests are in flight.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (results.length >= 80) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    child.kill('SIGTERM');
    stopped = true;
    await Promise.all(clients);
    expect(await exited).toBe(0);

    for (const { id, status, body } of results) {
      if (status === 200) expect(body).toMatch(new RegExp(`^${id}@[01]$`));
      else expect([status, body]).toEqual([504, 'timeout']);
    }
    expect(new Set(results.filter((r) => r.status === 200).map((r) => r.body.slice(-1)))).toEqual(
      new Set(['0', '1']),
    );
    expect(results.some((r) => r.status === 504)).toBe(true);
    expect(out).toMatch(/stopped 0 SIGTERM \d+/);
    expect(out).toMatch(/stopped 1 SIGTERM \d+/);
    expect(err).toBe('');
  } finally {
    agent.destroy();
  }
});
