// Helpers of the lifecycle tests: start lifecycle.mjs with a configuration, read the lines it
// prints and the JSON lines its processes append to a file, wait for both with bounded waits,
// and kill what a failed test left behind (only processes still running the fixture).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppRun, childrenOf, isRunning, startApp, within } from '@aiotools-test/testing';

export const FIXTURE = fileURLToPath(new URL('./lifecycle.mjs', import.meta.url));
export { childrenOf, isRunning };

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const FIXTURE_NAME = 'lifecycle.mjs';

/** One line a process of the fixture appended. */
export interface LifecycleRecord {
  readonly pid: number;
  readonly ppid: number;
  readonly event: string;
  readonly t: number;
  readonly index?: number;
  readonly pidx?: number | string;
  readonly signal?: string;
  readonly args?: unknown[];
  readonly code?: number;
  readonly [key: string]: unknown;
}

export interface LifecycleConfig {
  readonly numWorkers?: number | undefined;
  readonly mode?: 'cluster' | 'reusePort' | 'inline' | undefined;
  readonly stopSignals?: string[] | undefined;
  readonly args?: unknown[] | undefined;
  readonly waitTimeout?: number | undefined;
  readonly runToCompletion?: boolean | undefined;
  readonly ignoreChildInterrupts?: boolean | undefined;
  readonly mainYield?: unknown;
  readonly noMain?: boolean | undefined;
  readonly mainNeverYields?: boolean | undefined;
  readonly mainYieldsTwice?: boolean | undefined;
  readonly neverYields?: boolean | undefined;
  readonly yieldsTwice?: boolean | undefined;
  readonly failIndices?: number[] | undefined;
  readonly hangShutdownIndex?: number | undefined;
  readonly slowStartupMs?: number | undefined;
  /** The startup waits for the file `${out}.gate` (see {@link openGate}). */
  readonly gate?: boolean | undefined;
  /** The main context's startup waits for the file `${out}.maingate` (see {@link openMainGate}). */
  readonly mainGate?: boolean | undefined;
  readonly teardownMs?: number | undefined;
  readonly extraProcs?: number | undefined;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Run {
  /** The started process (see startApp). */
  readonly app: AppRun;
  readonly proc: ChildProcess;
  /** The pid of the process spawned (the primary, or `unshare` when wrapped). */
  readonly pid: number;
  readonly dir: string;
  readonly out: string;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  records(): LifecycleRecord[];
  /** Waits (at most `ms`) for a line of stdout matching `test`. */
  line(test: (line: string) => boolean, what: string, ms?: number): Promise<string>;
  /** Waits (at most `ms`) until the records satisfy `test`. */
  until(
    test: (records: LifecycleRecord[]) => boolean,
    what: string,
    ms?: number,
  ): Promise<LifecycleRecord[]>;
  /** Waits (at most `ms`) for the exit and the end of the output (of every process holding it). */
  exit(ms?: number): Promise<Exit>;
  /** Waits (at most `ms`) for the exit of the spawned process alone. */
  processExit(ms?: number): Promise<Exit>;
}

const runs: Run[] = [];

export interface SpawnOptions {
  readonly detached?: boolean;
  /** The command and its first arguments, before the fixture (e.g. unshare's). */
  readonly prefix?: readonly string[];
  /** The Node.js binary; the test's own by default. */
  readonly node?: string;
}

/** Starts lifecycle.mjs with `config` (its `out` file is made in a fresh temporary directory). */
export function startFixture(config: LifecycleConfig, options: SpawnOptions = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'aiotools-server-lifecycle-'));
  const out = join(dir, 'records.jsonl');
  const records = (): LifecycleRecord[] => {
    let text = '';
    try {
      text = readFileSync(out, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LifecycleRecord);
  };
  const recordLines = (): string =>
    records()
      .map((r) => JSON.stringify(r))
      .join('\n');
  const app = startApp(FIXTURE, [JSON.stringify({ ...config, out })], {
    ...options,
    marker: FIXTURE_NAME,
    diagnostics: () => `records:\n${recordLines()}`,
  });
  const failure = (what: string, ms: number): Error =>
    new Error(
      `${what} did not happen within ${ms} ms\nstdout: ${app.stdout()}\nstderr: ${app.stderr()}\nrecords:\n${recordLines()}`,
    );
  const run: Run = {
    app,
    proc: app.child,
    pid: app.pid,
    dir,
    out,
    exited: app.exited,
    stdout: app.stdout,
    stderr: app.stderr,
    records,
    line: (test, what, ms = 10_000) => app.waitForLine(test, { what, timeoutMs: ms }),
    async until(test, what, ms = 10_000) {
      const end = Date.now() + ms;
      for (;;) {
        const current = records();
        if (test(current)) return current;
        if (Date.now() > end) throw failure(what, ms);
        await pause(20);
      }
    },
    exit: (ms = 10_000) => app.exit({ timeoutMs: ms }),
    processExit: (ms = 10_000) =>
      within(app.processExited, ms, () => failure('the exit of the spawned process', ms)),
  };
  runs.push(run);
  return run;
}

/** Polls /proc (at most `ms`) until every one of `pids` is gone; returns those still running. */
export async function whenGone(pids: readonly number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  for (;;) {
    const alive = pids.filter(isRunning);
    if (alive.length === 0 || Date.now() > end) return alive;
    await pause(20);
  }
}

/**
 * Kills what the test left behind, only processes still running the fixture: every process
 * started, every pid its processes recorded, and the children of a wrapping process, then
 * waits for the spawned processes to be reaped and removes the temporary directories.
 */
export async function cleanupRuns(): Promise<void> {
  const all = runs.splice(0);
  await Promise.all(all.map((run) => run.app.cleanup(run.records().map((record) => record.pid))));
  for (const run of all) rmSync(run.dir, { recursive: true, force: true });
}

/** The records of one event, ordered by index. */
export function events(records: readonly LifecycleRecord[], event: string): LifecycleRecord[] {
  return records.filter((r) => r.event === event).sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

/** Lets a startup waiting on its gate (`gate: true`) go on. */
export function openGate(run: Run): void {
  writeFileSync(`${run.out}.gate`, '');
}

/** Lets a main context's startup waiting on its gate (`mainGate: true`) go on. */
export function openMainGate(run: Run): void {
  writeFileSync(`${run.out}.maingate`, '');
}
