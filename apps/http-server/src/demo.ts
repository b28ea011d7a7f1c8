// The --demo run, in the primary once every worker is listening: a small load on a keep-alive
// http.Agent, and a SIGTERM of the primary to itself in the middle of it, as a deployment's stop
// would send. The load stops sending new requests at the SIGTERM (as a load balancer does once
// the endpoint is taken out), and every request already sent must be answered.
//
// Each load request carries `Expect: 100-continue`: the worker answers `100 Continue` as it
// takes the request, so the demo knows that every request it counts as in flight has reached a
// worker before it sends the SIGTERM.
import { Agent, type ClientRequest, type IncomingHttpHeaders, request } from 'node:http';
import type { Socket } from 'node:net';
import { HOST, say } from './http-worker.js';

/** Concurrent clients of the load, one keep-alive socket each at most. */
const CLIENTS = 8;
/** The quick requests each client makes first, in ms of work, then one slow one. */
const QUICK = [5, 20, 10, 40, 15];
/** Still running when the drain begins (the demo's shutdown delay is 300 ms). */
const SLOW_MS = 700;
/** Every wait of the demo is bounded: a stuck step fails it instead of hanging it. */
const STEP_MS = 10_000;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${STEP_MS} ms`)), STEP_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

interface GetOptions {
  readonly agent: Agent | false;
  /** Called when the worker has taken the request (`100 Continue`). */
  readonly onTaken?: (req: ClientRequest) => void;
  readonly onSocket?: (socket: Socket) => void;
}

function get(port: number, path: string, options: GetOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: HOST,
        port,
        path,
        agent: options.agent,
        headers: options.onTaken === undefined ? {} : { Expect: '100-continue' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.onTaken !== undefined) req.once('continue', () => options.onTaken?.(req));
    if (options.onSocket !== undefined) req.once('socket', options.onSocket);
    req.end();
  });
}

function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? (error as Error).message;
}

/**
 * Runs the demo against the server on `port`, sends SIGTERM to this process (the primary) in
 * the middle of the load, and resolves with whether every request was answered as expected.
 */
export async function runDemo(port: number): Promise<boolean> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const idleAgent = new Agent({ keepAlive: true });
  // Each keep-alive socket, and whether it closed without an error (a FIN, not a reset).
  const sockets = new Map<Socket, Promise<boolean>>();
  const track = (socket: Socket): void => {
    if (sockets.has(socket)) return;
    sockets.set(
      socket,
      new Promise((resolve) => socket.once('close', (hadError) => resolve(!hadError))),
    );
  };
  let signalled = false;
  const stop = (): void => {
    if (signalled) return;
    signalled = true;
    process.kill(process.pid, 'SIGTERM');
  };
  let cleanCloses = 0;
  let requests = 0;
  let failed = 0;
  let closedOnDrain = 0;
  let ok = true;
  try {
    const ready = await get(port, '/readyz', { agent: false });
    say(`demo: GET /readyz: ${ready.status} ${ready.body.trim()}`);
    if (ready.status !== 200) ok = false;
    // A keep-alive socket left idle: the drain closes it at once.
    await get(port, '/healthz', { agent: idleAgent, onSocket: track });

    // One request over its deadline (answered 504 by the worker), one its client leaves.
    const overDeadline = get(port, '/work?ms=5000', { agent: false });
    // Awaited at the end; its failure, if it comes earlier, is reported there.
    void Promise.allSettled([overDeadline]);
    await bounded(
      new Promise<void>((resolve, reject) => {
        get(port, '/work?ms=5000', {
          agent: false,
          onTaken: (req) => {
            req.destroy();
            resolve();
          },
        }).catch((error: unknown) => {
          if (codeOf(error) !== 'ECONNRESET') reject(error);
        });
      }),
      'the request its client leaves',
    );
    say('demo: GET /work?ms=5000 left by its client once taken: its worker cancels the work');

    // The load: each client makes its quick requests, then one slow one; the SIGTERM comes
    // once every slow one has been taken by a worker.
    const taken: Promise<void>[] = [];
    const loads = Array.from({ length: CLIENTS }, (_, client) => {
      let slowTaken!: () => void;
      taken.push(new Promise<void>((resolve) => (slowTaken = resolve)));
      return (async () => {
        for (const ms of [...QUICK.map((quick) => quick + client), SLOW_MS]) {
          requests++;
          const slow = ms === SLOW_MS;
          try {
            const answer = await get(port, `/work?ms=${ms}`, {
              agent,
              onSocket: track,
              onTaken: () => {
                if (slow) slowTaken();
              },
            });
            if (answer.status !== 200) {
              failed++;
              say(`demo: GET /work?ms=${ms}: ${answer.status} ${answer.body.trim()}`);
            } else if (answer.headers.connection === 'close') {
              closedOnDrain++;
            }
          } catch (error) {
            failed++;
            slowTaken();
            say(`demo: GET /work?ms=${ms} failed: ${codeOf(error)}`);
          }
        }
      })();
    });
    await bounded(Promise.all(taken), 'the slow requests being taken');
    say(
      `demo: ${requests - CLIENTS} quick requests answered, ${CLIENTS} slow ones (${SLOW_MS} ms) in flight: SIGTERM to the primary (pid ${process.pid})`,
    );
    stop();

    // What a load balancer's probe sees during the shutdown delay.
    let probe = 'still 200 after 2 s';
    for (let tries = 0; tries < 100; tries++) {
      try {
        const answer = await get(port, '/readyz', { agent: false });
        if (answer.status === 200) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        probe = `${answer.status} ${answer.body.trim()}`;
      } catch (error) {
        probe = `no answer (${codeOf(error)})`;
      }
      break;
    }
    say(`demo: GET /readyz after the SIGTERM: ${probe}`);

    await bounded(Promise.all(loads), 'the load finishing');
    say(
      `demo: every slow request answered, ${closedOnDrain} with Connection: close (the drain closing its socket)`,
    );
    try {
      const late = await get(port, '/healthz', { agent: false });
      failed++;
      say(`demo: a new connection after the drain began was answered ${late.status}: wrong`);
    } catch (error) {
      const code = codeOf(error);
      say(
        `demo: a new connection after the drain began: ${code === 'ECONNREFUSED' ? 'refused' : code}`,
      );
    }
    const late = await bounded(overDeadline, 'the request over its deadline');
    say(`demo: GET /work?ms=5000 with a 1000 ms deadline: ${late.status} ${late.body.trim()}`);
    if (late.status !== 504) ok = false;
    const closes = await bounded(Promise.all(sockets.values()), 'the keep-alive sockets closing');
    cleanCloses = closes.filter(Boolean).length;
  } catch (error) {
    say(`demo: ${(error as Error).message}`);
    ok = false;
  } finally {
    // Whatever failed above, the server is stopped and nothing of the demo stays open.
    stop();
    agent.destroy();
    idleAgent.destroy();
  }
  say(
    `demo: ${requests} requests, ${failed} failed; ${sockets.size} keep-alive sockets, ${cleanCloses} closed cleanly`,
  );
  return ok && failed === 0 && requests > 0 && cleanCloses === sockets.size;
}
