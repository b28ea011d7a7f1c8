// The worker-thread pool behind createExecutor. Per call: one Call record, one message to a
// thread and one back; the thread's single 'message' listener (added when it starts) finds
// the call by id, since a thread runs one call at a time. Replies hand the thread its next
// queued call before settling the finished one, so a busy pool never goes idle in between.
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cancellable } from '@aiotools/core';
import {
  invalidRange,
  invalidType,
  validateOptions,
  validateSignal,
  validateString,
} from '@aiotools/core/internal';
import type { Executor, ExecutorRunOptions } from './executor.js';
import { ExecutorClosedError } from './executor-closed-error.js';
import { decodeError, type ErrorFacts, type Reply, type Request } from './executor-protocol.js';

interface Call {
  readonly id: number;
  readonly href: string;
  readonly exportName: string;
  readonly args: unknown[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** The thread running it; undefined while queued. */
  thread: Thread | undefined;
  /** Settled, or removed from the queue by a cancellation. */
  done: boolean;
}

interface Thread {
  readonly worker: Worker;
  call: Call | undefined;
  /** False once it exited, failed or is being terminated: it takes no more calls. */
  live: boolean;
}

// Under the test runner the package runs from its sources, and the thread's loop is the
// TypeScript file next to this one. A worker inherits process.execArgv, which there holds no
// TypeScript loader (the runner transforms files itself), and on Node 20 `--import tsx` in a
// worker's execArgv does not reach the worker's own entry. So only in that case the thread
// starts from a two-line bootstrap that registers tsx (a devDependency of the repository) in
// the thread, then imports the loop. The built package starts dist/worker-main.js as is.
const fromSources = import.meta.url.endsWith('.ts');
const workerEntry: string | URL = fromSources
  ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
    '.then((tsx) => { tsx.register();' +
    ` return import(${JSON.stringify(new URL('./worker-main.ts', import.meta.url).href)}); });`
  : new URL('./worker-main.js', import.meta.url);

const SCHEME = /^[a-z][a-z\d+.-]+:/i;

export class ExecutorPool implements Executor {
  readonly #threads: number;
  /** Threads that take calls (started, not failed, not being terminated). */
  readonly #live = new Set<Thread>();
  /** Workers that have not exited yet, whatever their state: close() waits for all of them. */
  readonly #workers = new Set<Worker>();
  readonly #idle: Thread[] = [];
  /** FIFO; cancelled calls stay in it marked done and are skipped. */
  #queue: Call[] = [];
  #head = 0;
  #busy = 0;
  #nextId = 0;
  /** Absolute paths given as entries, and their URLs. */
  readonly #hrefs = new Map<string, string>();
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(threads: number) {
    this.#threads = threads;
  }

  get [Symbol.toStringTag](): string {
    return 'Executor';
  }

  run<T>(entry: string | URL, options?: ExecutorRunOptions): Promise<T> {
    let href: string;
    let exportName: string;
    let args: unknown[];
    try {
      href = this.#href(entry);
      validateOptions(options, 'options');
      const name = options?.exportName ?? 'default';
      validateString(name, 'options.exportName');
      exportName = name;
      const given = options?.args ?? [];
      if (!Array.isArray(given)) throw invalidType('options.args', 'an array', given);
      args = given;
      validateSignal(options?.signal, 'options.signal');
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#closing !== undefined) {
      return Promise.reject(new ExecutorClosedError('The executor is closed: no new calls run'));
    }
    const signal = options?.signal;
    return cancellable<T>(
      (resolve, reject) => {
        const call: Call = {
          id: this.#nextId++,
          href,
          exportName,
          args,
          resolve: resolve as (value: unknown) => void,
          reject,
          thread: undefined,
          done: false,
        };
        this.#submit(call);
        return () => this.#cancel(call);
      },
      signal === undefined ? undefined : { signal },
    );
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #href(entry: string | URL): string {
    if (entry instanceof URL) return entry.href;
    if (typeof entry !== 'string') throw invalidType('entry', 'a path or a URL', entry);
    if (entry === '') throw invalidRange('entry', 'a path or a URL', entry);
    // A scheme of two letters or more: `C:\x.js` stays a path.
    if (SCHEME.test(entry)) return entry;
    // A relative path follows the working directory at each call; an absolute one is kept.
    if (!isAbsolute(entry)) return pathToFileURL(resolvePath(entry)).href;
    let href = this.#hrefs.get(entry);
    if (href === undefined) {
      href = pathToFileURL(entry).href;
      this.#hrefs.set(entry, href);
    }
    return href;
  }

  #submit(call: Call): void {
    const thread = this.#idle.pop() ?? this.#start();
    if (thread === undefined) this.#queue.push(call);
    else this.#dispatch(thread, call);
  }

  /** A new thread if the pool has room for one. */
  #start(): Thread | undefined {
    if (this.#live.size >= this.#threads) return undefined;
    const worker = new Worker(workerEntry, { eval: fromSources });
    const thread: Thread = { worker, call: undefined, live: true };
    this.#live.add(thread);
    this.#workers.add(worker);
    worker.on('message', (reply: Reply) => this.#onReply(thread, reply));
    worker.on('error', (error: unknown) => this.#onCrash(thread, crashed(thread, error)));
    worker.on('exit', (code: number) => {
      this.#workers.delete(worker);
      this.#onCrash(thread, exited(thread, code));
    });
    return thread;
  }

  #dispatch(thread: Thread, first: Call): void {
    let call: Call | undefined = first;
    while (call !== undefined) {
      try {
        thread.worker.postMessage([
          call.id,
          call.href,
          call.exportName,
          call.args,
        ] satisfies Request);
      } catch (error) {
        // An argument that does not clone: this call fails, the thread takes the next one.
        call.done = true;
        call.reject(error);
        call = this.#dequeue();
        continue;
      }
      this.#busy++;
      thread.call = call;
      call.thread = thread;
      thread.worker.ref();
      return;
    }
    this.#toIdle(thread);
  }

  #dequeue(): Call | undefined {
    while (this.#head < this.#queue.length) {
      const call = this.#queue[this.#head++]!;
      if (!call.done) {
        this.#compact();
        return call;
      }
    }
    this.#queue = [];
    this.#head = 0;
    return undefined;
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #toIdle(thread: Thread): void {
    // An idle thread does not keep the process alive: an executor that is never closed does
    // not hang the exit. A running call does, like any pending I/O.
    thread.worker.unref();
    this.#idle.push(thread);
  }

  /** Thread finished a call (or lost it): it takes the next one, or goes idle. */
  #release(thread: Thread): void {
    this.#busy--;
    const next = this.#dequeue();
    if (next !== undefined) this.#dispatch(thread, next);
    else this.#toIdle(thread);
    if (this.#busy === 0) this.#drained?.();
  }

  #onReply(thread: Thread, reply: Reply): void {
    const call = thread.call;
    if (call === undefined || call.id !== reply[0]) return;
    thread.call = undefined;
    call.thread = undefined;
    call.done = true;
    this.#release(thread);
    if (reply[1] === 0) call.resolve(reply[2]);
    else call.reject(decodeError(reply[2], reply[3] as ErrorFacts | undefined));
  }

  /** The thread failed or exited: its call (if any) rejects with `error`; it is replaced. */
  #onCrash(thread: Thread, error: Error): void {
    if (!thread.live) return;
    this.#retire(thread);
    const call = thread.call;
    if (call !== undefined) {
      thread.call = undefined;
      call.thread = undefined;
      call.done = true;
      call.reject(error);
    }
    this.#refill();
  }

  /** Takes a thread out of the pool (it takes no more calls). */
  #retire(thread: Thread): void {
    thread.live = false;
    this.#live.delete(thread);
    if (thread.call !== undefined) {
      this.#busy--;
      if (this.#busy === 0) this.#drained?.();
    } else {
      const index = this.#idle.indexOf(thread);
      if (index !== -1) this.#idle.splice(index, 1);
    }
  }

  /** Starts threads for queued calls, up to the limit (after a thread was retired). */
  #refill(): void {
    while (this.#live.size < this.#threads) {
      const call = this.#dequeue();
      if (call === undefined) return;
      this.#dispatch(this.#start()!, call);
    }
  }

  #cancel(call: Call): void {
    call.done = true;
    const thread = call.thread;
    if (thread === undefined) return; // queued: skipped when dequeued
    // A thread cannot be interrupted: it is terminated, and a fresh one starts on demand.
    this.#retire(thread);
    thread.call = undefined;
    call.thread = undefined;
    void thread.worker.terminate();
    this.#refill();
  }

  async #shutdown(): Promise<void> {
    const queued = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    for (const call of queued) {
      if (call.done) continue;
      call.done = true;
      call.reject(new ExecutorClosedError('The executor is closed: the queued call did not run'));
    }
    if (this.#busy > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    this.#drained = undefined;
    await Promise.all(Array.from(this.#workers, (worker) => worker.terminate()));
  }
}

function describeCall(call: Call | undefined): string {
  return call === undefined ? '' : ` while running export "${call.exportName}" of ${call.href}`;
}

function crashed(thread: Thread, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(
    `An executor thread failed with an uncaught error${describeCall(thread.call)}: ${message}`,
    { cause: error },
  );
}

function exited(thread: Thread, code: number): Error {
  return new Error(`An executor thread exited with code ${code}${describeCall(thread.call)}`);
}
