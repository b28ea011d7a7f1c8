// The raw node:cluster equivalent: the primary forks 2 workers, each listening on
// 127.0.0.1:<port>, and prints `ready` once both are listening. Nothing handles SIGTERM: the
// primary dies at once, and its workers exit when their IPC channel closes (node:cluster's own
// behaviour), dropping whatever they were serving.
//   node raw-server.mjs <port> [import] [als]
// `import`: each worker first imports @aiotools/server (its drainHttpServer module watches every
// HTTP server of the process through a diagnostics channel); `als`: each worker creates its
// server inside an AsyncLocalStorage.run(), as startServer's workers ran their context inside
// processIndex.run() before fad316c. Both only isolate a per-request cost a worker can have.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { handle } from './handler.mjs';

const port = Number(process.argv[2]);
const WORKERS = 2;

if (cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === WORKERS) console.log('ready');
  });
  for (let i = 0; i < WORKERS; i++) cluster.fork();
} else {
  const options = process.argv.slice(3);
  if (options.includes('import')) await import('@aiotools/server');
  const listen = () => createServer(handle).listen(port, '127.0.0.1');
  if (options.includes('als')) {
    const { AsyncLocalStorage } = await import('node:async_hooks');
    new AsyncLocalStorage().run(0, listen);
  } else {
    listen();
  }
}
