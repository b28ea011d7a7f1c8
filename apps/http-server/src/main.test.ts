// The HTTP server as a deployment runs it: the built script in a real process, its
// workers real node:cluster processes, requests on real sockets on 127.0.0.1 (a keep-alive
// http.Agent, and a raw keep-alive socket), and a real SIGTERM to the primary under load.
// Every wait is bounded, and the cleanup kills only the processes these tests started that
// still run the built script.
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { appUnderTest, bounded } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
// `pnpm test` builds the packages, not the apps, so the app is built for these tests, from the
// sources as they are now, with its own tsup config, into a directory of its own (see buildApp).
const app = appUnderTest(APP_DIR, {
  start: { cwd: APP_DIR, nodeArgs: ['--enable-source-maps'] },
  // The primary, its children, and every worker pid it printed (a worker outliving its
  // primary is no longer its child): only those still running the built script are killed.
  leftovers: (run) => [...run.stdout().matchAll(/\(pid (\d+)\)/g)].map((match) => Number(match[1])),
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One GET on 127.0.0.1; `onTaken` is called when the worker has taken it (100 Continue). */
function get(
  port: number,
  path: string,
  options: { agent?: Agent | false; onTaken?: () => void } = {},
): Promise<Answer> {
  return bounded(
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          agent: options.agent ?? false,
          headers: options.onTaken === undefined ? {} : { Expect: '100-continue' },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (options.onTaken !== undefined) req.once('continue', options.onTaken);
      req.end();
    }),
    10_000,
    `GET ${path}`,
  );
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

/** Sums a number printed by each worker in lines matching `pattern` (index, number). */
function byWorker(stdout: string, pattern: RegExp): Map<number, number> {
  const counts = new Map<number, number>();
  for (const match of stdout.matchAll(pattern)) counts.set(Number(match[1]), Number(match[2]));
  return counts;
}

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);

describe('http-server --demo', () => {
  it('answers every request of its load across its own SIGTERM, 0 failed, exit 0', async () => {
    const run = app.start(['--demo']);
    const exit = await bounded(run.exited, 20_000, 'the demo finishing');
    const out = run.stdout();
    expect(exit, `stdout:\n${out}\nstderr:\n${run.stderr()}`).toEqual({ code: 0, signal: null });
    expect(out).toMatch(
      /^demo: 48 requests, 0 failed; (\d+) keep-alive sockets, \1 closed cleanly$/m,
    );
    expect(out).toMatch(
      /^demo: 40 quick requests answered, 8 slow ones \(700 ms\) in flight: SIGTERM/m,
    );
    expect(out).toMatch(/^demo: every slow request answered/m);
    // The request scope and the deadline, seen from both sides.
    expect(out).toMatch(
      /^worker \d: GET \/work\?ms=5000: the client went away after \d+ ms, work cancelled$/m,
    );
    expect(out).toMatch(
      /^worker \d: GET \/work\?ms=5000: over the 1000 ms deadline, answered 504$/m,
    );
    expect(out).toMatch(/^demo: GET \/work\?ms=5000 with a 1000 ms deadline: 504 /m);
    for (const index of [0, 1]) {
      expect(out).toMatch(
        new RegExp(
          `^worker ${index}: SIGTERM: not ready \\(/readyz answers 503\\), draining in 300 ms$`,
          'm',
        ),
      );
      expect(out).toMatch(new RegExp(`^worker ${index}: drain begun: `, 'm'));
      expect(out).toMatch(
        new RegExp(`^worker ${index}: drained in \\d+ ms \\(none cut off\\);.*; stopped$`, 'm'),
      );
    }
    expect(out).toMatch(/^primary: every worker has stopped \(SIGTERM\)$/m);
    expect(out).toMatch(/^demo: passed$/m);
    expect(out).toMatch(/^primary: exit code 0$/m);
    expect(run.stderr()).toBe('');
  }, 30_000);
});

describe('http-server under a SIGTERM', () => {
  it('fails readiness, finishes the requests in flight, closes keep-alive sockets cleanly, refuses new connections, exit 0', async () => {
    // A long shutdown delay: the readiness probe below has all of it to get its 503.
    const run = app.start(['--workers', '2', '--port', '0', '--shutdown-delay', '1500']);
    const [, pidList, portText] = await run.waitFor(
      /^ready: 2 workers \(pids (\d+, \d+)\) on http:\/\/127\.0\.0\.1:(\d+);/,
      { what: 'the ready line' },
    );
    const port = Number(portText);
    const workerPids = [
      ...run
        .stdout()
        .matchAll(/^worker \d \(pid (\d+)\): listening on http:\/\/127\.0\.0\.1:(\d+)$/gm),
    ];
    expect(workerPids.map((m) => m[2])).toEqual([portText, portText]);
    expect(workerPids.map((m) => m[1]).sort()).toEqual(pidList?.split(', ').sort());

    expect((await get(port, '/healthz')).status).toBe(200);
    expect(await get(port, '/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
    expect((await get(port, '/nowhere')).status).toBe(404);
    expect((await get(port, '/work?ms=soon')).status).toBe(400);
    expect(await get(port, '/work?ms=1')).toMatchObject({ status: 200 });

    // A raw keep-alive connection, idle after one request: the drain must end it (FIN).
    const idle = connect({ host: '127.0.0.1', port });
    idle.setEncoding('utf8');
    let idleText = '';
    let idleEnded = false;
    idle.on('data', (chunk: string) => (idleText += chunk));
    idle.on('end', () => (idleEnded = true));
    const idleClosed = new Promise<boolean>((resolve) => {
      idle.on('error', () => {});
      idle.once('close', (hadError) => resolve(idleEnded && !hadError));
    });
    idle.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await bounded(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (idleText.includes('\r\n\r\n') && idleText.endsWith('0\r\n\r\n')) resolve();
        };
        idle.on('data', check);
        check();
      }),
      5_000,
      'the raw socket answer',
    );
    expect(idleText).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(idleText).toMatch(/\r\nConnection: keep-alive\r\n/i);

    // Four slow requests on a keep-alive http.Agent, each taken by a worker before the SIGTERM.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      let taken = 0;
      let allTaken!: () => void;
      const everyTaken = new Promise<void>((resolve) => (allTaken = resolve));
      const slow = Array.from({ length: 4 }, () =>
        get(port, '/work?ms=2500', {
          agent,
          onTaken: () => {
            if (++taken === 4) allTaken();
          },
        }),
      );
      // Awaited at the end; a failure that comes earlier is reported there.
      void Promise.allSettled(slow);
      await bounded(everyTaken, 10_000, 'the slow requests being taken');

      run.signal('SIGTERM');
      for (const index of [0, 1]) {
        await run.waitFor(
          new RegExp(
            `^worker ${index}: SIGTERM: not ready \\(/readyz answers 503\\), draining in 1500 ms$`,
          ),
          { what: `worker ${index} failing readiness` },
        );
      }
      const probe = await get(port, '/readyz');
      expect(probe).toMatchObject({ status: 503, body: 'shutting down\n' });
      expect(probe.headers.connection).toBe('close');

      // The drain: the listener closes, the idle socket is ended, the slow requests go on.
      await run.waitFor(/^worker 0: drain begun/, { what: 'worker 0 beginning its drain' });
      await run.waitFor(/^worker 1: drain begun/, { what: 'worker 1 beginning its drain' });
      const out = run.stdout();
      expect(
        sum(byWorker(out, /^worker (\d): drain begun: (\d+) requests? in flight/gm).values()),
      ).toBe(4);
      expect(
        sum(
          byWorker(
            out,
            /^worker (\d): drain begun: .*, (\d+) idle keep-alive connections? closed/gm,
          ).values(),
        ),
      ).toBe(1);
      expect(await bounded(idleClosed, 5_000, 'the idle keep-alive socket closing')).toBe(true);

      // New connections are refused: none is answered from here on.
      let refused = false;
      for (let attempt = 0; attempt < 200 && !refused; attempt++) {
        const outcome = await get(port, '/healthz').then(
          (answer) => `answered ${answer.status}`,
          (error: unknown) => codeOf(error) ?? String(error),
        );
        expect(outcome).not.toMatch(/^answered/);
        refused = outcome === 'ECONNREFUSED';
        if (!refused) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(refused).toBe(true);

      const answers = await bounded(Promise.all(slow), 10_000, 'the slow requests finishing');
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body).toMatch(/^worker \d \(pid \d+\): 2500 ms of work done\n$/);
        // Taken before the drain, answered during it: their sockets close after them.
        expect(answer.headers.connection).toBe('close');
      }
    } finally {
      agent.destroy();
    }

    const exit = await bounded(run.exited, 10_000, 'the server exiting');
    const out = run.stdout();
    expect(exit, `stdout:\n${out}\nstderr:\n${run.stderr()}`).toEqual({ code: 0, signal: null });
    for (const index of [0, 1]) {
      expect(out).toMatch(
        new RegExp(`^worker ${index}: drained in \\d+ ms \\(none cut off\\);.*; stopped$`, 'm'),
      );
    }
    expect(out).toMatch(/^primary: every worker has stopped \(SIGTERM\)$/m);
    expect(out).toMatch(/^primary: exit code 0$/m);
    expect(run.stderr()).toBe('');
  }, 40_000);

  it('rejects a bad command line with exit code 2 and the reason, starting nothing', async () => {
    const run = app.start(['--shutdown-delay', '-1']);
    const exit = await bounded(run.exited, 10_000, 'the server exiting');
    expect(exit).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain('--shutdown-delay');
    expect(run.stdout()).toBe('');
  });
});
