// A multi-process TCP echo server: aiotools' README example on @aiotools/server. The same
// script runs in the primary and in every worker: startServer in the primary starts the
// workers by running it again, each worker runs echoWorker, and the primary forwards the first
// SIGINT or SIGTERM to every worker once, waits for their teardowns and resolves with the exit
// code. Top-level code runs in every process: it only parses the command line.
import cluster from 'node:cluster';
import { mainContext, startServer } from '@aiotools/server';
import { parseEchoArgs, USAGE, UsageError } from './args.js';
import { runDemo } from './demo.js';
import { type EchoConfig, echoWorker, HOST, say } from './echo-worker.js';

function readArgs(): ReturnType<typeof parseEchoArgs> {
  try {
    return parseEchoArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`echo-server: ${error.message}\n\n${USAGE}\n`);
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

// In the primary only, before any worker starts: what it yields goes to every worker.
const main = mainContext(async function* () {
  say(`echo server: primary pid ${process.pid}, starting ${args.workers} workers`);
  const config: EchoConfig = { port: args.port };
  const signal = yield config;
  say(`primary: every worker has stopped (${signal})`);
});

let demo: Promise<boolean> | undefined;
const code = await startServer(echoWorker, {
  main,
  numWorkers: args.workers,
  waitTimeout: 10_000,
  onReady: () => {
    const port = boundPort ?? args.port;
    say(
      `echo server ready: ${args.workers} workers on ${HOST}:${port}; try \`nc ${HOST} ${port}\`, stop with Ctrl-C or \`kill -TERM ${process.pid}\``,
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
