import { CancelledError, validateFunction, validateOptions } from '@aiotools/core';
import { ScopeNode } from './scope-node.js';

/** Options of {@link run}. */
export interface RunOptions {
  /**
   * The OS signals that cancel `main`; `false` installs no handler.
   * @default ['SIGINT', 'SIGTERM']
   */
  readonly signals?: readonly NodeJS.Signals[] | false | undefined;
}

/**
 * Runs `main` as the root scope of the program. The first of the given signals cancels it
 * once (with a `CancelledError` naming the signal), so its scopes unwind and shielded cleanup
 * runs; further signals while it unwinds are ignored (the handlers stay installed so that
 * Node does not exit meanwhile — send `SIGKILL` to force it). Once `main` has settled, the
 * root scope is cancelled, so nothing started under it keeps waiting, and the handlers are
 * removed.
 *
 * @param main - receives the root scope's signal
 * @returns `main`'s value
 * @throws `main`'s error, e.g. the signal's `CancelledError` when `main` let it through
 * @example
 * ```ts
 * import { run, TaskGroup } from '@aiotools/scope';
 *
 * await run(async () => {
 *   await TaskGroup.run(async (tg) => {
 *     tg.spawn(serveHttp);
 *     tg.spawn(consumeQueue);
 *   });
 * });
 * ```
 */
export async function run<T>(
  main: (signal: AbortSignal) => Promise<T> | T,
  options?: RunOptions,
): Promise<T> {
  validateFunction(main, 'main');
  validateOptions(options, 'options');
  const signals =
    options?.signals === undefined
      ? (['SIGINT', 'SIGTERM'] as const)
      : options.signals === false
        ? []
        : options.signals;
  if (!Array.isArray(signals))
    throw new TypeError(
      `Expected \`options.signals\` to be an array of signal names or false, got \`${String(signals)}\``,
    );
  const root = { name: 'main', state: 'running' };
  const node = new ScopeNode(undefined, root, 'run', 'main');
  let received: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== undefined) return;
    received = signal;
    root.state = `cancelled by ${signal}`;
    node.cancel(new CancelledError(`Received ${signal}`));
  };
  for (const signal of signals) process.on(signal, onSignal);
  try {
    return await node.run(() => main(node.signal));
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    node.cancel(new CancelledError('main has returned'));
    node.close();
  }
}
