// Runs one example as a program, the way e2e/src/examples.test.ts needs it: a fresh `node`
// process in a folder of its own, the runtime prelude preloaded, a bounded run time, and the
// whole process group killed if it overruns (only the group this runner started).
import { type ChildProcess, spawn } from 'node:child_process';

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

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}

/** Runs `main` (a file in `options.cwd`) with node and the preload; never rejects. */
export function runExample(main: string, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', options.preload, main], {
      cwd: options.cwd,
      env: options.env,
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
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // A worker or fork still alive after the example exited is a leftover: the group id
      // cannot name anyone else's process while a member of the group is alive.
      let leftover = false;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 0);
          leftover = true;
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // nothing left, as it should be
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
