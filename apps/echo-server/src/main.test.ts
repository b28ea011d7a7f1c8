// The echo server as a user runs it: the built script in a real process, its workers
// real node:cluster processes, clients on real sockets on 127.0.0.1, and real signals to the
// primary (or to its whole process group, as Ctrl-C does). Every wait is bounded, and the
// cleanup kills only the processes these tests started that still run the built script.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bounded, killLeftover } from '@aiotools-test/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The build the tests run (see beforeAll), and the marker of its processes. */
let buildDir = '';
let main = '';

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface Run {
  readonly proc: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Waits for a line of stdout matching `pattern` and returns its match. */
  line(pattern: RegExp, what: string, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves once the primary has exited and its stdio (shared by the workers) is closed. */
  readonly closed: Promise<Exit>;
}

const runs: Run[] = [];

/** Runs a command to its end, bounded; rejects with its output when it fails. */
async function runToEnd(command: string, args: string[], cwd: string, ms: number): Promise<void> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    const code = await bounded(exit, ms, `${args.join(' ')} finishing`);
    if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}:\n${output}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function start(args: string[], options: { detached?: boolean } = {}): Run {
  const proc = spawn(process.execPath, ['--enable-source-maps', main, ...args], {
    cwd: APP_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let out = '';
  let err = '';
  const wakers = new Set<() => void>();
  proc.stdout?.setEncoding('utf8');
  proc.stderr?.setEncoding('utf8');
  proc.stdout?.on('data', (chunk: string) => {
    out += chunk;
    for (const wake of wakers) wake();
  });
  proc.stderr?.on('data', (chunk: string) => (err += chunk));
  let ended = false;
  const closed = new Promise<Exit>((resolve) =>
    proc.once('close', (code, signal) => {
      ended = true;
      for (const wake of wakers) wake();
      resolve({ code, signal });
    }),
  );
  const run: Run = {
    proc,
    pid: proc.pid as number,
    stdout: () => out,
    stderr: () => err,
    line(pattern, what, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          for (const line of out.split('\n')) {
            const match = line.match(pattern);
            if (match !== null) {
              done(undefined, match);
              return;
            }
          }
          if (ended) {
            done(new Error(`${what}: the server exited first\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(
          () => done(new Error(`${what}: not within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`)),
          ms,
        );
        const done = (error: Error | undefined, match?: RegExpMatchArray): void => {
          clearTimeout(timer);
          wakers.delete(check);
          if (error === undefined) resolve(match as RegExpMatchArray);
          else reject(error);
        };
        wakers.add(check);
        check();
      });
    },
    closed,
  };
  runs.push(run);
  return run;
}

/** The children of `pid`, read from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

afterEach(async () => {
  for (const run of runs.splice(0)) {
    // The primary, its children, and every worker pid it printed (a worker outliving its
    // primary is no longer its child): only those still running the built script are killed.
    const pids = new Set([run.pid, ...childrenOf(run.pid)]);
    for (const match of run.stdout().matchAll(/\(pid (\d+)\)/g)) pids.add(Number(match[1]));
    for (const pid of pids) killLeftover(pid, main);
    await bounded(run.closed, 5_000, 'the leftover processes exiting').catch(() => {});
  }
});

beforeAll(async () => {
  // `pnpm test` builds the packages, not the apps, so the app is built here, from the sources
  // as they are now, with its own tsup config. The build goes to a directory of its own beside
  // the app's node_modules, where its imports resolve as dist/'s do: a build of dist/ running
  // meanwhile (`pnpm demo`, another test run) cannot remove the script under a running test.
  const cache = join(APP_DIR, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  buildDir = mkdtempSync(join(cache, 'echo-server-test-'));
  main = join(buildDir, 'main.js');
  const tsup = join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'dist');
  await runToEnd(
    process.execPath,
    [join(tsup, 'cli-default.js'), '--out-dir', buildDir],
    APP_DIR,
    60_000,
  );
}, 70_000);

afterAll(() => {
  if (buildDir !== '') rmSync(buildDir, { recursive: true, force: true });
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
    const run = start(['--demo']);
    const exit = await bounded(run.closed, 20_000, 'the demo finishing');
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
    const run = start(['--workers', '2', '--port', '0'], { detached: true });
    const [, port] = await run.line(
      /^echo server ready: 2 workers on 127\.0\.0\.1:(\d+);/,
      'the ready line',
    );
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
    await run.line(/^worker \d: 127\.0\.0\.1:\d+ closed the connection$/, 'the leave seen');

    process.kill(-run.pid, 'SIGINT');
    const closedByServer = await bounded(
      Promise.all(clients.map((c) => c.closed)),
      10_000,
      'the server closing the connections',
    );
    expect(closedByServer).toEqual([true, true, true]);
    const exit = await bounded(run.closed, 10_000, 'the server exiting');
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
    const run = start(['--workers', '0']);
    const exit = await bounded(run.closed, 10_000, 'the server exiting');
    expect(exit).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain('--workers must be an integer from 1 to 64, got "0"');
    expect(run.stdout()).toBe('');
  });
});
