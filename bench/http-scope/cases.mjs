// An HTTP server that handles each request inside its own TaskScope with a moveOnAfter
// deadline, beside the same server without scopes (see README.md). Each case starts two
// one-process servers (server.mjs) as child processes with this process's Node options, waits
// for their `ready` lines, loads both over 127.0.0.1 in turn in short slices (raw, other,
// other, raw, raw, …, so neither gets the later slot more often) and stops them. The metric is
// the other server's throughput ÷ raw's over the same slices (higher is better); the CPU time
// per request of each (read from /proc around its slices) goes with it to
// bench/.results/http-scope-<node>[-<node options>].jsonl.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { bounded, freePort } from '../loopback.mjs';

const WARMUP_LOAD = Number(process.env.HTTP_SCOPE_WARMUP_LOAD ?? 1); // s on each, not counted
const SLICE = Number(process.env.HTTP_SCOPE_SLICE ?? 0.25); // s per slice
const SLICES = Number(process.env.HTTP_SCOPE_SLICES ?? 8); // slices per server (2 s of load)
const CONNECTIONS = Number(process.env.HTTP_SCOPE_CONNECTIONS ?? 20);
// autocannon stops at its first sample after the duration: sample every 100 ms.
const LOAD = { connections: CONNECTIONS, sampleInt: 100 };

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const RESULTS = fileURLToPath(new URL('../.results/', import.meta.url));
const flags = process.execArgv.filter((arg) => arg !== '--expose-gc');

/** Starts server.mjs in `mode` and resolves once it printed `ready`. */
async function launch(mode) {
  const port = await freePort();
  const child = spawn(process.execPath, [...flags, SERVER, String(port), mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  const ready = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (/^ready$/m.test(out)) resolve();
    });
    exited.then((code) => reject(new Error(`the ${mode} server exited (${code}): ${stderr}`)));
  });
  await bounded(ready, `the ${mode} server did not print ready`, () => child.kill('SIGKILL'));
  return { mode, child, port, exited, stderr: () => stderr };
}

async function stop(server) {
  server.child.kill('SIGTERM');
  await bounded(server.exited, `the ${server.mode} server did not exit`, () =>
    server.child.kill('SIGKILL'),
  );
  if (server.stderr() !== '') throw new Error(`the ${server.mode} server: ${server.stderr()}`);
}

/** CPU time (ns) used so far by every thread of a process, from /proc/<pid>/task/<tid>/schedstat. */
function cpuNs(pid) {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return total;
}

async function paired(mode) {
  const servers = [await launch('raw'), await launch(mode)];
  const totals = servers.map(() => ({ requests: 0, seconds: 0, cpuNs: 0 }));
  try {
    const load = async (which, duration) => {
      const { port, child } = servers[which];
      const before = cpuNs(child.pid);
      const result = await autocannon({ url: `http://127.0.0.1:${port}/`, ...LOAD, duration });
      const used = cpuNs(child.pid) - before;
      if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
        throw new Error(
          `load failed: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
        );
      }
      return { requests: result.requests.total, seconds: result.duration, cpuNs: used };
    };
    await load(0, WARMUP_LOAD);
    await load(1, WARMUP_LOAD);
    for (let slice = 0; slice < 2 * SLICES; slice++) {
      const which = ((slice + 1) >> 1) % 2; // 0 1 1 0 0 1 1 0 …
      const result = await load(which, SLICE);
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
    node: process.version,
    flags,
    mode,
    raw,
    other,
    throughputRatio: other.rps / raw.rps,
    cpuRatio: other.cpuUsPerRequest / raw.cpuUsPerRequest,
  };
  const tag = flags.length > 0 ? `-${flags.join('_').replaceAll(/[^\w.-]+/g, '_')}` : '';
  mkdirSync(RESULTS, { recursive: true });
  appendFileSync(
    `${RESULTS}http-scope-${process.version}${tag}.jsonl`,
    `${JSON.stringify(account)}\n`,
  );
  return { metric: account.throughputRatio };
}

// HTTP_SCOPE_DIAGNOSTIC=1 adds paired cases that take the scope server apart (see server.mjs).
const diagnostic = [
  {
    name: 'throughput, paired (diagnostic): async handler, one tick before the response ÷ raw node:http',
    group: 'paired',
    unit: '× raw',
    run: () => paired('async'),
  },
  {
    name: 'throughput, paired (diagnostic): TaskScope.run per request, no deadline ÷ raw node:http',
    group: 'paired',
    unit: '× raw',
    run: () => paired('scope-only'),
  },
  {
    name: 'throughput, paired (diagnostic): moveOnAfter per request, no TaskScope ÷ raw node:http',
    group: 'paired',
    unit: '× raw',
    run: () => paired('deadline-only'),
  },
];

export const cases = [
  {
    name: 'throughput, paired: TaskScope + moveOnAfter per request ÷ raw node:http',
    group: 'paired',
    unit: '× raw',
    run: () => paired('scope'),
  },
  {
    name: 'throughput, paired: the contract floor of a TaskScope + deadline (two AsyncLocalStorage.run + a timer) ÷ raw node:http',
    group: 'paired',
    unit: '× raw',
    run: () => paired('floor'),
  },
  {
    name: 'throughput, paired: one AsyncLocalStorage.run per request ÷ raw node:http',
    group: 'paired',
    unit: '× raw',
    run: () => paired('als'),
  },
  {
    name: 'throughput, paired: raw ÷ raw node:http (the noise floor)',
    group: 'paired',
    unit: '× raw',
    run: () => paired('raw'),
  },
  ...(process.env.HTTP_SCOPE_DIAGNOSTIC === '1' ? diagnostic : []),
];
