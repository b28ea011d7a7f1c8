import type { ChildProcess as NodeChildProcess } from 'node:child_process';
import { exitCodeOf } from './exit-code.js';
import { StderrTail } from './stderr-tail.js';

/**
 * How long, after a child exited, its last IPC messages and stderr bytes are waited for when
 * a grandchild still holds the pipe open.
 */
const DRAIN_MS = 200;

/**
 * The parent's side of one forked child: its exit, its signals, the tail of its stderr (which
 * it also forwards to the parent's stderr). Not exported from the package: `afork` and the
 * handle it returns delegate to it.
 *
 * Signals never reach a reaped or recycled pid. A single child is signalled through Node's
 * handle (`kill()`), which libuv invalidates in the same C callback that reaps the child, so
 * no JavaScript runs in between. A process group is signalled with `process.kill(-pid)` only
 * while the leader has not been reaped (Node sets `exitCode`/`signalCode` synchronously when it
 * reaps it): until then the leader, alive or a zombie, holds its pid, so the pgid cannot name
 * another group.
 */
export class ProcessTracker {
  readonly #child: NodeChildProcess;
  readonly #group: boolean;
  readonly #tail = new StderrTail();
  readonly #exited: Promise<number>;
  readonly #stderrClosed: Promise<void>;

  constructor(child: NodeChildProcess, group: boolean) {
    this.#child = child;
    this.#group = group;
    // Kill errors other than ESRCH (EPERM) are emitted as 'error'; a listener keeps them from
    // crashing the parent while the child lives, and goes with the exit.
    const onError = () => {};
    child.on('error', onError);
    this.#exited = new Promise<number>((resolve) => {
      child.once('exit', (code, signal) => {
        child.off('error', onError);
        resolve(exitCodeOf(code, signal) ?? 0);
      });
    });
    const stderr = child.stderr;
    this.#stderrClosed =
      stderr === null
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const onData = (chunk: Buffer) => {
              process.stderr.write(chunk);
              this.#tail.push(chunk);
            };
            stderr.on('data', onData);
            stderr.once('close', () => {
              stderr.off('data', onData);
              resolve();
            });
          });
  }

  /** The child's pid. */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** The exit code once reaped (-signo for a signal death), else `null`. */
  get exitCode(): number | null {
    return exitCodeOf(this.#child.exitCode, this.#child.signalCode);
  }

  /** The signal that killed the child, or `null`. */
  get signalName(): NodeJS.Signals | null {
    return this.#child.signalCode;
  }

  /** Resolves with the exit code once the child has been reaped. */
  get exited(): Promise<number> {
    return this.#exited;
  }

  /** The last bytes of the child's stderr. */
  get stderr(): string {
    return this.#tail.text();
  }

  /**
   * Resolves once the child exited and what it wrote before (IPC messages, stderr) has been
   * read: the channel disconnected and stderr closed, or a short while after the exit when a
   * grandchild keeps a pipe open.
   */
  async drained(): Promise<void> {
    await this.#exited;
    const child = this.#child;
    let onDisconnect: (() => void) | undefined;
    const disconnected = child.connected
      ? new Promise<void>((resolve) => child.once('disconnect', (onDisconnect = resolve)))
      : undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, DRAIN_MS);
    });
    try {
      await Promise.race([Promise.all([disconnected, this.#stderrClosed]), late]);
    } finally {
      clearTimeout(timer);
      if (onDisconnect !== undefined) child.off('disconnect', onDisconnect);
    }
  }

  /** Sends `signal` to the child (or its group); false once it has been reaped. */
  sendSignal(signal: NodeJS.Signals): boolean {
    const child = this.#child;
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      return false;
    }
    if (!this.#group) return child.kill(signal);
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw error;
    }
  }
}
