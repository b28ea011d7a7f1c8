import { type AsyncHook, createHook } from 'node:async_hooks';

type Callback = (...args: unknown[]) => unknown;

interface CryptoJob {
  run(...args: unknown[]): unknown;
  ondone?: Callback;
}

interface WorkerHandle {
  hasRef?(): boolean;
}

/**
 * Counts the work the clock cannot see in `process.getActiveResourcesInfo()`: crypto jobs and
 * zlib writes on the libuv thread pool, and live worker threads. `async_hooks` tells when such
 * a resource is created; whether it is still busy is read from the resource itself, since a
 * `before` hook would make Node track every promise:
 *
 * - a crypto job (`PBKDF2REQUEST`, `RANDOMBYTESREQUEST`, `HASHREQUEST`…) is busy from an
 *   asynchronous `run()` until its `ondone` callback or its promise settles (a synchronous
 *   `run()`, as in `randomFillSync`, returns its result at once and is never counted);
 * - a zlib handle (`ZLIB`) is busy from the chunk given to it until its `cb` is taken back;
 * - a worker (`WORKER`) counts while its thread runs and it is ref'd.
 *
 * Only what starts while the watch is on is seen.
 */
export class ThreadPoolWatch {
  #hook: AsyncHook | undefined;
  #jobs = 0;
  #zlib = 0;
  #workers = new Set<WorkerHandle>();
  #changes = 0;
  // Bumped at each start and stop: a resource seen in an earlier installation must not change
  // the counts of this one when it finishes.
  #generation = 0;

  /** Starts watching (at install); counts start from zero. */
  start(): void {
    this.#generation++;
    this.#jobs = 0;
    this.#zlib = 0;
    this.#workers.clear();
    this.#hook ??= createHook({
      init: (_id, type, _trigger, resource) => this.#init(type, resource as object),
      // Node 24 and later: no promise tracking for a hook that only wants native resources.
      trackPromises: false,
    } as Parameters<typeof createHook>[0]);
    this.#hook.enable();
  }

  /** Stops watching (at uninstall). Resources seen before keep working unchanged. */
  stop(): void {
    this.#generation++;
    this.#hook?.disable();
    this.#jobs = 0;
    this.#zlib = 0;
    this.#workers.clear();
  }

  /** Whether some thread-pool job or worker thread is in flight. */
  get busy(): boolean {
    if (this.#jobs > 0 || this.#zlib > 0) return true;
    for (const worker of this.#workers) if (worker.hasRef?.() === true) return true;
    return false;
  }

  /** Grows each time such work starts or ends: activity, for the quiet-time bound. */
  get changes(): number {
    return this.#changes;
  }

  #init(type: string, resource: object): void {
    if (type === 'PROMISE') return;
    if (type === 'ZLIB') this.#watchZlib(resource);
    else if (type === 'WORKER') this.#watchWorker(resource as WorkerHandle);
    else if (type.endsWith('REQUEST') && !type.startsWith('HTTP'))
      this.#watchJob(resource as CryptoJob);
  }

  #watchJob(job: CryptoJob): void {
    const run = job.run;
    if (typeof run !== 'function') return;
    const watch = this;
    let counted = false;
    let generation = 0;
    const done = () => {
      if (!counted) return;
      counted = false;
      if (generation !== watch.#generation) return;
      watch.#jobs--;
      watch.#changes++;
    };
    Object.defineProperty(job, 'run', {
      configurable: true,
      writable: true,
      value: function (this: CryptoJob, ...args: unknown[]): unknown {
        const result = Reflect.apply(run, this, args);
        if (Array.isArray(result)) return result; // synchronous mode: already done
        const ondone = this.ondone;
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
          (result as PromiseLike<unknown>).then(done, done);
        } else if (typeof ondone === 'function') {
          this.ondone = function (this: unknown, ...results: unknown[]) {
            done();
            return Reflect.apply(ondone, this, results);
          };
        } else {
          return result;
        }
        counted = true;
        generation = watch.#generation;
        watch.#jobs++;
        watch.#changes++;
        return result;
      },
    });
  }

  #watchZlib(handle: object): void {
    // node:zlib sets `handle.cb` for each chunk and calls `this.cb()` when the chunk is done.
    let cb: unknown;
    let busy = false;
    let generation = 0;
    const set = (value: boolean) => {
      if (busy === value) return;
      busy = value;
      if (value) generation = this.#generation;
      else if (generation !== this.#generation) return;
      this.#zlib += value ? 1 : -1;
      this.#changes++;
    };
    Object.defineProperty(handle, 'cb', {
      configurable: true,
      get() {
        set(false);
        return cb;
      },
      set(value: unknown) {
        cb = value;
        set(typeof value === 'function');
      },
    });
    const close = (handle as { close?: Callback }).close;
    if (typeof close === 'function') {
      Object.defineProperty(handle, 'close', {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]) {
          set(false);
          return Reflect.apply(close, this, args);
        },
      });
    }
  }

  #watchWorker(handle: WorkerHandle): void {
    // node:worker_threads sets `handle.onexit`; the native side reads it once, at exit.
    const watch = this;
    let onexit: unknown;
    watch.#workers.add(handle);
    watch.#changes++;
    Object.defineProperty(handle, 'onexit', {
      configurable: true,
      get() {
        if (watch.#workers.delete(handle)) watch.#changes++;
        return onexit;
      },
      set(value: unknown) {
        onexit = value;
      },
    });
  }
}
