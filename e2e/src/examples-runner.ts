// Runs one example as a program, the way e2e/src/examples.test.ts needs it: a fresh `node`
// process in a folder of its own, the runtime prelude preloaded, a bounded run time, and the
// whole process group killed if it overruns (only the group this runner started).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** When and how the runner stops an example that serves until it gets a signal. */
export interface StopWhen {
  /** The signal to send (to the example's process only, as `kill <pid>` would). */
  readonly signal: NodeJS.Signals;
  /** Send it once this many servers have reported listening (`::example-listening`). */
  readonly listening?: number;
  /** Send it once stdout matched `stdout` this many times (default 1). */
  readonly stdout?: RegExp;
  readonly count?: number;
  /** Before the signal, GET this path from the first server that listens; its status is kept. */
  readonly request?: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly preload: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeout: number;
  readonly stop?: StopWhen | undefined;
}

export interface RunResult {
  /** Exit code, or `null` when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** stderr without the prelude's `::example-listening` lines. */
  readonly stderr: string;
  readonly timedOut: boolean;
  /** A process of the example's group was still alive after it exited (it was killed). */
  readonly leftover: boolean;
  /** Whether the stop condition was met and the signal sent. */
  readonly stopped: boolean;
  /** The status of `stop.request`, when one was made. */
  readonly status?: number;
  readonly ms: number;
}

const LISTENING = /^::example-listening (\d+)$/;

/** Kills the example's process group: it still runs, so the group id is its own. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}

/**
 * The live processes of the group `pgid` whose environment has the entry `marker` (every
 * process an example starts inherits it), read from /proc, so that a recycled pid or group id
 * is never taken for one of them.
 */
function groupMembers(pgid: number, marker: string): number[] {
  if (!existsSync('/proc')) {
    try {
      process.kill(-pgid, 0);
      return [-pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state, fields[2] the process group
      if (Number(fields[2]) !== pgid || fields[0] === 'Z' || fields[0] === 'X') continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(marker)) members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

/** Runs `main` (a file in `options.cwd`) with node and the preload; never rejects. */
export function runExample(main: string, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const marker = `EXAMPLES_RUN=${randomUUID()}`;
    const child = spawn(process.execPath, ['--import', options.preload, main], {
      cwd: options.cwd,
      env: { ...options.env, EXAMPLES_RUN: marker.slice('EXAMPLES_RUN='.length) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that an overrun kills its children (cluster workers, forks)
      // too, and a Ctrl-C in the terminal of the test run does not reach it.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let errLine = '';
    let timedOut = false;
    let stopped = false;
    let status: number | undefined;
    const ports: number[] = [];
    const stop = options.stop;

    const maybeStop = (): void => {
      if (stop === undefined || stopped) return;
      const listeningOk = stop.listening === undefined || ports.length >= stop.listening;
      const stdoutOk =
        stop.stdout === undefined ||
        (stdout.match(new RegExp(stop.stdout.source, 'g'))?.length ?? 0) >= (stop.count ?? 1);
      if (!listeningOk || !stdoutOk) return;
      stopped = true;
      const send = (): void => {
        if (child.exitCode === null && child.signalCode === null) child.kill(stop.signal);
      };
      if (stop.request !== undefined && ports[0] !== undefined) {
        fetch(`http://127.0.0.1:${ports[0]}${stop.request}`, { signal: AbortSignal.timeout(5_000) })
          .then(async (response) => {
            status = response.status;
            await response.arrayBuffer();
          })
          .catch(() => {
            status = -1;
          })
          .finally(send);
      } else send();
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      maybeStop();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (errLine + chunk).split('\n');
      errLine = lines.pop() ?? '';
      for (const line of lines) {
        const listening = LISTENING.exec(line);
        if (listening) ports.push(Number(listening[1]));
        else stderr += `${line}\n`;
      }
      maybeStop();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, options.timeout);
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      // A worker or fork still alive after the example exited is a leftover (one that is
      // exiting right then gets a second).
      let leftover = false;
      if (child.pid !== undefined) {
        const pgid = child.pid;
        const members = () => groupMembers(pgid, marker);
        for (let waited = 0; members().length > 0 && waited <= 1_000; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        for (const pid of members()) {
          leftover = true;
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
        }
      }
      resolve({
        code,
        signal,
        stdout,
        stderr: stderr + errLine,
        timedOut,
        stopped,
        leftover,
        ms: Math.round(performance.now() - started),
        ...(status === undefined ? {} : { status }),
      });
    });
  });
}
