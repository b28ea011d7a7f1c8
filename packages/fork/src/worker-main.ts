// The loop of one executor thread (a separate build entry, started by path by createExecutor).
// One message per call, one reply per call: `[id, href, exportName, args]` in,
// `[id, 0, value]` or `[id, 1, error, facts]` out (see executor-protocol.ts). The thread runs
// one call at a time; each module is imported once and its namespace kept, so a call to a
// loaded module calls the function synchronously and, for a sync function, replies in the
// same turn.
import { parentPort } from 'node:worker_threads';
import {
  type ErrorFacts,
  type Reply,
  type Request,
  uncloneableMessage,
} from './executor-protocol.js';

const port = parentPort;
if (port === null) throw new Error('worker-main is the loop of an executor thread, not a module');

const loaded = new Map<string, Record<string, unknown>>();

port.on('message', (request: Request) => {
  const namespace = loaded.get(request[1]);
  if (namespace !== undefined) invoke(request, namespace);
  else load(request);
});

function load(request: Request): void {
  const href = request[1];
  // A failed import is not kept: the next call tries again (the file may have been fixed).
  import(href).then(
    (namespace: Record<string, unknown>) => {
      loaded.set(href, namespace);
      invoke(request, namespace);
    },
    (error: unknown) => fail(request, error),
  );
}

function invoke(request: Request, namespace: Record<string, unknown>): void {
  const [, href, exportName, args] = request;
  let result: unknown;
  try {
    if (!(exportName in namespace)) {
      const names = Object.keys(namespace);
      const listed = names.length > 20 ? `${names.slice(0, 20).join(', ')}, …` : names.join(', ');
      throw new TypeError(
        `Module ${href} has no export "${exportName}" (its exports: ${listed || 'none'})`,
      );
    }
    const fn = namespace[exportName];
    if (typeof fn !== 'function') {
      notAFunction(request, fn);
      return;
    }
    result = fn(...args);
  } catch (error) {
    fail(request, error);
    return;
  }
  if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
    Promise.resolve(result).then(
      (value) => reply(request, value),
      (error: unknown) => fail(request, error),
    );
  } else reply(request, result);
}

function notAFunction(request: Request, value: unknown): void {
  // Only this error needs the shared describer: it is loaded on this path, not at startup.
  import('@aiotools/core/internal').then(
    ({ describeValue }) =>
      fail(
        request,
        new TypeError(
          `Expected export "${request[2]}" of ${request[1]} to be a function, got ${describeValue(value)}`,
        ),
      ),
    (error: unknown) => fail(request, error),
  );
}

function reply(request: Request, value: unknown): void {
  try {
    port!.postMessage([request[0], 0, value] satisfies Reply);
  } catch (error) {
    fail(request, new TypeError(uncloneableMessage('returned', request, error)));
  }
}

/**
 * Sends an error with the facts the structured clone drops: a name that is not one of the
 * standard ones, and own properties such as `code`. What cannot be cloned is left out.
 */
function fail(request: Request, error: unknown): void {
  const id = request[0];
  if (!(error instanceof Error)) {
    try {
      port!.postMessage([id, 1, error, undefined] satisfies Reply);
    } catch (cloneError) {
      fail(request, new TypeError(uncloneableMessage('threw', request, cloneError)));
    }
    return;
  }
  const facts: ErrorFacts = {
    name: String(error.name),
    message: String(error.message),
    stack: typeof error.stack === 'string' ? error.stack : undefined,
    props: ownProperties(error),
  };
  try {
    port!.postMessage([id, 1, error, facts] satisfies Reply);
    return;
  } catch {}
  // Something in the error does not clone (its cause, a property): rebuild it from the facts,
  // keeping the properties that clone on their own.
  facts.props = cloneableOnly(facts.props);
  port!.postMessage([id, 1, undefined, facts] satisfies Reply);
}

function ownProperties(error: Error): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    props[key] = (error as unknown as Record<string, unknown>)[key];
  }
  return props;
}

function cloneableOnly(props: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    try {
      structuredClone(value);
      kept[key] = value;
    } catch {}
  }
  return kept;
}
