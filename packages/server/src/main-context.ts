import { validateFunction } from '@aiotools/core/internal';
import { registerMain } from './context-functions.js';

declare const valueType: unique symbol;

/**
 * The primary's context, made by {@link mainContext}: its type parameter is the type of the
 * value it yields, which `startServer` prepends to the workers' `args`.
 */
export interface MainContext<T = unknown> {
  readonly [Symbol.toStringTag]: 'MainContext';
  /** A compile-time marker of the type of the yielded value; it has no value at run time. */
  readonly [valueType]?: T;
}

/**
 * Makes the primary's context from an async generator function, as aiotools' `@main`: the code
 * before its only `yield` runs in the primary before any worker starts, the yielded value is
 * prepended to the workers' `args` (an array is spread, `undefined` adds nothing), the `yield`
 * returns the stop signal, and the code after it runs once every worker has exited.
 *
 * @example
 * ```ts
 * import { mainContext, serverContext, startServer } from '@aiotools/server';
 *
 * const main = mainContext(async function* () {
 *   const signal = yield ['config-v1'];
 *   console.log(`primary stopped by ${signal}`);
 * });
 * const worker = serverContext<[string]>(async function* ({ args: [config] }) {
 *   console.log(`worker runs with ${config}`);
 *   yield;
 * });
 *
 * process.exitCode = await startServer(worker, { main });
 * ```
 */
export function mainContext<T>(fn: () => AsyncGenerator<T, void, NodeJS.Signals>): MainContext<T> {
  validateFunction(fn, 'fn');
  const handle: MainContext<T> = Object.freeze({ [Symbol.toStringTag]: 'MainContext' as const });
  registerMain(handle, fn);
  return handle;
}
