// The worker of the echo server, aiotools' README example ported: each worker process listens
// on the shared port and echoes back whatever its clients send. Every connection is a task of
// the worker's TaskScope, so the shutdown is one call: close the listener, cancel the
// connections' tasks and wait for them, each ending its socket gracefully.
import { createServer, type Socket } from 'node:net';
import { TaskScope } from '@aiotools/scope';
import { serverContext } from '@aiotools/server';

export const HOST = '127.0.0.1';

/** How long a client has to close its side once the worker ended the connection. */
const GRACE_MS = 2_000;

/** What the primary computes once and hands to every worker (the main context's value). */
export interface EchoConfig {
  readonly port: number;
}

/** How a connection ended: closed by its client, ended at the stop, or reset after the grace. */
type Outcome = 'client' | 'ended' | 'reset';

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Echoes one connection until its client closes it, or until `signal` aborts (the worker stops):
 * then the socket is ended after the echoes already queued, and reset if the client has not
 * closed its side within the grace.
 */
function serve(socket: Socket, signal: AbortSignal): Promise<Outcome> {
  return new Promise((resolve) => {
    let outcome: Outcome = 'client';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk) => {
      if (!socket.writableEnded) socket.write(chunk);
    });
    // A reset by the client: 'close' follows, and the connection counts as closed by it.
    socket.on('error', () => {});
    const stop = (): void => {
      outcome = 'ended';
      socket.end();
      timer = setTimeout(() => {
        outcome = 'reset';
        socket.resetAndDestroy();
      }, GRACE_MS);
    };
    socket.once('close', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      resolve(outcome);
    });
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

export const echoWorker = serverContext<[EchoConfig]>(async function* ({ index, args: [config] }) {
  const name = `worker ${index}`;
  const connections = new TaskScope({ name: `${name} connections` });
  const outcomes: Record<Outcome, number> = { client: 0, ended: 0, reset: 0 };
  let served = 0;
  const server = createServer((socket) => {
    // No connection comes once the listener is closed; this guards the scope's rule anyway.
    if (connections.state !== 'open') {
      socket.destroy();
      return;
    }
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    served++;
    connections.spawn(
      async (signal) => {
        say(`${name}: connection from ${peer} (${plural(connections.size, 'open connection')})`);
        const outcome = await serve(socket, signal);
        outcomes[outcome]++;
        if (outcome === 'client') say(`${name}: ${peer} closed the connection`);
      },
      { name: `${name} ${peer}` },
    );
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
  say(`${name} (pid ${process.pid}): listening on ${HOST}:${port}`);

  const signal = yield; // echoing until SIGINT or SIGTERM

  // No new connection from here on; then every open one is ended and awaited.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const open = connections.size;
  say(`${name}: ${signal}: closing ${plural(open, 'connection')}`);
  await connections.aclose();
  await closed;
  const reset = outcomes.reset === 0 ? '' : `, ${outcomes.reset} reset after ${GRACE_MS} ms`;
  say(`${name}: ${plural(open, 'connection')} closed${reset}, stopped (${served} served in all)`);
});
