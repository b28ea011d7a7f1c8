import { type AsyncHook, asyncWrapProviders, createHook } from 'node:async_hooks';
import { InflateRaw } from 'node:zlib';

type Callback = (...args: unknown[]) => unknown;

interface CryptoJob {
  run(...args: unknown[]): unknown;
  ondone?: Callback;
}

interface WorkerHandle {
  hasRef?(): boolean;
}

interface NativeResource {
  getProviderType(): number;
}

/** The properties through which node:crypto, node:zlib and node:worker_threads hand over their callbacks. */
const WATCHED = ['ondone', 'cb', 'onexit'] as const;
type Watched = (typeof WATCHED)[number];

/** Provider numbers of thread-pool crypto jobs (`PBKDF2REQUEST`, `HASHREQUEST`…). */
const JOB_PROVIDERS = new Set(
  Object.entries(asyncWrapProviders)
    .filter(([name]) => name.endsWith('REQUEST') && !name.startsWith('HTTP'))
    .map(([, id]) => id),
);

/** `crypto.subtle`'s prototype: its methods run thread-pool jobs that may settle a promise instead of calling `ondone` (Node 24). */
function subtlePrototype(): object | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: object } }).crypto?.subtle;
  return subtle === undefined ? undefined : Object.getPrototypeOf(subtle);
}

let nativePrototype: object | null | undefined;

/**
 * The prototype every native async resource (crypto jobs, zlib handles, worker handles) shares,
 * found once through a zlib handle; null when this Node has no such shared prototype.
 */
function asyncWrapPrototype(): object | null {
  if (nativePrototype !== undefined) return nativePrototype;
  let found: object | null = null;
  try {
    const stream = new InflateRaw();
    const handle = (stream as unknown as { _handle?: object })._handle;
    let p: object | null = handle === undefined ? null : Object.getPrototypeOf(handle);
    while (p !== null && !Object.hasOwn(p, 'getProviderType')) p = Object.getPrototypeOf(p);
    const shared = p;
    if (shared !== null && !WATCHED.some((key) => key in shared)) found = shared;
    stream.close();
  } catch {
    // No zlib handle to look at: the hook does the watching.
  }
  nativePrototype = found;
  return found;
}

function providerOf(resource: object): number {
  try {
    return (resource as NativeResource).getProviderType();
  } catch {
    return -1;
  }
}

function ownValue(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/**
 * Counts the work the clock cannot see in `process.getActiveResourcesInfo()`: crypto jobs and
 * zlib writes on the libuv thread pool, and live worker threads. Whether such a resource is
 * still busy is read from the resource itself:
 *
 * - a crypto job (`PBKDF2REQUEST`, `RANDOMBYTESREQUEST`, `HASHREQUEST`…) is busy from an
 *   asynchronous start until its `ondone` callback, and a `crypto.subtle` operation until its
 *   promise settles (Node 24 settles those without `ondone`); a synchronous job, as in
 *   `randomFillSync`, is never counted;
 * - a zlib handle (`ZLIB`) is busy from the chunk given to it until its `cb` is taken back;
 * - a worker (`WORKER`) counts while its thread runs and it is ref'd.
 *
 * No `async_hooks` hook is on meanwhile: on Node 20 and 22 one makes Node track every promise
 * (about a third more time for a program of many short waits), and on every version it is
 * called for each `nextTick` and each timer. Instead the watch puts accessors for `ondone`,
 * `cb` and `onexit` on the prototype every native resource shares (Node assigns each of them in
 * JavaScript when the work starts) and wraps the methods of `crypto.subtle`'s prototype. An
 * accessor turns the assignment into an own property of the resource (wrapped or watched), so
 * nothing goes through the prototype afterwards and the resource works unchanged once the watch
 * stops. Where no such prototype is found, a hook does the watching.
 *
 * Only what starts while the watch is on is seen.
 */
export class ThreadPoolWatch {
  #hook: AsyncHook | undefined;
  #prototype: object | undefined;
  /** The `crypto.subtle` methods replaced while watching, with their originals. */
  #subtle = new Map<string, { original: Callback; wrapper: Callback }>();
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
    if (this.#hook === undefined && this.#prototype === undefined) {
      const prototype = asyncWrapPrototype();
      if (prototype !== null) this.#prototype = prototype;
      else
        this.#hook = createHook({
          init: (_id, type, _trigger, resource) => this.#init(type, resource as object),
          trackPromises: false,
        } as Parameters<typeof createHook>[0]);
    }
    if (this.#hook !== undefined) this.#hook.enable();
    else {
      this.#patch(this.#prototype!);
      this.#patchSubtle();
    }
  }

  /** Stops watching (at uninstall). Resources seen before keep working unchanged. */
  stop(): void {
    this.#generation++;
    this.#hook?.disable();
    if (this.#prototype !== undefined) {
      this.#unpatch(this.#prototype);
      this.#unpatchSubtle();
    }
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

  /** The setters put on the shared prototype; `this` in them is the resource assigned to. */
  readonly #setters = this.#makeSetters();

  #makeSetters(): Record<Watched, (this: object, value: unknown) => void> {
    const watch = this;
    return {
      ondone(value) {
        ownValue(this, 'ondone', watch.#onDone(this, value));
      },
      cb(value) {
        if (providerOf(this) !== asyncWrapProviders.ZLIB) return ownValue(this, 'cb', value);
        watch.#watchZlib(this);
        (this as { cb?: unknown }).cb = value;
      },
      onexit(value) {
        if (providerOf(this) !== asyncWrapProviders.WORKER) return ownValue(this, 'onexit', value);
        watch.#watchWorker(this as WorkerHandle);
        (this as { onexit?: unknown }).onexit = value;
      },
    };
  }

  #patch(prototype: object): void {
    for (const key of WATCHED) {
      Object.defineProperty(prototype, key, {
        configurable: true,
        enumerable: false,
        set: this.#setters[key],
      });
    }
  }

  #unpatch(prototype: object): void {
    for (const key of WATCHED) {
      const own = Object.getOwnPropertyDescriptor(prototype, key);
      if (own?.set === this.#setters[key]) delete (prototype as Record<string, unknown>)[key];
    }
  }

  /** Counts each `crypto.subtle` operation from its call until its promise settles. */
  #patchSubtle(): void {
    const prototype = subtlePrototype();
    if (prototype === undefined) return;
    const watch = this;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const own = Object.getOwnPropertyDescriptor(prototype, key);
      const original = own?.value as unknown;
      if (key === 'constructor' || typeof original !== 'function' || own?.writable !== true)
        continue;
      const wrapper = {
        [key](this: unknown, ...args: unknown[]): unknown {
          const result = Reflect.apply(original as Callback, this, args);
          if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function')
            return result;
          return watch.#countUntil(result as PromiseLike<unknown>);
        },
      }[key] as Callback;
      Object.defineProperty(wrapper, 'length', { value: original.length });
      this.#subtle.set(key, { original: original as Callback, wrapper });
      Object.defineProperty(prototype, key, { ...own, value: wrapper });
    }
  }

  #unpatchSubtle(): void {
    const prototype = subtlePrototype();
    if (prototype !== undefined) {
      for (const [key, { original, wrapper }] of this.#subtle) {
        const own = Object.getOwnPropertyDescriptor(prototype, key);
        if (own?.value === wrapper)
          Object.defineProperty(prototype, key, { ...own, value: original });
      }
    }
    this.#subtle.clear();
  }

  /**
   * Counts a job until `promise` settles, and returns a promise settled the same way: the
   * caller's, so that a rejection nobody handles is still reported.
   */
  #countUntil(promise: PromiseLike<unknown>): PromiseLike<unknown> {
    const generation = this.#generation;
    this.#jobs++;
    this.#changes++;
    const done = () => {
      if (generation !== this.#generation) return;
      this.#jobs--;
      this.#changes++;
    };
    return promise.then(
      (value) => {
        done();
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  /** The `ondone` to keep on a resource: a crypto job's is wrapped to count the job until it is called. */
  #onDone(resource: object, ondone: unknown): unknown {
    if (typeof ondone !== 'function' || !JOB_PROVIDERS.has(providerOf(resource))) return ondone;
    const generation = this.#generation;
    let counted = true;
    this.#jobs++;
    this.#changes++;
    const watch = this;
    return function (this: unknown, ...results: unknown[]) {
      if (counted) {
        counted = false;
        if (generation === watch.#generation) {
          watch.#jobs--;
          watch.#changes++;
        }
      }
      return Reflect.apply(ondone, this, results);
    };
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
