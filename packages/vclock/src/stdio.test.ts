import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const file = fileURLToPath(new URL('../test/stdin-probe.ts', import.meta.url));

describe('the idle probe and stdio', () => {
  it('creates no handle for a piped stdin (or stdout) while it looks at sockets', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        ['--conditions=@aiotools/source', '--import', 'tsx', file],
        { cwd: root, timeout: 60_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(stderr || String(error))) : resolve(stdout),
      );
      child.stdin?.end(); // stdin is a pipe, as under a test runner or CI
    });
    const { before, after, now } = JSON.parse(output) as Record<string, number>;
    expect(after).toBe(before);
    expect(now).toBe(3000);
  });
});
