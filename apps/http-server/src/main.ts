// An HTTP server on @aiotools/server that a deployment can stop without dropping a request:
// startServer runs the workers (node:cluster, sharing the port) and forwards the first SIGINT
// or SIGTERM to each of them once; each worker fails its readiness, waits the shutdown delay,
// drains with drainHttpServer and exits; the primary resolves with the exit code. The same
// script runs in the primary and in every worker: top-level code only parses the command line.
import cluster from 'node:cluster';
import { mainContext, startServer } from '@aiotools/server';
import { parseHttpArgs, USAGE, UsageError } from './args.js';
import { runDemo } from './demo.js';
import { HOST, type HttpConfig, httpWorker, say } from './http-worker.js';

function readArgs(): ReturnType<typeof parseHttpArgs> {
  try {
    return parseHttpArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`http-server: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

const args = readArgs();
if (args === 'help') {
  say(USAGE);
  process.exit(0);
}

// The port the workers share, as the primary saw it bound (with --port 0, the one the system
// picked): node:cluster binds it in the primary and reports each worker's listen.
let boundPort: number | undefined;
if (cluster.isPrimary) {
  cluster.on('listening', (_worker, address) => {
    boundPort ??= address.port;
  });
}

// In the primary only, before any worker starts: the one configuration every worker gets.
const main = mainContext(async function* () {
  say(`http server: primary pid ${process.pid}, starting ${args.workers} workers`);
  const config: HttpConfig = {
    port: args.port,
    shutdownDelay: args.shutdownDelay,
    deadline: args.deadline,
    drainTimeout: args.drainTimeout,
  };
  const signal = yield config;
  say(`primary: every worker has stopped (${signal})`);
});

let demo: Promise<boolean> | undefined;
const code = await startServer(httpWorker, {
  main,
  numWorkers: args.workers,
  // Past this, a worker still draining is killed and the exit code is 1.
  waitTimeout: args.shutdownDelay + args.drainTimeout + 5_000,
  onReady: () => {
    const port = boundPort ?? args.port;
    const pids = Object.values(cluster.workers ?? {}).map((worker) => worker?.process.pid);
    say(
      `ready: ${args.workers} workers (pids ${pids.join(', ')}) on http://${HOST}:${port}; try \`curl "http://${HOST}:${port}/work?ms=2000"\`, stop with Ctrl-C or \`kill -TERM ${process.pid}\``,
    );
    if (args.demo) demo = runDemo(port);
  },
});

// From here on, the primary only: every worker has exited.
let exitCode = code;
if (args.demo) {
  const passed = demo === undefined ? false : await demo;
  if (!passed && exitCode === 0) exitCode = 1;
  say(`demo: ${passed ? 'passed' : 'FAILED'}`);
}
say(`primary: exit code ${exitCode}`);
process.exitCode = exitCode;
