// The server the server stop runs in a child process (built to dist/server-app.js beside
// main.js): startServer runs this same script again in each of its two node:cluster workers.
// Every line it prints is read by the stop; the workers answer with their process index.
import { createServer } from 'node:http';
import {
  drainHttpServer,
  mainContext,
  processIndex,
  serverContext,
  startServer,
} from '@aiotools/server';

const main = mainContext(async function* () {
  const signal = yield 'hello';
  console.log(`primary: every worker has exited, main context stopped by ${signal}`);
});

const worker = serverContext<[string]>(async function* ({ index, args: [greeting] }) {
  const server = createServer((_req, res) =>
    res.end(`${greeting} from worker ${processIndex.get()}`),
  );
  // Port 0 in cluster mode: one random port, shared by every worker through the primary.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  console.log(
    `worker ${index}: listening on port ${typeof address === 'object' ? address?.port : address}`,
  );
  const signal = yield;
  await drainHttpServer(server, { timeout: 1_000 });
  console.log(`worker ${index}: ${signal} received, server drained`);
});

process.exitCode = await startServer(worker, {
  main,
  numWorkers: 2,
  waitTimeout: 5_000,
  onReady: () => console.log('primary: ready'),
});
