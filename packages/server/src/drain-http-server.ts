import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Http2SecureServer, Http2Session } from 'node:http2';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { realClock } from '@aiotools/core';
import { invalidType, validateDuration, validateOptions } from '@aiotools/core/internal';

/**
 * Options of {@link drainHttpServer}.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { type DrainHttpServerOptions, drainHttpServer } from '@aiotools/server';
 *
 * const server = createServer((req, res) => res.end('ok')).listen(8080);
 * const options: DrainHttpServerOptions = { timeout: Number.POSITIVE_INFINITY };
 * process.on('SIGTERM', () => void drainHttpServer(server, options));
 * ```
 */
export interface DrainHttpServerOptions {
  /**
   * How long to wait for the connections to finish, in ms, before destroying what remains;
   * `Infinity` waits for as long as they take.
   * @default 10_000
   */
  readonly timeout?: number | undefined;
}

/** What `http.server.request.start` and `http.server.response.finish` publish. */
interface HttpServerMessage {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly socket: Socket;
  readonly server: object;
}

/** The part of a server this module uses; every accepted server type has it. */
interface DrainableServer {
  close(callback?: (error?: Error) => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections?: () => void;
  prependListener(event: 'request', listener: (request: IncomingMessage) => void): unknown;
  removeListener(event: 'request', listener: (request: IncomingMessage) => void): unknown;
}

interface Drain {
  readonly promise: Promise<void>;
  /** Brings the forced end forward to `timeout` ms from now, when that is sooner. */
  shorten(timeout: number): void;
}

const DEFAULT_TIMEOUT = 10_000;

// A server keeps its sockets to itself, and a drain must reach the responses that were already
// being handled when it began, to make them answer `Connection: close`. So every HTTP/1 server
// of the process is watched from the moment this module loads, through the documented
// diagnostics channel: it records the latest response of each open socket, with one `close`
// listener per connection and no listener per request.
const latest = new WeakMap<object, Map<Socket, ServerResponse>>();
/** The responses a drain made answer `Connection: close`. */
const closedByDrain = new WeakSet<ServerResponse>();
const drains = new WeakMap<object, Drain>();
let draining = 0;

subscribe('http.server.request.start', (message) => {
  const { response, socket, server } = message as HttpServerMessage;
  let sockets = latest.get(server);
  if (sockets === undefined) latest.set(server, (sockets = new Map()));
  const previous = sockets.get(socket);
  if (previous === undefined) socket.once('close', () => sockets.delete(socket));
  sockets.set(socket, response);
  if (!drains.has(server)) return;
  // A request pipelined behind one this drain already marked: the earlier response must keep
  // the socket open for this one, which closes it in its place.
  if (previous !== undefined && closedByDrain.has(previous) && !previous.headersSent) {
    previous.removeHeader('Connection');
    closedByDrain.delete(previous);
  }
  askToClose(response);
});

// A response that finishes during a drain leaves its socket idle unless another request is
// already queued on it; closing the idle ones then ends the sockets whose response had said
// keep-alive before the drain began. It is checked after Node has detached the response,
// which it does right after publishing.
function onResponseFinish(message: unknown): void {
  const { server } = message as HttpServerMessage;
  if (!drains.has(server)) return;
  queueMicrotask(() => (server as DrainableServer).closeIdleConnections());
}

/** Makes a response whose head is not written yet answer `Connection: close`. */
function askToClose(response: ServerResponse): void {
  if (response.headersSent || response.hasHeader('Connection')) return;
  response.setHeader('Connection', 'close');
  closedByDrain.add(response);
}

function isServer(value: unknown): value is DrainableServer {
  if (typeof value !== 'object' || value === null) return false;
  const server = value as Record<string, unknown>;
  return (
    typeof server.close === 'function' &&
    typeof server.closeIdleConnections === 'function' &&
    typeof server.prependListener === 'function'
  );
}

/**
 * Shuts an HTTP server down gracefully: it stops listening at once (new connections are
 * refused), closes its idle keep-alive sockets at once, and lets the requests in flight finish.
 * Their responses answer `Connection: close` when their head is not written yet, as do the
 * requests that still arrive on an open socket during the drain, and each of those sockets is
 * closed once its response is done; a response whose head already said keep-alive has its
 * socket closed right after it finishes. The promise resolves once every connection is gone,
 * which takes as long as the slowest request, not the `keepAliveTimeout`.
 *
 * After `options.timeout` ms the HTTP/1 sockets still open are destroyed and the promise
 * resolves. Calling it again on a server being drained returns the same promise; a shorter
 * `timeout` then brings the forced end forward. A server that is not listening (already
 * closed) is drained the same way.
 *
 * Works for `http.Server`, `https.Server` and `http2.createSecureServer({ allowHTTP1: true })`.
 * An HTTP/2 session that makes a request during the drain is closed gracefully (GOAWAY, its
 * open streams finish); idle HTTP/2 sessions are closed by Node's own `close()` from Node 24
 * on, and on older versions hold the drain until the timeout. Connections taken over by an
 * `upgrade` handler (WebSocket) are not HTTP any more: the drain waits for them but does not
 * destroy them.
 *
 * @param server - the server to drain
 * @param options - `timeout`: ms before the remaining sockets are destroyed, `Infinity` for
 * no limit (default 10 000)
 * @returns a promise that resolves once the connections are gone or destroyed
 * @throws TypeError (as a rejection) when `server` is not an HTTP server; TypeError/RangeError
 * naming `options.timeout` when it is not a number ≥ 0
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { drainHttpServer } from '@aiotools/server';
 *
 * const server = createServer((req, res) => res.end('ok')).listen(8080);
 * process.on('SIGTERM', () => void drainHttpServer(server, { timeout: 5000 }));
 * ```
 */
export function drainHttpServer(
  server: HttpServer | HttpsServer | Http2SecureServer,
  options?: DrainHttpServerOptions,
): Promise<void> {
  let timeout: number;
  try {
    if (!isServer(server)) {
      throw invalidType('server', 'an http.Server, https.Server or http2 server', server);
    }
    validateOptions(options, 'options');
    timeout = options?.timeout ?? DEFAULT_TIMEOUT;
    if (timeout !== Number.POSITIVE_INFINITY) validateDuration(timeout, 'options.timeout');
  } catch (error) {
    return Promise.reject(error);
  }
  const running = drains.get(server);
  if (running !== undefined) {
    running.shorten(timeout);
    return running.promise;
  }
  const drain = startDrain(server, timeout);
  drains.set(server, drain);
  return drain.promise;
}

function startDrain(server: DrainableServer, timeout: number): Drain {
  const sessions = new Set<Http2Session>();
  // HTTP/2 requests of an `allowHTTP1` server do not go through the HTTP/1 channels.
  const onRequest = (request: IncomingMessage): void => {
    const stream = (request as { stream?: { session?: Http2Session } }).stream;
    const session = stream?.session;
    if (request.httpVersionMajor < 2 || session === undefined || sessions.has(session)) return;
    sessions.add(session);
    session.close();
  };
  let timer: unknown;
  let deadline = Number.POSITIVE_INFINITY;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  let done = false;
  const end = (error?: unknown): void => {
    if (done) return;
    done = true;
    if (timer !== undefined) realClock.clearTimer(timer);
    server.removeListener('request', onRequest);
    drains.delete(server);
    if (--draining === 0) unsubscribe('http.server.response.finish', onResponseFinish);
    if (error === undefined) finish();
    else fail(error);
  };
  const force = (): void => {
    server.closeAllConnections?.();
    // An http2 server has no closeAllConnections: its HTTP/1 sockets are the tracked ones.
    for (const socket of latest.get(server)?.keys() ?? []) socket.destroy();
    for (const session of sessions) session.destroy();
    end();
  };
  const shorten = (ms: number): void => {
    if (done || ms === Number.POSITIVE_INFINITY) return;
    const at = realClock.now() + ms;
    if (at >= deadline) return;
    deadline = at;
    if (timer !== undefined) realClock.clearTimer(timer);
    timer = realClock.setTimer(force, ms);
  };

  if (draining++ === 0) subscribe('http.server.response.finish', onResponseFinish);
  server.prependListener('request', onRequest);
  for (const response of latest.get(server)?.values() ?? []) askToClose(response);
  // close() stops the listener, closes the idle sockets and calls back once the last
  // connection is gone; on a server that is not listening it does the same, with an error.
  server.close((error) => {
    if (error === undefined || (error as { code?: unknown }).code === 'ERR_SERVER_NOT_RUNNING') {
      end();
    } else {
      end(error);
    }
  });
  server.closeIdleConnections();
  shorten(timeout);
  return { promise, shorten };
}
