// For the tests that run a script in a real process, the demo apps' built main.js above all:
// a private build of an app with its own tsup config, and a started process whose output is
// collected line by line, waited on with bounded waits, signalled, and cleaned up so that only
// the processes a test started (and that still run its script) are killed.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { bounded, killLeftover } from './processes.js';

/** A private build of an app: its directory, the main.js in it, and its removal. */
export interface AppBuild {
  /** The directory the build went to, under the app's node_modules/.cache. */
  readonly dir: string;
  /** The built main.js. */
  readonly main: string;
  /** Removes the build directory. */
  remove(): void;
}

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** How long the build may take before it fails, in ms. Default: 60_000. */
  readonly timeoutMs?: number;
}

/**
 * Builds the app in `appDir` with its own tsup config, from its sources as they are now, into
 * a fresh directory of its own under the app's node_modules/.cache. Its imports resolve there
 * as dist/'s do, and a build of dist/ running meanwhile (`pnpm demo`, another test run) can
 * neither remove the script under a running test nor be removed by this one. Rejects with the
 * build's output when tsup fails or main.js is missing.
 */
export async function buildApp(appDir: string, options: BuildAppOptions = {}): Promise<AppBuild> {
  const cache = join(appDir, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, `${basename(appDir)}-test-`));
  const main = join(dir, 'main.js');
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const require = createRequire(join(appDir, 'package.json'));
  const tsup = join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  const child = spawn(process.execPath, [tsup, '--out-dir', dir], {
    cwd: appDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    const code = await bounded(closed, options.timeoutMs ?? 60_000, 'the build of the app');
    if (code !== 0 || !existsSync(main)) throw new Error(`tsup failed (${code}):\n${output}`);
  } catch (error) {
    remove();
    throw error;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  return { dir, main, remove };
}

/** How a started process ended. */
export interface AppExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options of {@link startApp}. */
export interface StartAppOptions {
  /** The working directory. Default: the test's own. */
  readonly cwd?: string;
  /** Starts the process as the leader of a process group of its own. Default: false. */
  readonly detached?: boolean;
  /** The Node.js binary. Default: the test's own (`process.execPath`). */
  readonly node?: string;
  /** Node.js options before the script, such as `--enable-source-maps`. Default: none. */
  readonly nodeArgs?: readonly string[];
  /** A command and its arguments to run the whole command line under (e.g. unshare). */
  readonly prefix?: readonly string[];
  /** What the command line of a process must contain to be killed. Default: `script`. */
  readonly marker?: string;
  /** More to say in the message of a failed wait (e.g. files the processes wrote). */
  readonly diagnostics?: () => string;
}

/** Options of the waits of an {@link AppRun}. */
export interface WaitOptions {
  /** How long the wait may take, in ms. Default: 10_000. */
  readonly timeoutMs?: number;
  /** What is waited for, in the message of a failure. Default: the pattern. */
  readonly what?: string;
}

/** A started process: its output so far, bounded waits on it, signals, and its cleanup. */
export interface AppRun {
  readonly child: ChildProcess;
  /** The pid of the process spawned (the prefix's command when there is one). */
  readonly pid: number;
  /** Resolves once the process has exited and its stdio (shared by its children) is closed. */
  readonly exited: Promise<AppExit>;
  /** Resolves once the process spawned has exited, whoever still holds its stdio. */
  readonly processExited: Promise<AppExit>;
  /** All of stdout so far. */
  stdout(): string;
  /** All of stderr so far. */
  stderr(): string;
  /** The lines of stdout so far (the last unfinished one too, once stdout has closed). */
  lines(): string[];
  /**
   * The first line of stdout, printed so far or later, that `pattern` matches, with its match
   * (`input` is the whole line). Rejects, with the output, after the timeout or when stdout
   * closes without such a line.
   */
  waitFor(pattern: RegExp, options?: WaitOptions): Promise<RegExpExecArray>;
  /** As {@link AppRun.waitFor}, for the first line that `test` accepts. */
  waitForLine(test: (line: string) => boolean, options?: WaitOptions): Promise<string>;
  /** Waits (bounded) for {@link AppRun.exited}, rejecting with the output on a timeout. */
  exit(options?: WaitOptions): Promise<AppExit>;
  /** Sends `signal` to the process spawned. */
  signal(signal: NodeJS.Signals): void;
  /**
   * Kills what is left of the run: the process spawned, its children, and `pids`, each only
   * while its command line still contains the marker; then waits (at most `timeoutMs`, 5_000
   * by default) for {@link AppRun.exited}. Never rejects.
   */
  cleanup(pids?: Iterable<number>, options?: { readonly timeoutMs?: number }): Promise<void>;
}

/** The children of `pid`, read from /proc (none once it is gone). */
export function childrenOf(pid: number): number[] {
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

/**
 * Starts `node [nodeArgs] script [args]` in a real process with piped stdout and stderr, and
 * collects its output. The test cleans it up with {@link AppRun.cleanup}, in a finally or an
 * afterEach.
 */
export function startApp(
  script: string,
  args: readonly string[] = [],
  options: StartAppOptions = {},
): AppRun {
  const argv = [options.node ?? process.execPath, ...(options.nodeArgs ?? []), script, ...args];
  const [command, ...rest] = [...(options.prefix ?? []), ...argv] as [string, ...string[]];
  const child = spawn(command, rest, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const marker = options.marker ?? script;
  let out = '';
  let err = '';
  let ended = false;
  const wakers = new Set<() => void>();
  const wake = (): void => {
    for (const waker of wakers) waker();
  };
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    out += chunk;
    wake();
  });
  child.stderr?.on('data', (chunk: string) => (err += chunk));
  const processExited = new Promise<AppExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const exited = new Promise<AppExit>((resolve) =>
    child.once('close', (code, signal) => {
      ended = true;
      wake();
      resolve({ code, signal });
    }),
  );
  const lines = (): string[] => {
    const all = out.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    const last = all.pop() as string;
    if (ended && last !== '') all.push(last);
    return all;
  };
  const failure = (message: string): Error => {
    const more = options.diagnostics?.() ?? '';
    return new Error(
      `${message}\nstdout:\n${out}\nstderr:\n${err}${more === '' ? '' : `\n${more}`}`,
    );
  };
  const waitForLine = (
    test: (line: string) => boolean,
    wait: WaitOptions = {},
  ): Promise<string> => {
    const ms = wait.timeoutMs ?? 10_000;
    const what = wait.what ?? 'the line';
    return new Promise((resolve, reject) => {
      const done = (error: Error | undefined, line?: string): void => {
        clearTimeout(timer);
        wakers.delete(check);
        if (error === undefined) resolve(line as string);
        else reject(error);
      };
      const check = (): void => {
        const line = lines().find(test);
        if (line !== undefined) done(undefined, line);
        else if (ended) done(failure(`${what}: the process exited first`));
      };
      const timer = setTimeout(() => done(failure(`${what}: not within ${ms} ms`)), ms);
      wakers.add(check);
      check();
    });
  };
  return {
    child,
    pid: child.pid as number,
    exited,
    processExited,
    stdout: () => out,
    stderr: () => err,
    lines,
    waitForLine,
    async waitFor(pattern, wait = {}) {
      const once = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
      const line = await waitForLine((text) => once.test(text), {
        what: `a line matching ${pattern}`,
        ...wait,
      });
      return once.exec(line) as RegExpExecArray;
    },
    exit(wait = {}) {
      const ms = wait.timeoutMs ?? 10_000;
      const what = wait.what ?? 'the exit';
      return bounded(exited, ms, what).catch(() => {
        throw failure(`${what}: not within ${ms} ms`);
      });
    },
    signal(signal) {
      child.kill(signal);
    },
    async cleanup(pids = [], cleanupOptions = {}) {
      const pid = child.pid as number;
      for (const leftover of new Set([pid, ...childrenOf(pid), ...pids])) {
        killLeftover(leftover, marker);
      }
      await bounded(exited, cleanupOptions.timeoutMs ?? 5_000).catch(() => {});
    },
  };
}

/** Options of {@link appUnderTest}. */
export interface AppUnderTestOptions extends BuildAppOptions {
  /** The options of every start (a start's own options come on top). Default: none. */
  readonly start?: StartAppOptions;
  /** More pids to clean up after a test, such as those a run printed. Default: none. */
  readonly leftovers?: (run: AppRun) => Iterable<number>;
  /** How long the cleanup after a test waits for each run's exit, in ms. Default: 5_000. */
  readonly cleanupTimeoutMs?: number;
}

/** The app a test file runs: its built main.js and the starts of it. */
export interface AppUnderTest {
  /** The built main.js; throws before the build (the file's beforeAll) has run. */
  main(): string;
  /** Starts the built main.js with `args`; the run is cleaned up after the test. */
  start(args?: readonly string[], options?: StartAppOptions): AppRun;
}

/**
 * The app in `appDir` for the tests of one file: built with {@link buildApp} in a beforeAll,
 * its build removed in an afterAll, and every run {@link AppUnderTest.start} made cleaned up
 * ({@link AppRun.cleanup}, with the `leftovers` of the run) in an afterEach. Call it at the top
 * level of the test file.
 */
export function appUnderTest(appDir: string, options: AppUnderTestOptions = {}): AppUnderTest {
  let build: AppBuild | undefined;
  const runs: AppRun[] = [];
  beforeAll(
    async () => {
      build = await buildApp(appDir, options);
    },
    (options.timeoutMs ?? 60_000) + 10_000,
  );
  afterEach(async () => {
    const timeoutMs = options.cleanupTimeoutMs ?? 5_000;
    await Promise.all(
      runs.splice(0).map((run) => run.cleanup(options.leftovers?.(run) ?? [], { timeoutMs })),
    );
  });
  afterAll(() => build?.remove());
  const main = (): string => {
    if (build === undefined) throw new Error(`the app in ${appDir} is not built yet`);
    return build.main;
  };
  return {
    main,
    start(args = [], startOptions = {}) {
      const run = startApp(main(), args, { ...options.start, ...startOptions });
      runs.push(run);
      return run;
    },
  };
}
