// Run by vclock-issue-regressions.test.ts with stdin, stdout and stderr as pipes: lets the
// clock probe a live connection during a sleep, then prints how many pipe handles existed
// before and after. Reading `process.stdin` would create its handle, so stdio is not touched
// until then.
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { VirtualClock } from '@aiotools/vclock';

const pipes = () => process.getActiveResourcesInfo().filter((name) => name === 'PipeWrap').length;

const before = pipes();
const server = createServer();
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const client = connect(server.address().port, '127.0.0.1');
await once(client, 'connect');
const clock = new VirtualClock();
await clock.run(async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 1000));
});
const after = pipes();
client.destroy();
server.close();
process.stdout.write(`${JSON.stringify({ before, after, now: clock.now() })}\n`);
