import type { ChildProcess } from 'node:child_process';
import { encodeMainValue } from './child-env.js';
import { isChildMessage, type PrimaryMessage, TAG } from './child-message.js';
import { type EnteredGenerator, enterGenerator } from './generator-context.js';
import { launchChild } from './launch-child.js';
import { listenSignals } from './listen-signals.js';
import { announceReady, describeExit, processLabel, report } from './report.js';
import type { ServerSettings } from './resolve-settings.js';

/** Why a child was started: the first start, a restart after a death, or a rolling reload. */
type Origin = 'initial' | 'restart' | 'reload';

interface Child {
  readonly index: number;
  readonly label: string;
  readonly origin: Origin;
  readonly process: ChildProcess;
  /** It installed its signal handlers: a signal sent now reaches its context. */
  started: boolean;
  ready: boolean;
  /** When it became ready (performance.now()), for the restart policy's `resetAfter`. */
  readyAt: number;
  /** It reported a failure of its own (already written to stderr). */
  failed: boolean;
  /** A rolling reload replaced it: its exit is expected. */
  retiring: boolean;
  /** The stop signal the primary sent it (or will send once it started). */
  signal: NodeJS.Signals | undefined;
  killedAfterTimeout: boolean;
  /** Settles once the child is ready (true) or gone without becoming ready (false). */
  readonly settled: Promise<boolean>;
  settle: (ready: boolean) => void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

/**
 * The primary of a cluster or reusePort server: it runs the main context, starts one process
 * per index, forwards the stop signal to each exactly once, restarts and reloads them, kills
 * the ones that outlive `waitTimeout`, and turns what happened into the exit code.
 */
export class Supervisor {
  readonly #settings: ServerSettings;
  readonly #mode: 'cluster' | 'reusePort';
  readonly #children = new Set<Child>();
  /** The current process of each index (during a reload, the old one until it is replaced). */
  readonly #current: (Child | undefined)[] = [];
  readonly #restarts: number[] = [];
  readonly #restartTimers = new Set<NodeJS.Timeout>();
  readonly #waitTimers = new Set<NodeJS.Timeout>();
  #encodedMainValue = '';
  #phase: 'starting' | 'running' | 'stopping' = 'starting';
  #stopSignal: NodeJS.Signals | undefined;
  #failed = false;
  #reloading = false;
  #allGone: () => void = () => {};

  constructor(settings: ServerSettings, mode: 'cluster' | 'reusePort') {
    this.#settings = settings;
    this.#mode = mode;
  }

  get #total(): number {
    return this.#settings.numWorkers + this.#settings.extraProcs.length;
  }

  async run(): Promise<number> {
    const settings = this.#settings;
    const removeStop = listenSignals(settings.stopSignals, (signal) => this.#stop(signal));
    const removeReload =
      settings.reloadSignal === null
        ? () => {}
        : listenSignals([settings.reloadSignal], () => void this.#reload());
    try {
      let main: EnteredGenerator<unknown> | undefined;
      if (settings.main !== undefined) {
        try {
          main = await enterGenerator(settings.main(), 'The main context');
          this.#encodedMainValue = encodeMainValue(main.value);
        } catch (error) {
          report('the main context failed during startup', error);
          if (main !== undefined) await this.#exitMain(main, settings.defaultSignal);
          return 1;
        }
      }
      const gone = new Promise<void>((resolve) => {
        this.#allGone = resolve;
      });
      // A stop signal during the main context's startup: nothing is started, the main context
      // gets its shutdown at once.
      if (this.#stopSignal === undefined) {
        for (let index = 0; index < this.#total; index++) this.#start(index, 'initial');
        this.#checkStartup();
        await gone;
      }
      this.#clearTimers();
      if (main !== undefined)
        await this.#exitMain(main, this.#stopSignal ?? settings.defaultSignal);
      return this.#failed ? 1 : 0;
    } finally {
      this.#clearTimers();
      removeStop();
      removeReload();
    }
  }

  async #exitMain(main: EnteredGenerator<unknown>, signal: NodeJS.Signals): Promise<void> {
    try {
      await main.exit(signal);
    } catch (error) {
      this.#failed = true;
      report('the main context failed during shutdown', error);
    }
  }

  #start(index: number, origin: Origin): Child {
    let settle: (ready: boolean) => void = () => {};
    const settled = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const proc = launchChild(this.#mode, index, this.#encodedMainValue);
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const child: Child = {
      index,
      label: processLabel(index, this.#settings.numWorkers),
      origin,
      process: proc,
      started: false,
      ready: false,
      readyAt: 0,
      failed: false,
      retiring: false,
      signal: undefined,
      killedAfterTimeout: false,
      settled,
      settle,
      exited,
    };
    this.#children.add(child);
    if (origin !== 'reload') this.#current[index] = child;
    proc.on('message', (message: unknown) => this.#onMessage(child, message));
    proc.on('error', (error) => report(`${child.label} (pid ${proc.pid})`, error));
    proc.once('exit', (code, signal) => this.#onExit(child, code, signal));
    return child;
  }

  #onMessage(child: Child, message: unknown): void {
    if (!isChildMessage(message)) return;
    switch (message[TAG]) {
      case 'started':
        child.started = true;
        if (child.signal !== undefined) child.process.kill(child.signal);
        break;
      case 'ready':
        child.ready = true;
        child.readyAt = performance.now();
        child.settle(true);
        this.#checkStartup();
        break;
      case 'exiting':
        // Answered after every message the child sent before it, node:cluster's `close` of its
        // servers among them: see roundTripWithPrimary.
        if (child.process.connected) child.process.send({ [TAG]: 'exit' } satisfies PrimaryMessage);
        break;
      case 'failed':
        child.failed = true;
        report(`${child.label} failed during ${message.phase}`, message.error);
        break;
    }
  }

  #onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    this.#children.delete(child);
    if (this.#current[child.index] === child) this.#current[child.index] = undefined;
    child.settle(false);
    // Killed by a stop signal (sent to the whole process group) before its handlers were
    // installed: nothing of it had started, so nothing was lost.
    const stoppedEarly =
      !child.started && signal !== null && this.#settings.stopSignals.includes(signal);
    const clean = (code === 0 || stoppedEarly) && !child.failed && !child.killedAfterTimeout;
    if (!clean && !child.failed && !child.killedAfterTimeout) {
      const when = !child.ready
        ? 'during startup'
        : child.signal !== undefined
          ? 'while stopping'
          : 'unexpectedly';
      report(`${child.label} ${describeExit(code, signal)} ${when}`);
    }
    if (child.origin === 'reload' && !child.ready) {
      // A replacement that never became ready: the reload stops, the old process keeps serving.
    } else if (child.retiring || this.#phase === 'stopping' || this.#settings.runToCompletion) {
      if (!clean) this.#failed = true;
    } else if (!clean) {
      this.#onDeath(child);
    } else if (child.index < this.#settings.numWorkers && this.#settings.restart !== undefined) {
      // A worker stopped on its own (a signal sent to it alone): the policy restarts it.
      this.#onDeath(child);
    }
    this.#afterExit();
  }

  /** A child died before the server was told to stop: restart it, or stop the server. */
  #onDeath(child: Child): void {
    const policy = this.#settings.restart;
    if (policy !== undefined && this.#phase === 'running') {
      if (child.ready && performance.now() - child.readyAt >= policy.resetAfter) {
        this.#restarts[child.index] = 0;
      }
      const done = this.#restarts[child.index] ?? 0;
      if (done < policy.maxRestarts) {
        this.#restarts[child.index] = done + 1;
        const delay = policy.backoff * 2 ** done;
        report(
          `restarting ${child.label} in ${delay} ms (restart ${done + 1} of ${policy.maxRestarts})`,
        );
        const timer = setTimeout(() => {
          this.#restartTimers.delete(timer);
          if (this.#phase === 'running') this.#start(child.index, 'restart');
        }, delay);
        this.#restartTimers.add(timer);
        return;
      }
      report(`${child.label} was restarted ${policy.maxRestarts} times: giving up`);
    }
    this.#failed = true;
    if (!this.#settings.ignoreChildInterrupts) this.#stop(this.#settings.defaultSignal);
  }

  #afterExit(): void {
    this.#checkStartup();
    if (this.#children.size > 0) return;
    if (this.#phase !== 'stopping' && this.#restartTimers.size > 0) return;
    // Every process is gone, by a stop or on their own (runToCompletion, or deaths that
    // stopped nothing): there is nothing left to wait for.
    this.#phase = 'stopping';
    this.#allGone();
  }

  /** Ends the startup phase once every process is ready; a stop asked for meanwhile starts now. */
  #checkStartup(): void {
    if (this.#phase !== 'starting' || this.#children.size === 0) return;
    for (const child of this.#children) if (!child.ready) return;
    this.#phase = 'running';
    announceReady(this.#settings.onReady);
  }

  /** The stop signal (the first one wins; repeats and later ones are absorbed). */
  #stop(signal: NodeJS.Signals): void {
    if (this.#stopSignal !== undefined) return;
    this.#stopSignal = signal;
    this.#phase = 'stopping';
    this.#clearRestartTimers();
    for (const child of this.#children) this.#signal(child, signal);
    this.#armWaitTimeout([...this.#children]);
    this.#afterExit();
  }

  /** Sends the stop signal to a child once, as soon as its handlers are installed. */
  #signal(child: Child, signal: NodeJS.Signals): void {
    if (child.signal !== undefined) return;
    child.signal = signal;
    if (child.started) child.process.kill(signal);
  }

  #armWaitTimeout(children: Child[]): void {
    const timeout = this.#settings.waitTimeout;
    if (!Number.isFinite(timeout) || children.length === 0) return;
    const timer = setTimeout(() => {
      this.#waitTimers.delete(timer);
      for (const child of children) {
        if (!this.#children.has(child)) continue;
        child.killedAfterTimeout = true;
        this.#failed = true;
        report(
          `${child.label} did not stop within waitTimeout (${timeout} ms): killing it with SIGKILL`,
        );
        child.process.kill('SIGKILL');
      }
    }, timeout);
    this.#waitTimers.add(timer);
  }

  #clearRestartTimers(): void {
    for (const timer of this.#restartTimers) clearTimeout(timer);
    this.#restartTimers.clear();
  }

  #clearTimers(): void {
    this.#clearRestartTimers();
    for (const timer of this.#waitTimers) clearTimeout(timer);
    this.#waitTimers.clear();
  }

  /**
   * A rolling reload, as pm2's `reload`: index by index, a new process starts and only once it
   * is ready does the old one get the stop signal; the next index waits until the old one has
   * exited. A replacement that fails its startup stops the reload and the old process stays.
   */
  async #reload(): Promise<void> {
    if (this.#phase !== 'running' || this.#reloading) return;
    this.#reloading = true;
    report('reloading: replacing the processes one at a time');
    try {
      for (let index = 0; index < this.#total; index++) {
        if (this.#phase !== 'running') return;
        const old = this.#current[index];
        if (old === undefined) continue;
        const replacement = this.#start(index, 'reload');
        if (!(await replacement.settled)) {
          report(
            `reload stopped: the new ${replacement.label} did not start, the running one stays`,
          );
          return;
        }
        if (this.#phase !== 'running') return;
        this.#current[index] = replacement;
        old.retiring = true;
        this.#signal(old, this.#settings.defaultSignal);
        this.#armWaitTimeout([old]);
        await old.exited;
      }
      report('reload finished');
    } finally {
      this.#reloading = false;
    }
  }
}
