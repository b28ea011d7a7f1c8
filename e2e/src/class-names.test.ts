// The bundler may rename a class (esbuild turns a self-referencing `class X` into
// `var X = class _X`), and the name then leaks into `err.name`, `console.log(err)`, Node's
// report of an uncaught error, and messages built from `this.constructor.name` or
// `new.target.name`. The unit tests run on the sources and cannot see it; these run on dist/.
import { execFile } from 'node:child_process';
import { inspect, promisify } from 'node:util';
import { CancelledError, ExceptionGroup, TimeoutError } from '@aiotools/core';
import { Supervisor, TaskScope } from '@aiotools/scope';
import { Queue } from '@aiotools/sync';
import { describe, expect, it } from 'vitest';
import { publishedPackages } from './published-packages.js';

const run = promisify(execFile);
const e2eDir = new URL('..', import.meta.url);

const packageNames = publishedPackages();

const isClass = (value: unknown): value is abstract new (...args: never[]) => unknown =>
  typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));

/** Runs an ES module as a child process from e2e/, where `@aiotools/*` resolve to dist/. */
async function runModule(source: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ['--input-type=module', '-e', source], {
      cwd: e2eDir,
      timeout: 15_000,
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

describe('class names in the built packages', () => {
  it('covers every package', () => {
    expect(packageNames.length).toBeGreaterThanOrEqual(9);
  });

  it.each(packageNames)('%s: every exported class is named as exported', async (name) => {
    const exports: Record<string, unknown> = await import(name);
    const classes = Object.entries(exports).filter(([, value]) => isClass(value));
    const names = Object.fromEntries(
      classes.map(([key, value]) => [key, (value as Function).name]),
    );
    expect(names).toEqual(Object.fromEntries(classes.map(([key]) => [key, key])));
  });

  it.each(packageNames)('%s: every exported error class prints its own name', async (name) => {
    const exports: Record<string, unknown> = await import(name);
    for (const [key, value] of Object.entries(exports)) {
      if (!isClass(value) || !(value.prototype instanceof Error)) continue;
      const Ctor = value as unknown as new (...args: unknown[]) => Error;
      const error = key === 'ExceptionGroup' ? new Ctor([new Error('x')], 'msg') : new Ctor('msg');
      expect(error.name, key).toBe(key);
      // Constructors take different arguments; the first line starts with the class name.
      expect(inspect(error).split('\n')[0], key).toMatch(new RegExp(`^${key}\\b(?!\\$)`));
    }
  });

  it('console.log of a CancelledError starts with its own name', () => {
    const line = inspect(new CancelledError('Received SIGINT')).split('\n')[0];
    expect(line).toBe('CancelledError: Received SIGINT');
    expect(inspect(new TimeoutError('too slow')).split('\n')[0]).toBe('TimeoutError: too slow');
    expect(inspect(new ExceptionGroup([new Error('a')], 'two')).split('\n')[0]).toMatch(
      /^ExceptionGroup: two/,
    );
  });

  it("Node's report of an uncaught CancelledError names the class", async () => {
    const { code, stderr } = await runModule(
      `import { CancelledError } from '@aiotools/core';
throw new CancelledError('Received SIGINT');`,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^CancelledError: Received SIGINT$/m);
    expect(stderr).not.toMatch(/_CancelledError/);
  });

  it('run() cancelled by SIGINT: the uncaught rejection reads CancelledError', async () => {
    // The child signals its own pid once run() has installed its handler.
    const { code, stderr } = await runModule(
      `import { sleep } from '@aiotools/core';
import { run } from '@aiotools/scope';
await run(async () => {
  process.kill(process.pid, 'SIGINT');
  await sleep(10_000);
});`,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^CancelledError: Received SIGINT$/m);
    expect(stderr).not.toMatch(/_CancelledError/);
  });
});

describe('default names in messages of the built packages', () => {
  it('TaskScope and Supervisor name themselves after their class', async () => {
    const scope = new TaskScope();
    const supervisor = new Supervisor();
    expect(scope.name).toMatch(/^TaskScope-\d+$/);
    expect(supervisor.name).toMatch(/^Supervisor-\d+$/);
    await scope.aclose();
    await supervisor.aclose();
    expect(() => scope.spawn(async () => {})).toThrow(
      new RegExp(`^TaskScope "${scope.name}" has exited: no new tasks can be started$`),
    );
    expect(() => supervisor.spawn(async () => {})).toThrow(
      new RegExp(`^Supervisor "${supervisor.name}" has exited: no new tasks can be started$`),
    );
  });

  it('a queue describes itself with its class name', () => {
    const queue = new Queue<number>();
    expect(String(queue)).toBe('Queue(size=0)');
    expect(Object.prototype.toString.call(queue)).toBe('[object Queue]');
  });
});
