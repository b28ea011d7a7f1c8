// An HTTP server in a process of its own, for the vclock tests about real I/O: it prints its
// port, then answers every request with `pong` after `delay` ms of real time (argv[2]; a
// negative delay never answers), closing the connection. It exits when its stdin ends, so it
// never outlives the test that started it.
import { createServer } from 'node:http';

const delay = Number(process.argv[2] ?? 50);
const server = createServer((_request, response) => {
  response.setHeader('connection', 'close');
  if (delay >= 0) setTimeout(() => response.end('pong'), delay);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
