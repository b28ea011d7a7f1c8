// A parent in the middle: aforks orphan.mjs and waits for it. The test SIGKILLs this process
// and checks that the child (and with a process group, the grandchild) goes too.
// argv: port, processGroup ("group" or not)
import { afork } from '../src/index.ts';

const [port, mode] = process.argv.slice(2);
const group = mode === 'group';
const child = await afork(new URL('./orphan.mjs', import.meta.url), {
  exportName: 'main',
  args: [port, group],
  processGroup: group,
});
await child.wait();
