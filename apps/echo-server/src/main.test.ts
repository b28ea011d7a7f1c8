// The echo server as a user runs it: the built script in a real process, its workers
// real node:cluster processes, clients on real sockets on 127.0.0.1, and real signals to the
// primary (or to its whole process group, as Ctrl-C does). Every wait is bounded, and the
// cleanup kills only the processes these tests started that still run the built script.
import { connect, type Socket } from 'node:net';
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

/** A client that sends lines and reads back what the server echoes. */
function client(port: number): {
  readonly socket: Socket;
  readonly connected: Promise<void>;
  echo(line: string): Promise<string>;
  /** Resolves with whether the server ended the connection cleanly (FIN, no error). */
  readonly closed: Promise<boolean>;
} {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setEncoding('utf8');
  let buffer = '';
  let ended = false;
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    waiter?.();
  });
  socket.on('end', () => (ended = true));
  socket.on('error', () => {});
  const closed = new Promise<boolean>((resolve) =>
    socket.once('close', (hadError) => resolve(ended && !hadError)),
  );
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    connected,
    closed,
    async echo(line) {
      socket.write(`${line}\n`);
      while (!buffer.includes('\n')) {
        await bounded(
          new Promise<void>((resolve) => (waiter = resolve)),
          5_000,
          `the echo of "${line}"`,
        );
      }
      const newline = buffer.indexOf('\n');
      const echoed = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      return echoed;
    },
  };
}

/** The number of connections each worker said it was closing on `signal`, by worker index. */
function closing(stdout: string, signal: string): Map<number, number> {
  const counts = new Map<number, number>();
  const pattern = new RegExp(`^worker (\\d+): ${signal}: closing (\\d+) connections?$`, 'gm');
  for (const match of stdout.matchAll(pattern)) counts.set(Number(match[1]), Number(match[2]));
  return counts;
}

function stopped(stdout: string): number[] {
  return [...stdout.matchAll(/^worker (\d+): \d+ connections? closed, stopped/gm)]
    .map((match) => Number(match[1]))
    .sort();
}

describe('echo-server --demo', () => {
  it('echoes every line of 8 clients on 4 workers, then stops on its own SIGTERM with each teardown printed, exit 0', async () => {
    const run = app.start(['--demo']);
    const exit = await bounded(run.exited, 20_000, 'the demo finishing');
    const out = run.stdout();
    expect(exit, `stdout:\n${out}\nstderr:\n${run.stderr()}`).toEqual({ code: 0, signal: null });
    expect(out).toMatch(/^demo: 8 clients sent 24 lines: 24 echoed, 0 mismatched$/m);
    // Every connection was open at the SIGTERM: the workers' counts add up to the 8 clients.
    const counts = closing(out, 'SIGTERM');
    expect([...counts.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(8);
    expect(stopped(out)).toEqual([0, 1, 2, 3]);
    expect(out).toMatch(/^demo: 8 of 8 connections closed by the server$/m);
    expect(out).toMatch(/^primary: every worker has stopped \(SIGTERM\)$/m);
    expect(out).toMatch(/^primary: exit code 0$/m);
    expect(run.stderr()).toBe('');
  }, 30_000);
});

describe('echo-server by hand', () => {
  it('--port 0 prints the port it got; clients are echoed; SIGINT to the process group (Ctrl-C) closes them, exit 0', async () => {
    const run = app.start(['--workers', '2', '--port', '0'], { detached: true });
    const [, port] = await run.waitFor(/^echo server ready: 2 workers on 127\.0\.0\.1:(\d+);/, {
      what: 'the ready line',
    });
    const listening = [...run.stdout().matchAll(/^worker (\d) \(pid \d+\): listening on (.*)$/gm)];
    expect(listening.map((m) => [m[1], m[2]]).sort()).toEqual([
      ['0', `127.0.0.1:${port}`],
      ['1', `127.0.0.1:${port}`],
    ]);

    const clients = [client(Number(port)), client(Number(port)), client(Number(port))];
    await bounded(Promise.all(clients.map((c) => c.connected)), 5_000, 'the clients connecting');
    for (const [i, c] of clients.entries()) {
      expect(await c.echo(`hello ${i}`)).toBe(`hello ${i}`);
      expect(await c.echo(`  spaces and ünïcödé ${i}  `)).toBe(`  spaces and ünïcödé ${i}  `);
    }
    // A client that leaves before the stop is seen leaving, and not counted at the stop.
    const leaving = client(Number(port));
    await bounded(leaving.connected, 5_000, 'the leaving client connecting');
    expect(await leaving.echo('bye')).toBe('bye');
    leaving.socket.end();
    await bounded(leaving.closed, 5_000, 'the leaving client closing');
    await run.waitFor(/^worker \d: 127\.0\.0\.1:\d+ closed the connection$/, {
      what: 'the leave seen',
    });

    process.kill(-run.pid, 'SIGINT');
    const closedByServer = await bounded(
      Promise.all(clients.map((c) => c.closed)),
      10_000,
      'the server closing the connections',
    );
    expect(closedByServer).toEqual([true, true, true]);
    const exit = await bounded(run.exited, 10_000, 'the server exiting');
    const out = run.stdout();
    expect(exit, `stdout:\n${out}\nstderr:\n${run.stderr()}`).toEqual({ code: 0, signal: null });
    // The signal reached each worker twice (from the terminal's group and from the primary):
    // each teardown ran once.
    const counts = closing(out, 'SIGINT');
    expect([...counts.keys()].sort()).toEqual([0, 1]);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(3);
    expect(out.match(/: SIGINT: closing/g)).toHaveLength(2);
    expect(stopped(out)).toEqual([0, 1]);
    expect(out).toMatch(/^primary: every worker has stopped \(SIGINT\)$/m);
    expect(out).toMatch(/^primary: exit code 0$/m);
    expect(run.stderr()).toBe('');
  }, 30_000);

  it('rejects a bad command line with exit code 2 and the reason, starting nothing', async () => {
    const run = app.start(['--workers', '0']);
    const exit = await bounded(run.exited, 10_000, 'the server exiting');
    expect(exit).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain('--workers must be an integer from 1 to 64, got "0"');
    expect(run.stdout()).toBe('');
  });
});
