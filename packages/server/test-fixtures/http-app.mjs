// An HTTP server run by startServer, configured by the JSON object in argv[2]:
//   log                    the JSON-lines file every process appends its events to
//   mode, numWorkers       startServer's options, as restart and ignoreChildInterrupts
//   port                   the port every worker listens on (0: one random port in cluster mode)
//   startupDelays          per index, ms the startup waits before listening
//   behaviourFile          read at each startup when it exists: { failStartup, startupDelay }
// Every request answers `w<processIndex>`; `/slow?ms=N` answers after N ms (it logs `got` first).
// SIGUSR2 makes a worker crash: `crash` in the config says how ('throw' or 'exit').
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  drainHttpServer,
  mainContext,
  processIndex,
  serverContext,
  startServer,
} from '@aiotools/server';

const config = JSON.parse(process.argv[2] ?? '{}');

function log(event) {
  appendFileSync(config.log, `${JSON.stringify({ ...event, pid: process.pid, t: Date.now() })}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function behaviour() {
  if (config.behaviourFile === undefined || !existsSync(config.behaviourFile)) return {};
  return JSON.parse(readFileSync(config.behaviourFile, 'utf8'));
}

const worker = serverContext(async function* ({ index }) {
  log({ ev: 'startup-begin', index });
  const now = behaviour();
  const delay = (config.startupDelays ?? [])[index] ?? 0;
  if (delay > 0) await sleep(delay);
  if (now.startupDelay !== undefined) await sleep(now.startupDelay);
  if (now.failStartup === true) {
    log({ ev: 'startup-failed', index });
    throw new Error(`worker ${index} refuses to start`);
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = () => res.end(`w${processIndex.get()}`);
    if (url.pathname === '/slow') {
      log({ ev: 'got', path: '/slow', index });
      setTimeout(answer, Number(url.searchParams.get('ms') ?? 0));
    } else {
      answer();
    }
  });
  server.keepAliveTimeout = 60_000;
  const listenOptions = { port: config.port ?? 0, host: '127.0.0.1' };
  if (config.mode === 'reusePort') listenOptions.reusePort = true;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenOptions, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const onCrashSignal = () => {
    if (config.crash === 'exit') process.exit(3);
    setTimeout(() => {
      throw new Error(`worker ${index} crashes`);
    }, 0);
  };
  process.on('SIGUSR2', onCrashSignal);
  log({ ev: 'startup-done', index, port: server.address().port });
  const signal = yield;
  process.off('SIGUSR2', onCrashSignal);
  log({ ev: 'shutdown', index, signal });
  await drainHttpServer(server, { timeout: 10_000 });
  log({ ev: 'shutdown-done', index });
});

const main = mainContext(async function* () {
  log({ ev: 'primary' });
  const signal = yield;
  log({ ev: 'main-shutdown', signal });
});

process.exitCode = await startServer(worker, {
  main,
  mode: config.mode ?? 'cluster',
  numWorkers: config.numWorkers ?? 2,
  restart: config.restart,
  ignoreChildInterrupts: config.ignoreChildInterrupts,
  waitTimeout: 15_000,
  onReady: () => log({ ev: 'ready' }),
});
log({ ev: 'primary-exit', code: process.exitCode });
