// The --demo run, in the primary once every worker is listening: a few clients connect, send
// lines and check that each comes back unchanged, then, with their connections still open, the
// primary sends itself SIGTERM, as `kill -TERM` would. Each worker prints its teardown; the
// clients check that the server closed their connections.
import { connect, type Socket } from 'node:net';
import { HOST, say } from './echo-worker.js';

const CLIENTS = 8;
const LINES = 3;
/** Every wait of the demo is bounded: a stuck step fails the demo instead of hanging it. */
const STEP_MS = 5_000;

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${STEP_MS} ms`)), STEP_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A client connection that reads what comes back line by line. */
class Client {
  readonly socket: Socket;
  /** Resolves with whether the server ended the connection (rather than an error). */
  readonly closed: Promise<boolean>;
  #buffer = '';
  readonly #lines: string[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #gone = false;

  constructor(port: number) {
    this.socket = connect({ host: HOST, port });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let newline = this.#buffer.indexOf('\n');
      while (newline !== -1) {
        this.#lines.push(this.#buffer.slice(0, newline));
        this.#buffer = this.#buffer.slice(newline + 1);
        newline = this.#buffer.indexOf('\n');
      }
      this.#wake?.();
    });
    this.socket.on('end', () => {
      this.#ended = true;
    });
    this.closed = new Promise((resolve) => {
      this.socket.on('error', () => {});
      this.socket.once('close', (hadError) => {
        this.#gone = true;
        this.#wake?.();
        resolve(this.#ended && !hadError);
      });
    });
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }

  async nextLine(): Promise<string> {
    while (this.#lines.length === 0) {
      if (this.#gone) throw new Error('the connection closed before the echo came');
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
    return this.#lines.shift() as string;
  }
}

/**
 * Runs the demo against the server on `port`, sends SIGTERM to this process (the primary) and
 * resolves with whether every echo and every close was as expected.
 */
export async function runDemo(port: number): Promise<boolean> {
  const clients: Client[] = [];
  let mismatched = 0;
  let echoed = 0;
  let ok = true;
  try {
    for (let c = 1; c <= CLIENTS; c++) {
      const client = new Client(port);
      clients.push(client);
      await bounded(client.connected(), `client ${c} connecting`);
    }
    await Promise.all(
      clients.map(async (client, i) => {
        for (let l = 1; l <= LINES; l++) {
          const line = `client ${i + 1} says hello #${l}`;
          client.socket.write(`${line}\n`);
          const echo = await bounded(client.nextLine(), `the echo of "${line}"`);
          if (echo === line) echoed++;
          else mismatched++;
        }
      }),
    );
    say(
      `demo: ${CLIENTS} clients sent ${CLIENTS * LINES} lines: ${echoed} echoed, ${mismatched} mismatched`,
    );
  } catch (error) {
    say(`demo: ${(error as Error).message}`);
    ok = false;
  }
  say(`demo: SIGTERM to the primary (pid ${process.pid}) with ${CLIENTS} connections open`);
  process.kill(process.pid, 'SIGTERM');
  let closedByServer = 0;
  try {
    const results = await bounded(
      Promise.all(clients.map((client) => client.closed)),
      'the server closing the connections',
    );
    closedByServer = results.filter(Boolean).length;
  } catch (error) {
    say(`demo: ${(error as Error).message}`);
    for (const client of clients) client.socket.destroy();
  }
  say(`demo: ${closedByServer} of ${clients.length} connections closed by the server`);
  return ok && mismatched === 0 && closedByServer === CLIENTS;
}
