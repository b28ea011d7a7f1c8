// `startServer` in mode 'cluster' with 2 workers, each listening on 127.0.0.1:<port> and
// draining its server on the stop signal. Prints `ready` once every worker is listening.
//   node aiotools-server.mjs <port>
import { createServer } from 'node:http';
import { drainHttpServer, serverContext, startServer } from '@aiotools/server';
import { handle } from './handler.mjs';

const port = Number(process.argv[2]);

const worker = serverContext(async function* () {
  const server = createServer(handle);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  yield;
  await drainHttpServer(server, { timeout: 10_000 });
});

process.exitCode = await startServer(worker, {
  numWorkers: 2,
  mode: 'cluster',
  waitTimeout: 15_000,
  onReady: () => console.log('ready'),
});
