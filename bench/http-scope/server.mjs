// A one-process HTTP server on 127.0.0.1:<port> that answers `hello world`, in one of three
// modes, and prints `ready` once it listens:
//   node server.mjs <port> raw|als|floor|scope|async|scope-only|deadline-only
// raw: the handler as is. als: each request handled inside its own AsyncLocalStorage.run (the
// floor of anything that gives a request an ambient context). scope: each request handled
// inside its own TaskScope.run with a moveOnAfter deadline, the way a handler gets a
// cancellable scope of its own (a request the deadline stops is answered 503). floor: the
// least that mode scope must do, written by hand: two nested AsyncLocalStorage.run (the task
// scope's and the deadline's ambient node: the body sees the inner one, a task it spawns the
// outer), the deadline's timer armed and cleared, and the one promise that tells the caller the
// scope is over (where a stopped request is answered 503). The diagnostic
// modes take the scope apart: async (the handler as an async function that awaits one tick
// first: a response sent after the request event, as the scope's body is), scope-only (the
// TaskScope.run, no deadline), deadline-only (the moveOnAfter, no TaskScope).
// Node options of this process (--experimental-async-context-frame) come from its parent.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import { moveOnAfter } from '@aiotools/cancel';
import { TaskScope } from '@aiotools/scope';

const port = Number(process.argv[2]);
const mode = process.argv[3] ?? 'raw';
const DEADLINE_MS = 10_000;

function hello(_req, res) {
  res.end('hello world\n');
}

function unavailable(res) {
  if (res.writableEnded) return;
  res.statusCode = 503;
  res.end();
}

function fail(error) {
  console.error(error);
  process.exitCode = 1;
}

const als = new AsyncLocalStorage();
const noop = () => {};
const resolved = Promise.resolve();

function deadlineBody(req, res) {
  const timer = setTimeout(noop, DEADLINE_MS);
  try {
    hello(req, res);
  } finally {
    clearTimeout(timer);
  }
  return resolved;
}

let id = 0;
const handlers = {
  raw: hello,
  async: async (req, res) => {
    await null;
    hello(req, res);
  },
  'scope-only': (req, res) => {
    TaskScope.run(() => hello(req, res)).catch(fail);
  },
  'deadline-only': (req, res) => {
    moveOnAfter(DEADLINE_MS, () => hello(req, res)).catch(fail);
  },
  als: (req, res) => als.run(++id, hello, req, res),
  floor: (req, res) => {
    als
      .run(++id, () => als.run(-id, deadlineBody, req, res))
      .then(() => unavailable(res))
      .catch(fail);
  },
  scope: (req, res) => {
    TaskScope.run(() => moveOnAfter(DEADLINE_MS, () => hello(req, res)))
      .then(() => unavailable(res))
      .catch(fail);
  },
};
const handler = handlers[mode];
if (!handler) throw new Error(`unknown mode ${mode}`);

createServer(handler).listen(port, '127.0.0.1', () => console.log('ready'));
