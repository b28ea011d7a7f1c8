// The cost per request of one thing a startServer worker has that a raw node:cluster worker
// has not, switched on and off in one process:
// - `channel`: a subscriber to node:http's `http.server.request.start` diagnostics channel, a
//   copy of the one @aiotools/server's drainHttpServer module installs when it loads;
// - `als`: an enabled AsyncLocalStorage (as in startServer's workers before fad316c, which ran
//   their context inside processIndex.run(); on Node 20 and 22 that turns async hooks on for
//   every async resource).
// One process serves hello world on 127.0.0.1 and loads itself over 10 keep-alive connections;
// phases of REQUESTS requests alternate without and with it, and the process's CPU time per
// request (process.cpuUsage: client and server together; for `als` the client pays the hooks
// too) is compared. Prints one line per phase and the medians.
//   node bench/server/per-request-cost.mjs channel|als [requests-per-phase=4000] [phases-of-each=20]
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent, createServer, get } from 'node:http';

const WHAT = process.argv[2];
if (WHAT !== 'channel' && WHAT !== 'als')
  throw new Error('usage: per-request-cost.mjs channel|als');
const REQUESTS = Number(process.argv[3] ?? 4000);
const PHASES = Number(process.argv[4] ?? 20);
const CONNECTIONS = 10;

// The subscriber of drainHttpServer's module, outside a drain: the latest response of each socket.
const latest = new WeakMap();
const drains = new WeakMap();
const onRequestStart = (message) => {
  const { response, socket, server } = message;
  let sockets = latest.get(server);
  if (sockets === undefined) latest.set(server, (sockets = new Map()));
  const previous = sockets.get(socket);
  if (previous === undefined) socket.once('close', () => sockets.delete(socket));
  sockets.set(socket, response);
  if (!drains.has(server)) return;
};

const als = new AsyncLocalStorage();
const switchOn = () =>
  WHAT === 'channel' ? subscribe('http.server.request.start', onRequestStart) : als.enterWith(0); // enables the storage, as run() does, for the rest of the process
const switchOff = () =>
  WHAT === 'channel' ? unsubscribe('http.server.request.start', onRequestStart) : als.disable();

const server = createServer((_req, res) => res.end('hello world\n'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function one() {
  return new Promise((resolve, reject) => {
    get({ agent, host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      res.once('end', resolve);
    }).once('error', reject);
  });
}

async function phase(count) {
  let left = count;
  const before = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (left-- > 0) await one();
    }),
  );
  const cpu = process.cpuUsage(before);
  return {
    cpuUs: (cpu.user + cpu.system) / count,
    wallUs: ((performance.now() - t0) * 1000) / count,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

await phase(REQUESTS); // warm-up
const results = { without: [], with: [] };
for (let i = 0; i < 2 * PHASES; i++) {
  // without, with, with, without, … so that neither gets the later slot more often
  const on = ((i + 1) >> 1) % 2 === 1;
  if (on) switchOn();
  const r = await phase(REQUESTS);
  if (on) switchOff();
  results[on ? 'with' : 'without'].push(r.cpuUs);
  console.log(
    `${on ? 'with   ' : 'without'} ${WHAT}: ${r.cpuUs.toFixed(2)} µs CPU, ${r.wallUs.toFixed(2)} µs wall per request`,
  );
}
const a = median(results.without);
const b = median(results.with);
console.log(
  `${process.version} ${WHAT}: median CPU per request ${a.toFixed(2)} µs without, ${b.toFixed(2)} µs with: +${(b - a).toFixed(2)} µs (${((b / a - 1) * 100).toFixed(1)}%)`,
);
agent.destroy();
server.close();
