// The user's own code that the README and TSDoc examples call without defining it: the
// allow-list of free names of scripts/check-examples.mjs. Each one has a real type, so an
// example that misuses what it gets back (or gets the wrong type from an @aiotools API) still
// fails. Names of @aiotools objects (a task, a group, a signal) do not belong here: an example
// creates those itself. scripts/examples-prelude.mjs defines each of them at run time, for
// e2e/src/examples.test.ts, which runs the examples: a name added here is added there too.

type Task<T> = import('@aiotools/core').Task<T>;

/** A database handle, as a driver would give it. */
interface Db {
  query(sql: string): Promise<unknown[]>;
  close(): Promise<void>;
  readonly users: { find(id: number): Promise<User | undefined> };
}
declare const Db: { connect(url: string): Promise<Db> };
declare const db: Db;
/** A connection handle that can be closed with a deadline and reports its end. */
interface Connection {
  close(options?: { signal?: AbortSignal }): Promise<void>;
  readonly closed: Promise<void>;
}
declare const connection: Connection;
/** A connection factory shaped as a context manager (`actxmgr(async function* (url) …)`). */
declare function database(url: string): import('@aiotools/context').AsyncContextManager<Db>;
declare function connect(url?: string): Promise<Db & Connection>;
declare const pool: { connect(): Promise<Db & { release(): void }> };
declare const transaction: { commit(): Promise<void> };
declare const legacyClient: { query(sql: string): Promise<unknown[]> };

interface User {
  readonly id: number;
  readonly name: string;
  readonly role: string;
}
interface Job {
  readonly id: string;
  run(): Promise<void>;
}
interface Message {
  readonly body: string;
}
interface State {
  readonly version: number;
}
/** An event emitter of messages. */
interface Socket {
  once(event: 'message', listener: (message: Message) => void): this;
  off(event: 'message', listener: (message: Message) => void): this;
}

declare const url: string;
declare const urlA: string;
declare const urlB: string;
declare const urls: string[];
declare const mirrorA: string;
declare const mirrorB: string;
declare const id: number;
declare const path: string;
declare const file: string;
declare const rows: unknown[];
declare const jobs: Job[];
declare const candidates: number[];
declare const socket: Socket;
declare const request: unknown;
declare const server: import('node:http').Server;
declare const reader: { read(): Promise<Uint8Array | null> };
declare const stream: AsyncIterable<Uint8Array>;
declare const myTestClock: import('@aiotools/core').Clock;
/** A task started elsewhere. */
declare const task: Task<unknown>;

declare function fetchReport(): Promise<string>;
declare function fetchSlowly(): Promise<string>;
declare function fetchWithTimeout(ms: number): Promise<Response>;
declare function fetchUser(id: number): Promise<User>;
declare function fetchOrders(id: number): Promise<string[]>;
declare function fetchPrices(signal: AbortSignal): Promise<number[]>;
declare function fetchStock(signal: AbortSignal): Promise<number>;
declare function fetchA(): Promise<string>;
declare function fetchB(): Promise<string>;
declare function loadUser(id: number): Promise<User>;
declare function loadPosts(id: number): Promise<string[]>;
declare function probe(name: string): Promise<number>;
declare function poll(target?: unknown, signal?: AbortSignal): Promise<void>;
declare function syncAll(): Promise<void>;
declare function serve(connection: Connection): Promise<void>;
declare function serveHttp(signal: AbortSignal): Promise<void>;
declare function consumeQueue(signal: AbortSignal): Promise<void>;
declare function sendHeartbeats(signal: AbortSignal): Promise<void>;
declare function nextMessage(socket: Socket): Promise<Message>;
declare function copy(from: Db, to: Db): Promise<void>;
declare function work(...values: unknown[]): Promise<void>;
declare function handle(...values: unknown[]): void;
declare function crunch(row: unknown): void;
declare function render(frame: number): void;
declare function readLines(file: string): AsyncGenerator<string>;
declare function users(): AsyncIterable<User>;
declare function source(): AsyncIterable<Job>;
declare function startServer(): Promise<{
  listen(port: number): Promise<void>;
  close(): Promise<void>;
}>;
declare function startBackgroundJob(): void;
declare function runSynchronousStep(): void;
declare function acquire(name: string): Promise<{ release(): Promise<void> }>;
declare function writeConfig(): Promise<void>;
