// The worker of the HTTP server: what each worker process serves, and its part of the SIGTERM
// sequence a deployment runs (Kubernetes, systemd, pm2): fail readiness, wait the shutdown
// delay while the load balancers take it out, then drain (the listener closes, the requests in
// flight finish, keep-alive sockets close) and exit.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CancelScope, failAfter } from '@aiotools/cancel';
import { sleep, TimeoutError } from '@aiotools/core';
import { drainHttpServer, serverContext } from '@aiotools/server';

export const HOST = '127.0.0.1';

/** What the primary computes once and hands to every worker (the main context's value). */
export interface HttpConfig {
  readonly port: number;
  readonly shutdownDelay: number;
  readonly deadline: number;
  readonly drainTimeout: number;
}

/** The longest /work?ms= accepted. */
const MAX_WORK_MS = 600_000;

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

const INDEX = `GET /healthz      liveness: 200 while the process runs
GET /readyz       readiness: 200 while serving, 503 once the shutdown began
GET /work?ms=N    N ms of work under the request's deadline: 200, or 504 past the deadline
`;

export const httpWorker = serverContext<[HttpConfig]>(async function* ({ index, args: [config] }) {
  const name = `worker ${index}`;
  let ready = false;
  let inFlight = 0;
  let answered = 0;
  let overDeadline = 0;
  let cancelled = 0;
  /** The requests still running when the drain timeout destroyed their sockets. */
  let cutOff = 0;
  const sockets = new Set<Socket>();

  /**
   * /work?ms=N: sleeps N ms inside a cancel scope of its own, the request's scope, with the
   * deadline as a failAfter inside it. The scope is cancelled when the client goes away, which
   * stops the sleep at once; the deadline ends it with a TimeoutError, answered 504.
   */
  async function work(url: URL, res: ServerResponse): Promise<void> {
    const text = url.searchParams.get('ms') ?? '100';
    const ms = Number(text);
    if (!/^\d+$/.test(text) || ms > MAX_WORK_MS) {
      reply(res, 400, `ms must be an integer from 0 to ${MAX_WORK_MS}, got "${text}"\n`);
      return;
    }
    const request = new CancelScope({ name: `GET ${url.pathname}${url.search}` });
    const onClose = (): void => {
      if (!res.writableFinished) request.cancel();
    };
    res.once('close', onClose);
    const started = performance.now();
    try {
      await request.run(() => failAfter(config.deadline, () => sleep(ms)));
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      overDeadline++;
      say(`${name}: GET /work?ms=${ms}: over the ${config.deadline} ms deadline, answered 504`);
      reply(res, 504, `the ${config.deadline} ms deadline ran out before ${ms} ms of work\n`);
      return;
    } finally {
      res.off('close', onClose);
    }
    if (request.cancelledCaught) {
      const after = (performance.now() - started).toFixed(0);
      if (cutOff > 0) {
        say(`${name}: GET /work?ms=${ms}: cut off by the drain timeout after ${after} ms`);
      } else {
        cancelled++;
        say(`${name}: GET /work?ms=${ms}: the client went away after ${after} ms, work cancelled`);
      }
      return;
    }
    reply(res, 200, `${name} (pid ${process.pid}): ${ms} ms of work done\n`);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      reply(res, 405, 'only GET and HEAD\n');
      return;
    }
    switch (url.pathname) {
      case '/healthz':
        return reply(res, 200, 'ok\n');
      case '/readyz':
        return ready ? reply(res, 200, 'ready\n') : reply(res, 503, 'shutting down\n');
      case '/work':
        return work(url, res);
      case '/':
        return reply(res, 200, INDEX);
      default:
        return reply(res, 404, `no ${url.pathname} here\n${INDEX}`);
    }
  }

  const server = createServer((req, res) => {
    inFlight++;
    res.once('finish', () => answered++);
    res.once('close', () => inFlight--);
    // Once not ready, every response asks its client to close the connection: a keep-alive
    // client then reconnects through the load balancer, to a worker that is not stopping.
    if (!ready) res.setHeader('Connection', 'close');
    route(req, res).catch((error: unknown) => {
      say(`${name}: ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) reply(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: HOST }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  ready = true;
  say(`${name} (pid ${process.pid}): listening on http://${HOST}:${port}`);

  const signal = yield; // serving until SIGINT or SIGTERM

  // 1. Fail readiness; 2. wait while the load balancers stop sending traffic; 3. drain.
  ready = false;
  const delay = config.shutdownDelay;
  say(
    `${name}: ${signal}: not ready (/readyz answers 503), ${delay > 0 ? `draining in ${delay} ms` : 'draining now'}`,
  );
  if (delay > 0) await sleep(delay);
  const busy = inFlight;
  const idle = Math.max(0, sockets.size - busy);
  say(
    `${name}: drain begun: ${plural(busy, 'request')} in flight, ${plural(idle, 'idle keep-alive connection')} closed, new connections refused`,
  );
  const began = performance.now();
  // The drain waits for as long as the requests take; at the drain timeout, a second call with
  // a timeout of 0 brings its forced end forward: the sockets still open are destroyed.
  const drained = drainHttpServer(server, { timeout: Number.POSITIVE_INFINITY });
  const timer = setTimeout(() => {
    cutOff = inFlight;
    void drainHttpServer(server, { timeout: 0 });
  }, config.drainTimeout);
  await drained;
  clearTimeout(timer);
  const took = (performance.now() - began).toFixed(0);
  const lost = cutOff === 0 ? 'none cut off' : `${cutOff} cut off by the drain timeout`;
  const extra = [
    overDeadline > 0 ? `${overDeadline} over the deadline` : '',
    cancelled > 0 ? `${cancelled} cancelled by ${cancelled === 1 ? 'its' : 'their'} client` : '',
  ].filter((part) => part !== '');
  say(
    `${name}: drained in ${took} ms (${lost}); ${plural(answered, 'response')} sent in all${extra.length > 0 ? ` (${extra.join(', ')})` : ''}; stopped`,
  );
});
