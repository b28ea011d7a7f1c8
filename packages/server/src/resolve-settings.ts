import {
  invalidRange,
  invalidType,
  validateBoolean,
  validateDuration,
  validateFunction,
  validateInteger,
  validateOneOf,
  validateOptions,
  validateSignalNames,
} from '@aiotools/core/internal';
import {
  type MainFunction,
  mainFunctionOf,
  type WorkerFunction,
  workerFunctionOf,
} from './context-functions.js';
import type { ExtraProc, RestartPolicy, ServerMode, StartServerOptions } from './server-options.js';

/** The restart policy with its default filled in. */
export interface ResolvedRestartPolicy extends RestartPolicy {
  readonly resetAfter: number;
}

/** `startServer`'s options, checked and with their defaults filled in. */
export interface ServerSettings {
  readonly worker: WorkerFunction;
  readonly main: MainFunction | undefined;
  readonly extraProcs: readonly ExtraProc[];
  readonly stopSignals: readonly NodeJS.Signals[];
  /** The signal every context gets when the server stops without one: after a failure, or with `runToCompletion`. */
  readonly defaultSignal: NodeJS.Signals;
  readonly reloadSignal: NodeJS.Signals | null;
  readonly numWorkers: number;
  readonly args: readonly unknown[];
  readonly waitTimeout: number;
  readonly runToCompletion: boolean;
  readonly ignoreChildInterrupts: boolean;
  readonly restart: ResolvedRestartPolicy | undefined;
  readonly mode: ServerMode;
  readonly onReady: (() => void) | undefined;
}

const MODES = ['cluster', 'reusePort', 'inline'] as const;

/** Whether this Node.js can share a port between processes with `listen({ reusePort: true })`. */
function reusePortSupported(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return process.platform === 'linux' && (major > 22 || (major === 22 && minor >= 12));
}

function validateWaitTimeout(value: unknown): number {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  validateDuration(value, 'options.waitTimeout');
  return value;
}

function validateRestart(value: unknown): ResolvedRestartPolicy | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    throw invalidType('options.restart', 'an object { maxRestarts, backoff }', value);
  }
  const {
    maxRestarts,
    backoff,
    resetAfter = Number.POSITIVE_INFINITY,
  } = value as Record<string, unknown>;
  validateInteger(maxRestarts, 'options.restart.maxRestarts');
  validateDuration(backoff, 'options.restart.backoff');
  if (resetAfter !== Number.POSITIVE_INFINITY)
    validateDuration(resetAfter, 'options.restart.resetAfter');
  return { maxRestarts, backoff, resetAfter: resetAfter as number };
}

/**
 * Checks everything `startServer` was given, before any process, handle or listener exists,
 * and throws a TypeError or RangeError naming the option and the value received.
 */
export function resolveSettings(
  worker: unknown,
  options: StartServerOptions | undefined,
): ServerSettings {
  const workerFn = workerFunctionOf(worker);
  if (workerFn === undefined) {
    throw invalidType('worker', 'a WorkerContext made by serverContext()', worker);
  }
  validateOptions(options, 'options');
  const opts = options ?? {};

  let mainFn: MainFunction | undefined;
  if (opts.main !== undefined) {
    mainFn = mainFunctionOf(opts.main);
    if (mainFn === undefined) {
      throw invalidType('options.main', 'a MainContext made by mainContext()', opts.main);
    }
  }

  const extraProcs = opts.extraProcs ?? [];
  if (!Array.isArray(extraProcs))
    throw invalidType('options.extraProcs', 'an array of functions', extraProcs);
  extraProcs.forEach((fn: unknown, i) => {
    validateFunction(fn, `options.extraProcs[${i}]`);
  });

  const stopSignals = opts.stopSignals ?? ['SIGINT', 'SIGTERM'];
  validateSignalNames(stopSignals, 'options.stopSignals');
  if (stopSignals.length === 0) {
    throw invalidRange('options.stopSignals', 'at least one signal name', stopSignals);
  }

  const reloadSignal = opts.reloadSignal === undefined ? 'SIGHUP' : opts.reloadSignal;
  if (reloadSignal !== null) {
    validateSignalNames([reloadSignal], 'options.reloadSignal');
    if (stopSignals.includes(reloadSignal)) {
      throw invalidRange(
        'options.reloadSignal',
        'a signal that is not also a stop signal',
        reloadSignal,
      );
    }
  }

  const mode = opts.mode ?? 'cluster';
  validateOneOf(mode, MODES, 'options.mode');
  if (mode === 'reusePort' && !reusePortSupported()) {
    throw new RangeError(
      `\`options.mode\` "reusePort" needs Node.js ≥ 22.12 on Linux (listen({ reusePort: true })); this is Node.js ${process.versions.node} on ${process.platform}: use mode "cluster"`,
    );
  }

  const numWorkers = opts.numWorkers ?? 1;
  validateInteger(numWorkers, 'options.numWorkers', { min: 1 });
  if (mode === 'inline' && numWorkers !== 1) {
    throw invalidRange(
      'options.numWorkers',
      '1 in inline mode (the calling process is the one worker)',
      numWorkers,
    );
  }

  if (mode === 'inline' && extraProcs.length > 0) {
    throw new TypeError(
      '`options.extraProcs` is not available in inline mode, where the calling process is the only one: run them as processes (or containers) of their own',
    );
  }

  const args = opts.args ?? [];
  if (!Array.isArray(args)) throw invalidType('options.args', 'an array', args);

  const waitTimeout = validateWaitTimeout(opts.waitTimeout);
  validateBoolean(opts.runToCompletion, 'options.runToCompletion');
  validateBoolean(opts.ignoreChildInterrupts, 'options.ignoreChildInterrupts');
  const restart = validateRestart(opts.restart);
  if (restart !== undefined && mode === 'inline') {
    throw new TypeError(
      '`options.restart` is not available in inline mode: the process is the only worker, so its supervisor (Kubernetes, systemd, Docker) restarts it',
    );
  }
  if (opts.onReady !== undefined) validateFunction(opts.onReady, 'options.onReady');

  const runToCompletion = opts.runToCompletion ?? false;
  return {
    worker: workerFn,
    main: mainFn,
    extraProcs,
    stopSignals,
    defaultSignal: stopSignals.includes('SIGTERM') ? 'SIGTERM' : (stopSignals[0] as NodeJS.Signals),
    reloadSignal,
    numWorkers,
    args,
    waitTimeout,
    runToCompletion,
    ignoreChildInterrupts: runToCompletion || (opts.ignoreChildInterrupts ?? false),
    restart,
    mode,
    onReady: opts.onReady,
  };
}
