// The runtime twin of scripts/examples-prelude.d.ts: the user's own code that the README,
// docs and TSDoc examples call without defining it (`fetchUser`, `db`, `socket`, ...), as
// globals with realistic behaviour: calls take a few (virtual) milliseconds through
// @aiotools/core's `sleep`, so they are cancellation points as a real client's would be;
// connections open and close; a socket delivers messages; a file exists. Every name declared
// in the .d.ts is defined here (e2e/src/examples.test.ts checks it).
//
// e2e/src/examples.test.ts preloads it (`node --import`) into every example it runs, copied
// next to the examples so that `@aiotools/*` resolve to the built packages. Before the stubs
// it installs the VirtualClock of @aiotools/vclock, so an example that sleeps for minutes ends
// at once; `EXAMPLES_CLOCK=real` leaves time alone (examples that run servers or child
// processes). In every process it also
// - moves a listen on port 8080 (the port the examples use) to a free port, so examples run
//   side by side and beside anything else on the machine;
// - reports each server that starts listening as a line `::example-listening <port>` on
//   stderr, for the test to wait for before it talks to the server or stops it.
// Objects that hold resources (a server, a socket's timers, a background task) are made on
// first use, so an example that does not touch them holds nothing open.
import { writeFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createNetServer, Server } from 'node:net';
import { join } from 'node:path';
import { actxmgr } from '@aiotools/context';
import { cancellable, sleep, TimeoutError } from '@aiotools/core';
import { Group } from '@aiotools/scope';
import { installVirtualClock } from '@aiotools/vclock';

const { env } = process;
if (env.EXAMPLES_CLOCK !== 'real') installVirtualClock();

// --- ports ----------------------------------------------------------------------------------
const EXAMPLE_PORT = 8080;
const listen = Server.prototype.listen;
Server.prototype.listen = function listenOnAFreePort(...args) {
  if (args[0] === EXAMPLE_PORT || args[0] === String(EXAMPLE_PORT)) args[0] = 0;
  else if (typeof args[0] === 'object' && args[0] !== null && args[0].port === EXAMPLE_PORT) {
    args[0] = { ...args[0], port: 0 };
  }
  this.once('listening', () => {
    const address = this.address();
    if (typeof address === 'object' && address !== null) {
      process.stderr.write(`::example-listening ${address.port}\n`);
    }
  });
  return listen.apply(this, args);
};

// --- data -----------------------------------------------------------------------------------
const text = (body) => `data:text/plain,${encodeURIComponent(body)}`;
const USERS = [
  { id: 1, name: 'Ada', role: 'admin' },
  { id: 2, name: 'Grace', role: 'developer' },
  { id: 42, name: 'Linus', role: 'developer' },
];
const userOf = (id) =>
  USERS.find((user) => user.id === id) ?? { id, name: `user ${id}`, role: 'guest' };

/** A database connection: queries take 5 ms; `closed` settles once `close()` has run. */
function openDb(url) {
  let open = true;
  let markClosed;
  const closed = new Promise((resolve) => {
    markClosed = resolve;
  });
  const check = () => {
    if (!open) throw new Error(`connection to ${url} is closed`);
  };
  return {
    url,
    async query(sql) {
      check();
      await sleep(5);
      return [{ sql, value: 1 }];
    },
    users: {
      async find(id) {
        check();
        await sleep(5);
        return USERS.find((user) => user.id === id);
      },
    },
    async close() {
      if (!open) return;
      open = false;
      await sleep(1);
      markClosed();
    },
    closed,
    release() {},
  };
}

/** A message socket: while someone listens, a message arrives every 50 ms. */
class MessageSocket {
  #listeners = new Set();
  #timer;
  #count = 0;
  once(event, listener) {
    if (event !== 'message') return this;
    this.#listeners.add(listener);
    this.#timer ??= setTimeout(() => this.#deliver(), 50);
    return this;
  }
  off(event, listener) {
    if (event !== 'message') return this;
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    return this;
  }
  #deliver() {
    this.#timer = undefined;
    const message = { body: `message ${++this.#count}` };
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener(message);
  }
}

/** A clock moved by hand in tests, here moving itself: each timer fires on the next turn. */
class StepClock {
  #now = 0;
  #timers = new Set();
  now() {
    return this.#now;
  }
  setTimer(callback, ms) {
    const timer = { at: this.#now + Math.max(0, ms), callback };
    this.#timers.add(timer);
    setImmediate(() => this.#step());
    return timer;
  }
  clearTimer(handle) {
    this.#timers.delete(handle);
  }
  #step() {
    const next = [...this.#timers].sort((a, b) => a.at - b.at)[0];
    if (next === undefined) return;
    this.#timers.delete(next);
    this.#now = Math.max(this.#now, next.at);
    next.callback();
  }
}

/** `value` after `ms` (virtual) milliseconds: a call that takes a little time. */
async function after(ms, value, signal) {
  await sleep(ms, signal === undefined ? undefined : { signal });
  return value;
}

const lazy = (factory) => {
  let value;
  let made = false;
  return () => {
    if (!made) {
      value = factory();
      made = true;
    }
    return value;
  };
};

/**
 * Works until `signal` aborts, then rejects with its reason, as the APIs that take a signal do
 * (`fetch`, `timers/promises`, `events.once`).
 */
async function untilAborted(signal, step) {
  for (;;) {
    signal.throwIfAborted();
    await step();
    await sleep(100, { signal });
  }
}

const values = {
  url: text('hello from url'),
  urlA: text('hello from A'),
  urlB: text('hello from B'),
  urls: [text('one'), text('two'), text('three')],
  mirrorA: text('package from mirror A'),
  mirrorB: text('package from mirror B'),
  id: 42,
  rows: [{ n: 1 }, { n: 2 }, { n: 3 }],
  candidates: [80, 443, 3000, 8443],
  request: { method: 'GET', url: '/users/42' },
};

const getters = {
  /** A JSON file in the example's own folder, holding a State. */
  path: lazy(() => {
    const file = join(process.cwd(), 'state.json');
    writeFileSync(file, '{ "version": 1 }\n');
    return file;
  }),
  /** A small text file in the example's own folder, written on first use. */
  file: lazy(() => {
    const file = join(process.cwd(), 'lines.txt');
    writeFileSync(file, 'first line\nsecond line\nthird line\n');
    return file;
  }),
  db: lazy(() => openDb('postgres://localhost/app')),
  connection: lazy(() => openDb('postgres://localhost/app')),
  Db: lazy(() => ({ connect: (url) => after(5, openDb(url)) })),
  pool: lazy(() => ({ connect: () => after(2, openDb('pool://app')) })),
  transaction: lazy(() => ({ commit: () => sleep(5) })),
  legacyClient: lazy(() => ({
    // knows nothing of cancellation: no signal, no family wait
    query: (sql) => new Promise((resolve) => setTimeout(() => resolve([{ sql }]), 20)),
  })),
  jobs: lazy(() =>
    ['resize', 'encode', 'upload'].map((name) => ({
      id: name,
      run: () => sleep(10),
    })),
  ),
  socket: lazy(() => new MessageSocket()),
  /** An HTTP server listening on a free port of 127.0.0.1. */
  server: lazy(() => {
    // node:http's Server is a net.Server: the listen patch above reports it.
    const server = createHttpServer();
    server.listen(0, '127.0.0.1');
    return server;
  }),
  reader: lazy(() => {
    const chunks = ['a', 'b', 'c'].map((c) => new TextEncoder().encode(c));
    return { read: () => after(1, chunks.shift() ?? null) };
  }),
  stream: lazy(() => ({
    async *[Symbol.asyncIterator]() {
      for (const c of ['x', 'y', 'z']) {
        await sleep(1);
        yield new TextEncoder().encode(c);
      }
    },
  })),
  myTestClock: lazy(() => new StepClock()),
  /** A task started elsewhere: a poller that runs until it is cancelled. */
  task: lazy(() =>
    new Group({ name: 'background' }).spawn(
      async () => {
        for (;;) await sleep(1_000);
      },
      { name: 'poller' },
    ),
  ),
};

function createHttpServer() {
  return createHttp((_req, res) => res.end('ok\n'));
}

const functions = {
  fetchReport: () => after(150, 'report: 3 incidents'),
  fetchSlowly: () => after(5_000, 'finally'),
  fetchWithTimeout: async (ms) => {
    await sleep(ms);
    throw new Error(`timeout after ${ms} ms`);
  },
  fetchUser: (userId) => after(20, userOf(userId)),
  loadUser: (userId) => after(20, userOf(userId)),
  fetchOrders: (userId) => after(30, [`order ${userId}-1`, `order ${userId}-2`]),
  loadPosts: (userId) => after(30, [`post ${userId}-1`]),
  fetchPrices: (signal) => after(20, [9.99, 19.99], signal),
  /** A stock service that is too slow: its own 100 ms limit fails it with a TimeoutError. */
  fetchStock: async (signal) => {
    await sleep(100, { signal });
    throw new TimeoutError('stock service: no answer within 100 ms');
  },
  fetchA: () => after(10, 'A'),
  fetchB: () => after(20, 'B'),
  probe: async (name) => {
    const latency = 10 + ((name.length * 7) % 30);
    await sleep(latency);
    return latency;
  },
  poll: (_target, signal) => sleep(10, signal === undefined ? undefined : { signal }),
  syncAll: () => sleep(100),
  /** Serves a client that makes a request a second and hangs up after the third. */
  serve: async (conn) => {
    for (let request = 1; request <= 3; request++) {
      await sleep(1_000);
      await conn.query('SELECT 1');
    }
  },
  serveHttp: async (signal) => {
    const server = createHttpServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await new Promise((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', resolve, { once: true });
      });
    } finally {
      server.close();
    }
    signal.throwIfAborted();
  },
  consumeQueue: (signal) => untilAborted(signal, () => sleep(1)),
  sendHeartbeats: (signal) => untilAborted(signal, () => sleep(1)),
  nextMessage: (socket) =>
    cancellable((resolve) => {
      socket.once('message', resolve);
      return () => socket.off('message', resolve);
    }),
  copy: () => sleep(10),
  work: () => sleep(10),
  handle: () => {},
  crunch: (row) => JSON.stringify(row).length,
  render: () => {},
  readLines: async function* (file) {
    const { readFile } = await import('node:fs/promises');
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (line !== '') yield line;
    }
  },
  users: async function* () {
    for (const user of USERS) {
      await sleep(5);
      yield user;
    }
  },
  source: async function* () {
    for (let n = 1; n <= 5; n++) {
      await sleep(1);
      yield { id: `job-${n}`, run: () => sleep(5) };
    }
  },
  connect: (to = 'postgres://localhost/app') => after(5, openDb(to)),
  database: actxmgr(async function* (to) {
    await sleep(5);
    const db = openDb(to);
    try {
      yield db;
    } finally {
      await db.close();
    }
  }),
  startServer: async () => {
    const server = createNetServer();
    return {
      listen: (port) =>
        new Promise((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => resolve());
        }),
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  },
  startBackgroundJob: () => {},
  runSynchronousStep: () => {},
  acquire: (name) => after(1, { name, release: () => sleep(1) }),
  writeConfig: () => sleep(5),
};

for (const [name, value] of Object.entries(values)) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
}
for (const [name, get] of Object.entries(getters)) {
  Object.defineProperty(globalThis, name, { get, configurable: true });
}
for (const [name, value] of Object.entries(functions)) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
}
