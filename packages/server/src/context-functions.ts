// What `serverContext` and `mainContext` wrap, kept out of the objects users hold: the contexts
// are opaque handles, and only `startServer` can reach the generator functions behind them.

/** What a worker context's function receives. */
export interface WorkerInfo<A extends unknown[] = unknown[]> {
  readonly index: number;
  readonly args: A;
}

export type WorkerFunction = (info: WorkerInfo) => AsyncGenerator<void, void, NodeJS.Signals>;
export type MainFunction = () => AsyncGenerator<unknown, void, NodeJS.Signals>;

const workers = new WeakMap<object, WorkerFunction>();
const mains = new WeakMap<object, MainFunction>();

export function registerWorker(handle: object, fn: WorkerFunction): void {
  workers.set(handle, fn);
}

export function registerMain(handle: object, fn: MainFunction): void {
  mains.set(handle, fn);
}

export function workerFunctionOf(handle: unknown): WorkerFunction | undefined {
  return typeof handle === 'object' && handle !== null ? workers.get(handle) : undefined;
}

export function mainFunctionOf(handle: unknown): MainFunction | undefined {
  return typeof handle === 'object' && handle !== null ? mains.get(handle) : undefined;
}
