import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const file = fileURLToPath(new URL('../test/node-test.ts', import.meta.url));

describe('VirtualClock under node:test', () => {
  it('passes the node:test suite in a child process', async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [
            '--conditions=@aiotools/source',
            '--import',
            'tsx',
            '--test',
            '--test-reporter=tap',
            file,
          ],
          { cwd: root, timeout: 60_000 },
          (error, stdout, stderr) =>
            resolve({
              code: error ? ((error as { code?: number }).code ?? 1) : 0,
              output: stdout + stderr,
            }),
        );
      },
    );
    expect(output).toMatch(/# pass 3/);
    expect(code, output).toBe(0);
  });
});
