// A small service as users write one with the family: a two-worker server where every request
// runs as a task of the worker's TaskScope, under a deadline (moveOnAfter), with a request id
// in a ContextVar that its nested awaits see; SIGTERM drains the HTTP server, then closes the
// scope. Each worker prints `ready <index>` and `stopped <index> <signal> <served>` lines.
import { createServer } from 'node:http';
import { moveOnAfter } from '@aiotools/cancel';
import { ContextVar } from '@aiotools/context';
import { sleep } from '@aiotools/core';
import { TaskScope } from '@aiotools/scope';
import { drainHttpServer, processIndex, serverContext, startServer } from '@aiotools/server';

const port = Number(process.argv[2]);
const requestId = new ContextVar('requestId');

async function lookup(ms) {
  await sleep(ms);
  return `${requestId.get()}@${processIndex.get()}`;
}

const worker = serverContext(async function* ({ index }) {
  const scope = new TaskScope({ name: `worker ${index}` });
  let served = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const id = url.searchParams.get('id') ?? '?';
    const ms = Number(url.searchParams.get('ms') ?? 1);
    scope.spawn(() =>
      requestId.run(id, async () => {
        // A deadline per request: a slow lookup gives up and answers 504.
        const body = await moveOnAfter(200, () => lookup(ms));
        served++;
        res.writeHead(body === undefined ? 504 : 200).end(body ?? 'timeout');
      }),
    );
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  console.log(`ready ${index}`);
  const signal = yield;
  await drainHttpServer(server, { timeout: 5_000 });
  await scope.aclose();
  console.log(`stopped ${index} ${signal} ${served}`);
});

process.exitCode = await startServer(worker, { numWorkers: 2, waitTimeout: 10_000 });
