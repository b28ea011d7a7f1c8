// An HTTP server in a process of its own, for the tests about real I/O: it prints its port,
// then answers every request with `pong` after `delay` ms of real time (argv[2]; a negative
// delay never answers). Keep-alive is on unless argv[3] is `close`. It exits when its stdin
// ends, so it never outlives the test that started it.
import { createServer } from 'node:http';

const delay = Number(process.argv[2] ?? 50);
const close = process.argv[3] === 'close';
const server = createServer((_request, response) => {
  if (close) response.setHeader('connection', 'close');
  if (delay >= 0) setTimeout(() => response.end('pong'), delay);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
