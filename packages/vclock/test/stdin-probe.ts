// Run by src/stdio.test.ts with stdin, stdout and stderr as pipes: lets the clock probe a live
// connection during a sleep, then prints how many pipe handles existed before and after. The
// stdio streams are not touched until then: reading `process.stdin` would create its handle.
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { VirtualClock } from '../src/index.js';

function pipes(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'PipeWrap').length;
}

const before = pipes();
const server = createServer();
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const address = server.address() as { port: number };
const client = connect(address.port, '127.0.0.1');
await once(client, 'connect');
const clock = new VirtualClock();
await clock.run(async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 1000));
});
const after = pipes();
client.destroy();
server.close();
process.stdout.write(`${JSON.stringify({ before, after, now: clock.now() })}\n`);
