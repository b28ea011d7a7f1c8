// Helpers of the tests that run test-fixtures/http-app.mjs: start it with a config, read the
// JSON-lines file its processes append to, wait (always bounded) for lines of it or of the
// primary's stderr, make HTTP requests on 127.0.0.1, and kill what a failed test left behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bounded, killLeftover } from '@aiotools-test/testing';

export const FIXTURE = fileURLToPath(new URL('./http-app.mjs', import.meta.url));

/** One line of the log: what a process of the fixture did, with its pid and a timestamp. */
export interface LogLine {
  readonly ev: string;
  readonly pid: number;
  readonly t: number;
  readonly index?: number;
  readonly signal?: string;
  readonly port?: number;
  readonly path?: string;
  readonly code?: number;
}

export interface AppConfig {
  readonly mode?: 'cluster' | 'reusePort';
  readonly numWorkers?: number;
  readonly port?: number;
  readonly startupDelays?: readonly number[];
  readonly restart?: { readonly maxRestarts: number; readonly backoff: number };
  readonly ignoreChildInterrupts?: boolean;
  readonly crash?: 'throw' | 'exit';
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Date.now() when the test saw the exit. */
  readonly at: number;
}

export interface App {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly dir: string;
  /** Where the test writes the behaviour of the next startups ({ failStartup, startupDelay }). */
  readonly behaviourFile: string;
  /** The IPC messages the primary sent (with `ipc: true`). */
  readonly messages: unknown[];
  stderr(): string;
  log(): LogLine[];
  /** Resolves when the primary exited. */
  readonly exited: Promise<Exit>;
  /** Resolves when its stdio closed too (every worker, which shares it, is gone). */
  readonly closed: Promise<void>;
}

const apps: App[] = [];

export { bounded };

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 15 ms until it returns a value other than undefined, at most `ms`. */
export async function until<T>(
  check: () => T | undefined,
  ms: number,
  what: string,
  detail: () => string = () => '',
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms\n${detail()}`);
    await pause(15);
  }
}

/** Starts the fixture's primary with `config`, its own temp dir and log. */
export function startApp(config: AppConfig, options: { ipc?: boolean } = {}): App {
  const dir = mkdtempSync(join(tmpdir(), 'server-http-'));
  const logFile = join(dir, 'log.jsonl');
  const behaviourFile = join(dir, 'behaviour.json');
  const full = { ...config, log: logFile, behaviourFile };
  const proc = spawn(process.execPath, [FIXTURE, JSON.stringify(full)], {
    stdio: options.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    err += chunk;
  });
  proc.stdout?.resume();
  const messages: unknown[] = [];
  proc.on('message', (message) => messages.push(message));
  const exited = new Promise<Exit>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const closed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const app: App = {
    proc,
    pid: proc.pid as number,
    dir,
    behaviourFile,
    messages,
    stderr: () => err,
    log: () => readLog(logFile),
    exited,
    closed,
  };
  apps.push(app);
  return app;
}

function readLog(file: string): LogLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogLine);
}

function describe(app: App): string {
  return `stderr:\n${app.stderr()}\nlog:\n${app
    .log()
    .map((line) => JSON.stringify(line))
    .join('\n')}`;
}

/** Waits for a log line matching `match`, and returns it. */
export function waitLog(
  app: App,
  match: (line: LogLine) => boolean,
  what: string,
  ms = 8_000,
): Promise<LogLine> {
  return until(
    () => app.log().find(match),
    ms,
    `log line ${what}`,
    () => describe(app),
  );
}

/** Waits until `count` distinct lines match (e.g. every worker's startup-done). */
export function waitLogCount(
  app: App,
  match: (line: LogLine) => boolean,
  count: number,
  what: string,
  ms = 8_000,
): Promise<LogLine[]> {
  return until(
    () => {
      const lines = app.log().filter(match);
      return lines.length >= count ? lines : undefined;
    },
    ms,
    `${count} log lines ${what}`,
    () => describe(app),
  );
}

/** Waits until the primary's stderr matches `pattern`. */
export function waitStderr(app: App, pattern: RegExp, ms = 8_000): Promise<void> {
  return until(
    () => (pattern.test(app.stderr()) ? true : undefined),
    ms,
    `stderr matching ${pattern}`,
    () => describe(app),
  ).then(() => undefined);
}

/** Waits for the primary to exit and its stdio (shared with the workers) to close. */
export async function waitExit(app: App, ms = 8_000): Promise<Exit> {
  const exit = await bounded(app.exited, ms, 'exit of the primary').catch((error: Error) => {
    throw new Error(`${error.message}\n${describe(app)}`);
  });
  await bounded(app.closed, 4_000, 'close of the stdio of the primary and its workers').catch(
    (error: Error) => {
      throw new Error(`${error.message}\n${describe(app)}`);
    },
  );
  return exit;
}

/** Waits until every worker is serving and the primary called onReady; returns the port. */
export async function waitReady(app: App, numWorkers: number): Promise<number> {
  await waitLog(app, (line) => line.ev === 'ready', 'ready');
  const done = await waitLogCount(
    app,
    (line) => line.ev === 'startup-done',
    numWorkers,
    'startup-done',
  );
  return done[0]?.port as number;
}

/** The pid currently serving each index: the latest startup-done of the index. */
export function pidsByIndex(app: App): Map<number, number> {
  const pids = new Map<number, number>();
  for (const line of app.log()) {
    if (line.ev === 'startup-done' && line.index !== undefined) pids.set(line.index, line.pid);
  }
  return pids;
}

/** A port nobody listened on a moment ago (for reusePort, where port 0 is not shared). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Reply {
  readonly status: number | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly reusedSocket: boolean;
  readonly at: number;
}

/** A GET on 127.0.0.1; `agent: false` for a connection of its own (`Connection: close`). */
export function get(
  port: number,
  path: string,
  agent: http.Agent | false,
  onRequest?: (req: http.ClientRequest) => void,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body,
          reusedSocket: req.reusedSocket,
          at: Date.now(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      Object.assign(error, { reusedSocket: req.reusedSocket });
      reject(error);
    });
    onRequest?.(req);
  });
}

/** `count` requests on new connections, `concurrency` at a time; the bodies in order. */
export async function manyRequests(
  port: number,
  count: number,
  concurrency: number,
): Promise<string[]> {
  const bodies: string[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      next++;
      const reply = await get(port, '/', false);
      if (reply.status !== 200) throw new Error(`status ${reply.status}`);
      bodies.push(reply.body);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return bodies;
}

/**
 * For afterEach: SIGKILLs every process of the apps started since the last call that still
 * runs the fixture (the primary and every pid its log names), waits for the primaries' stdio
 * to close, and removes their temp dirs.
 */
export async function cleanupApps(): Promise<void> {
  for (const app of apps.splice(0)) {
    const pids = new Set([app.pid, ...app.log().map((line) => line.pid)]);
    for (const pid of pids) {
      killLeftover(pid, FIXTURE);
    }
    app.proc.stdout?.destroy();
    app.proc.stderr?.destroy();
    if (app.proc.connected) app.proc.disconnect();
    await bounded(app.closed, 5_000, 'close of a killed primary').catch(() => {});
    rmSync(app.dir, { recursive: true, force: true });
  }
}

export interface Probe {
  /** What each attempt got (`+<ms>: served <status> <body>`, or its error code), in order. */
  readonly attempts: string[];
  /** Date.now() of the first ECONNREFUSED. */
  readonly refusedAt: number;
}

/**
 * Opens new connections to `port` one after the other (15 ms apart) until one is refused,
 * at most `ms`; fails if none was refused by then.
 */
export async function probeUntilRefused(port: number, ms: number): Promise<Probe> {
  const attempts: string[] = [];
  const end = Date.now() + ms;
  const start = Date.now();
  for (;;) {
    const at = `+${Date.now() - start} ms`;
    try {
      const reply = await bounded(get(port, '/', false), ms, 'an answer or a refusal');
      attempts.push(`${at}: served ${reply.status} ${reply.body}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      attempts.push(`${at}: ${code} after ${Date.now() - start} ms`);
      if (code === 'ECONNREFUSED') return { attempts, refusedAt: Date.now() };
    }
    if (Date.now() > end) {
      throw new Error(`no connection to ${port} refused within ${ms} ms: ${attempts.join(', ')}`);
    }
    await pause(15);
  }
}
