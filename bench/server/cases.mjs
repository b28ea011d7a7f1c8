// A server of 2 workers run by @aiotools/server `startServer` (mode 'cluster') beside the same
// server on raw node:cluster, each case in a fresh process that starts the server as a child
// process of its own (`node <script> <port>`), waits for its `ready` line, loads it over
// 127.0.0.1, then sends it SIGTERM and waits (bounded) for it to exit.
//
// Throughput: hello world under autocannon, 20 connections, a warm-up load that is not counted,
// then the timed load; the metric is requests per second (higher is better, so the ratio to the
// raw baseline is startServer's share of raw node:cluster's throughput).
//
// Shutdown: `/slow?ms=N` (N from 50 to 200 ms, a fixed sequence) on 8 keep-alive connections
// (node:http Agent), SIGTERM to the primary in the middle of the load, which goes on until the
// server refuses connections. A request that fails with ECONNRESET on a reused socket is retried
// once, as Node's documentation of `request.reusedSocket` shows. The metrics: failed requests
// among those sent before the SIGTERM (not answered 200), retries, and the overshoot: the time
// from the SIGTERM to the primary's exit minus the longest request in flight at the SIGTERM.
// Every shutdown run also appends its whole account to bench/.results/server-shutdown-<node>.jsonl.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BOUND, bounded, freePort } from '../loopback.mjs';

const DURATION = Number(process.env.SERVER_DURATION ?? 2); // s of timed load
const WARMUP_LOAD = Number(process.env.SERVER_WARMUP_LOAD ?? 1); // s of load before it
const CONNECTIONS = Number(process.env.SERVER_CONNECTIONS ?? 20);
const PAIR_WARMUP = Number(process.env.SERVER_PAIR_WARMUP ?? 0.5); // s of load on each, first
const PAIR_SLICE = Number(process.env.SERVER_PAIR_SLICE ?? 0.25); // s per slice
const PAIR_SLICES = Number(process.env.SERVER_PAIR_SLICES ?? 8); // slices per server
const SHUTDOWN_CONNECTIONS = Number(process.env.SERVER_SHUTDOWN_CONNECTIONS ?? 8);
const LOAD_BEFORE_SIGTERM = Number(process.env.SERVER_LOAD_BEFORE_SIGTERM ?? 500); // ms
// autocannon stops at its first sample after the duration: sample every 100 ms (its default,
// 1 s, would round every load up to whole seconds).
const LOAD = { connections: CONNECTIONS, sampleInt: 100 };

const script = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const AIOTOOLS = script('aiotools-server.mjs');
const RAW = script('raw-server.mjs');
const RESULTS = fileURLToPath(new URL('../.results/', import.meta.url));

/** Kills what is left of the server's process group (its own group: it was started detached). */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a server script and resolves once it printed `ready`. */
async function launch(file, args) {
  const port = await freePort();
  const child = spawn(process.execPath, [file, String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() }));
  });
  const ready = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (/^ready$/m.test(out)) resolve();
    });
    exited.then(({ code, signal }) =>
      reject(new Error(`the server exited (${code ?? signal}) before ready: ${stderr}`)),
    );
  });
  await bounded(ready, 'the server did not print ready', () => killGroup(child.pid));
  return { child, port, exited, stderr: () => stderr };
}

/** SIGTERM already sent (or not): waits for the primary's exit, then for the rest of its group. */
async function waitGone(server) {
  const exit = await bounded(server.exited, 'the server did not exit', () =>
    killGroup(server.child.pid),
  );
  // Raw node:cluster workers outlive their primary for a moment; the next run must not share
  // the machine with them. A bench may poll: this is a bounded wait on processes, not a result.
  const deadline = performance.now() + BOUND;
  while (groupAlive(server.child.pid)) {
    if (performance.now() > deadline) {
      killGroup(server.child.pid);
      throw new Error('the server left processes behind');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return exit;
}

async function stop(server) {
  server.child.kill('SIGTERM');
  return waitGone(server);
}

// ---- throughput -------------------------------------------------------------------------------

async function throughput(file, args = []) {
  const server = await launch(file, args);
  let result;
  try {
    const url = `http://127.0.0.1:${server.port}/`;
    await autocannon({ url, ...LOAD, duration: WARMUP_LOAD });
    result = await autocannon({ url, ...LOAD, duration: DURATION });
  } finally {
    const exit = await stop(server);
    server.code = exit.code ?? exit.signal;
  }
  if (file === AIOTOOLS && server.code !== 0) {
    throw new Error(`startServer exited with ${server.code}: ${server.stderr()}`);
  }
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(
      `load failed: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  }
  return { metric: result.requests.total / result.duration };
}

/**
 * The CPU time (ns) used so far by every thread of every process in the server's process group
 * (the primary and its workers), from Linux's /proc/<pid>/task/<tid>/schedstat.
 */
function groupCpuNs(pgid) {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: the comm may hold spaces and parentheses.
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== pgid) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      }
    } catch {
      // The process or thread ended meanwhile.
    }
  }
  return total;
}

// Both servers up at once, loaded in turn (A B B A A B B A …, so that neither gets the later
// slot more often) in short slices, and the CPU time of each server's processes is read around
// its slices: CPU per request hardly depends on what else the machine runs, unlike requests
// per second. The metric is the ratio of CPU time per request, `file`'s to the raw baseline's;
// the throughput ratio of the same slices goes to bench/.results/server-paired-<node>.jsonl.
async function paired(file, args, label) {
  const servers = [await launch(RAW, []), await launch(file, args)];
  const totals = servers.map(() => ({ requests: 0, seconds: 0, cpuNs: 0 }));
  try {
    const load = async (which, duration) => {
      const url = `http://127.0.0.1:${servers[which].port}/`;
      const cpu = groupCpuNs(servers[which].child.pid);
      const result = await autocannon({ url, ...LOAD, duration });
      const cpuNs = groupCpuNs(servers[which].child.pid) - cpu;
      if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
        throw new Error(`load failed: ${result.errors} errors, ${result.non2xx} non-2xx`);
      }
      return { requests: result.requests.total, seconds: result.duration, cpuNs };
    };
    await load(0, PAIR_WARMUP);
    await load(1, PAIR_WARMUP);
    for (let slice = 0; slice < 2 * PAIR_SLICES; slice++) {
      const which = ((slice + 1) >> 1) % 2; // 0 1 1 0 0 1 1 0 …
      const result = await load(which, PAIR_SLICE);
      for (const key of ['requests', 'seconds', 'cpuNs']) totals[which][key] += result[key];
    }
  } finally {
    for (const server of servers) await stop(server);
  }
  const [raw, other] = totals.map(({ requests, seconds, cpuNs }) => ({
    rps: requests / seconds,
    cpuUsPerRequest: cpuNs / 1000 / requests,
  }));
  const account = {
    run: process.ppid,
    node: process.version,
    case: label,
    raw,
    other,
    throughputRatio: other.rps / raw.rps,
    cpuRatio: other.cpuUsPerRequest / raw.cpuUsPerRequest,
  };
  mkdirSync(RESULTS, { recursive: true });
  appendFileSync(
    `${RESULTS}server-paired-${process.version}.jsonl`,
    `${JSON.stringify(account)}\n`,
  );
  return { metric: account.cpuRatio };
}

// ---- shutdown under keep-alive load -----------------------------------------------------------

/** One GET; resolves with its status or its error code, never rejects. */
function request(agent, port, ms) {
  return new Promise((resolve) => {
    const req = get({ agent, host: '127.0.0.1', port, path: `/slow?ms=${ms}` }, (res) => {
      let done = false;
      res.resume();
      res.once('end', () => {
        done = true;
        resolve({
          status: res.statusCode,
          connection: res.headers.connection,
          reused: req.reusedSocket,
        });
      });
      res.once('close', () => {
        if (!done) resolve({ error: 'response aborted', reused: req.reusedSocket });
      });
    });
    req.setTimeout(BOUND, () =>
      req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    req.once('error', (error) =>
      resolve({ error: error.code ?? error.message, reused: req.reusedSocket }),
    );
  });
}

async function shutdown(file, metric) {
  const server = await launch(file, []);
  const agent = new Agent({ keepAlive: true, maxSockets: SHUTDOWN_CONNECTIONS });
  const records = [];
  let retries = 0;
  let sigAt;
  let gone = false;
  let k = 0;
  // 50, 111, 172, 82, 143, 54, … ms: every value of 50..200 once in 151 requests.
  const nextMs = () => 50 + ((k++ * 61) % 151);
  const connection = async () => {
    while (!gone) {
      const ms = nextMs();
      const record = { ms, sent: performance.now(), beforeSigterm: sigAt === undefined };
      let outcome = await request(agent, server.port, ms);
      if (outcome.error === 'ECONNRESET' && outcome.reused) {
        retries++;
        record.retried = outcome.error;
        outcome = await request(agent, server.port, ms);
      }
      record.end = performance.now();
      Object.assign(record, outcome);
      records.push(record);
      // A refused connection: the server no longer accepts, this connection of the load stops.
      if (outcome.error === 'ECONNREFUSED') return;
    }
  };
  let loops;
  try {
    loops = Promise.all(Array.from({ length: SHUTDOWN_CONNECTIONS }, connection));
    await new Promise((resolve) => setTimeout(resolve, LOAD_BEFORE_SIGTERM));
    sigAt = performance.now();
    server.child.kill('SIGTERM');
    const exit = await waitGone(server);
    gone = true;
    await bounded(loops, 'the load did not end');
    const since = (t) => t - sigAt;
    const inFlight = records.filter((r) => r.beforeSigterm && r.end > sigAt);
    const longest = Math.max(0, ...inFlight.map((r) => since(r.end)));
    const answered = records.filter((r) => r.status === 200);
    const lastResponse = Math.max(
      0,
      ...answered.filter((r) => r.end > sigAt).map((r) => since(r.end)),
    );
    const shutdownMs = since(exit.at);
    const account = {
      run: process.ppid,
      node: process.version,
      server: file === AIOTOOLS ? 'startServer' : 'raw node:cluster',
      exit: exit.code ?? exit.signal,
      sentBeforeSigterm: records.filter((r) => r.beforeSigterm).length,
      inFlightAtSigterm: inFlight.length,
      failed: records.filter((r) => r.beforeSigterm && r.status !== 200).length,
      // What went wrong, e.g. `ECONNRESET, retried: ECONNREFUSED` (refusals without a retry,
      // after the SIGTERM, are the server no longer accepting: not failures).
      failures: [
        ...new Set(
          records
            .filter((r) => r.status !== 200 && (r.retried || r.error !== 'ECONNREFUSED'))
            .map((r) => `${r.retried ? `${r.retried}, retried: ` : ''}${r.error ?? r.status}`),
        ),
      ],
      retries,
      sentAfterSigterm: records.filter((r) => !r.beforeSigterm).length,
      answeredAfterSigterm: records.filter((r) => !r.beforeSigterm && r.status === 200).length,
      refusedAfterSigterm: records.filter((r) => !r.beforeSigterm && r.error === 'ECONNREFUSED')
        .length,
      lateFailed: records.filter(
        (r) => !r.beforeSigterm && r.status !== 200 && (r.retried || r.error !== 'ECONNREFUSED'),
      ).length,
      longestInFlightMs: longest,
      lastResponseMs: lastResponse,
      shutdownMs,
      overshootMs: shutdownMs - longest,
      afterLastResponseMs: shutdownMs - lastResponse,
      stderr: server.stderr(),
    };
    mkdirSync(RESULTS, { recursive: true });
    appendFileSync(
      `${RESULTS}server-shutdown-${process.version}.jsonl`,
      `${JSON.stringify(account)}\n`,
    );
    if (file === AIOTOOLS && exit.code !== 0) {
      throw new Error(`startServer exited with ${exit.code ?? exit.signal}: ${server.stderr()}`);
    }
    return { metric: account[metric] };
  } finally {
    gone = true;
    agent.destroy();
    if (server.child.exitCode === null && server.child.signalCode === null)
      killGroup(server.child.pid);
  }
}

// SERVER_DIAGNOSTIC=1 adds paired cases that isolate what a startServer worker has that a raw
// one does not: the @aiotools/server module loaded (its drainHttpServer watches every HTTP
// server through a diagnostics channel), and the server made inside AsyncLocalStorage.run()
// (as the workers' context was, inside processIndex.run(), before fad316c).
const diagnostic = [
  {
    name: 'CPU per request, paired (diagnostic): raw + workers import @aiotools/server ÷ raw',
    group: 'paired',
    unit: '× raw',
    run: () => paired(RAW, ['import'], 'import'),
  },
  {
    name: 'CPU per request, paired (diagnostic): raw + server made inside AsyncLocalStorage.run ÷ raw',
    group: 'paired',
    unit: '× raw',
    run: () => paired(RAW, ['als'], 'als'),
  },
  {
    name: 'CPU per request, paired (diagnostic): raw ÷ raw (the noise floor)',
    group: 'paired',
    unit: '× raw',
    run: () => paired(RAW, [], 'raw'),
  },
];

export const cases = [
  {
    name: 'throughput: raw node:cluster, 2 workers, hello world',
    group: 'throughput',
    baseline: true,
    unit: 'req/s',
    run: () => throughput(RAW),
  },
  {
    name: 'throughput: @aiotools/server startServer, 2 workers, hello world',
    group: 'throughput',
    unit: 'req/s',
    run: () => throughput(AIOTOOLS),
  },
  {
    name: 'CPU per request, paired: startServer ÷ raw node:cluster (same run, alternating slices)',
    group: 'paired',
    unit: '× raw',
    run: () => paired(AIOTOOLS, [], 'startServer'),
  },
  {
    name: 'shutdown failed: raw node:cluster, nothing on SIGTERM (anchor)',
    group: 'shutdown failed',
    unit: 'failed requests',
    run: () => shutdown(RAW, 'failed'),
  },
  {
    name: 'shutdown failed: @aiotools/server startServer + drainHttpServer',
    group: 'shutdown failed',
    unit: 'failed requests',
    run: () => shutdown(AIOTOOLS, 'failed'),
  },
  {
    name: 'shutdown retries: @aiotools/server startServer + drainHttpServer',
    group: 'shutdown retries',
    unit: 'retries',
    run: () => shutdown(AIOTOOLS, 'retries'),
  },
  {
    name: 'shutdown overshoot: @aiotools/server startServer + drainHttpServer',
    group: 'shutdown overshoot',
    unit: 'ms',
    run: () => shutdown(AIOTOOLS, 'overshootMs'),
  },
  ...(process.env.SERVER_DIAGNOSTIC === '1' ? diagnostic : []),
];
