// Every example of the documentation runs, as a program, against the built packages: the
// ```ts blocks of the READMEs (root, packages/*, apps/*), of docs/**/*.md and of the TSDoc
// @example tags (scripts/examples-collect.mjs finds them; scripts/check-examples.mjs
// type-checks the same blocks). Each block is transpiled (TypeScript's transpileModule) and run
// by `node` in a fresh process, in a folder of its own, with scripts/examples-prelude.mjs
// preloaded: the VirtualClock installed, so an example that sleeps for minutes ends at once,
// and the user's own code the examples call (`fetchUser`, `db`, ...) defined as globals.
//
// An example passes when it exits with 0 (or the code SETTINGS says) within its time limit:
// no uncaught error, no unhandled rejection, no top-level await left unsettled (node exits
// with 13), no process of its group left behind. An example that shows an error catches it
// and prints it. Three rules need no entry:
// - a block that makes a VirtualClock itself runs without the prelude's (clocks do not nest);
// - a comment `// job.js: export default …` in a block is the companion module it forks;
// - a block whose comment documents an error (`validateDuration(-1, 'ms'); // RangeError: …`)
//   may end by that error, uncaught, with that message, and by no other.
// SETTINGS below lists the blocks that need something else, with why: real time (servers,
// child processes), a signal to stop, companion files, an error shown on purpose, a known bug
// (expected to fail until fixed), or no run at all. An entry that matches no block fails.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectExamples,
  type Example,
  exampleBase,
  stalePartials,
} from '../../scripts/examples-collect.mjs';
import { type RunResult, runExample, type StopWhen } from './examples-runner.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Run time of one example, real milliseconds (twice that for one on real time). */
const TIMEOUT = 10_000;
const CONCURRENCY = Math.max(1, Math.min(4, availableParallelism()));

/** What a block needs besides the defaults (virtual clock, exit 0, {@link TIMEOUT}). */
interface Setting {
  readonly file: string;
  /** A line (or part of one) of the block, which picks it among the blocks of `file`. */
  readonly has: string;
  readonly why: string;
  /** Not run at all. */
  readonly skip?: true;
  /**
   * A known bug of the example, not fixed yet (it is in a TSDoc comment, outside the samples
   * this test may fix): the run is expected to fail, and the test says so once it passes.
   */
  readonly knownBug?: true;
  /** `real`: no VirtualClock (the example runs servers or child processes in real time). */
  readonly clock?: 'real';
  /** The example serves until it gets a signal: when and which. */
  readonly stop?: StopWhen;
  readonly exitCode?: number;
  /** The example is ended by the stop signal itself (it installs no handler for it). */
  readonly exitSignal?: NodeJS.Signals;
  /** The example ends by throwing this error, on purpose: exit code 1, stderr matching. */
  readonly throws?: RegExp;
  /** Text stdout / stderr must contain (what the example is documented to print). */
  readonly stdout?: RegExp;
  readonly stderr?: RegExp;
  /** Companion files next to the example (`job.js`, `dist/worker.js`). */
  readonly files?: Readonly<Record<string, string>>;
  /** Companion modules that are other blocks of the same file: name → a line of that block. */
  readonly fromBlocks?: Readonly<Record<string, string>>;
  /** Code run before the block, for names it `declare`s itself. */
  readonly before?: string;
  readonly timeout?: number;
}

const SERVER = (listening: number, request = '/'): StopWhen => ({
  signal: 'SIGTERM',
  listening,
  request,
});

/** Companion modules of the fork examples: small, realistic jobs. */
const JOB = {
  /** Doubles its argument after a little work: `afork(job, { args: [21] })` exits with 42. */
  double: `export default async function double(n = 1) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return n * 2;
}
`,
  /** Runs until it is signalled: a worker, a watcher. */
  forever: `export default async function watch() {
  await new Promise((resolve) => setInterval(() => {}, 60_000));
}
`,
  /** Fails before it is ready: its top level throws. */
  broken: `if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
export async function main() {
  return 0;
}
`,
  crawl: `export default async function crawl() {
  for (const page of ['/', '/about', '/blog']) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    console.log('crawled', page);
  }
  return 0;
}
`,
  /** An HTTP server that stops on SIGINT, with the handler installed at its top level. */
  server: `import { createServer } from 'node:http';

let server;
let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
  server?.close();
});
export async function serve({ port }) {
  server = createServer((_req, res) => res.end('ok\\n'));
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  if (stopping) server.close();
  await new Promise((resolve) => server.once('close', resolve));
  return 0;
}
`,
  math: `export function add(a, b) {
  return a + b;
}
`,
  digest: `import { createHash } from 'node:crypto';

export default function digest(text) {
  return createHash('sha256').update(text).digest('hex');
}
`,
  hash: `import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export default function hash(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
`,
  done: `export default async function job() {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return 'done';
}
`,
};

/** The blocks that need more than the defaults, each with why. */
const SETTINGS: Setting[] = [
  // --- cannot run as a program -------------------------------------------------------------
  {
    file: 'packages/vclock/README.md',
    has: "import { afterEach, beforeEach, expect, it } from 'vitest';",
    why: 'a vitest test file: it runs under the vitest runner, not as a program',
    skip: true,
  },
  // --- servers: stopped by a signal once listening -----------------------------------------
  {
    file: 'packages/server/README.md',
    has: 'numWorkers: 4,',
    why: 'node:cluster workers serving HTTP until SIGTERM',
    clock: 'real',
    stop: SERVER(4, '/readyz'),
    stdout: /primary: every worker has exited \(SIGTERM\)/,
  },
  {
    file: 'packages/server/README.md',
    has: "mode: 'inline', waitTimeout: 20_000",
    why: 'an inline server serving HTTP until SIGTERM',
    clock: 'real',
    stop: SERVER(1),
  },
  {
    file: 'packages/server/README.md',
    has: 'extraProcs: [flusher]',
    why: 'workers and an extra process that flushes every real second, until SIGTERM',
    clock: 'real',
    stop: { signal: 'SIGTERM', stdout: /flushes the metrics/ },
  },
  {
    file: 'packages/server/README.md',
    has: "args: ['hello']",
    why: 'node:cluster workers serving HTTP until SIGTERM',
    clock: 'real',
    stop: SERVER(2),
    stdout: /worker \d stops on SIGTERM/,
  },
  {
    file: 'packages/server/README.md',
    has: 'a Map survives the trip to the workers',
    why: 'node:cluster workers that serve until SIGTERM',
    clock: 'real',
    stop: { signal: 'SIGTERM', stdout: /serving local at 100 rps/, count: 2 },
    stdout: /primary stopped by SIGTERM/,
  },
  {
    file: 'packages/server/README.md',
    has: "process.once('SIGTERM'",
    why: 'an HTTP server drained on SIGTERM',
    clock: 'real',
    stop: SERVER(1),
    stdout: /drained/,
  },
  {
    file: 'packages/server/README.md',
    has: 'SHUTDOWN_DELAY_MS',
    why: 'node:cluster workers serving HTTP until SIGTERM',
    clock: 'real',
    stop: SERVER(2, '/readyz'),
  },
  {
    file: 'packages/server/src/drain-http-server.ts',
    has: 'timeout: Number.POSITIVE_INFINITY',
    why: 'an HTTP server drained on SIGTERM',
    clock: 'real',
    stop: SERVER(1),
  },
  {
    file: 'packages/server/src/drain-http-server.ts',
    has: '{ timeout: 5000 }',
    why: 'an HTTP server drained on SIGTERM',
    clock: 'real',
    stop: SERVER(1),
  },
  {
    file: 'packages/server/src/main-context.ts',
    has: "yield ['config-v1']",
    why: 'a node:cluster worker that serves until SIGTERM',
    clock: 'real',
    stop: { signal: 'SIGTERM', stdout: /worker runs with config-v1/ },
    stdout: /primary stopped by SIGTERM/,
  },
  {
    file: 'packages/server/src/server-context.ts',
    has: 'numWorkers: 2',
    why: 'node:cluster workers serving HTTP until SIGTERM',
    clock: 'real',
    stop: SERVER(2),
    stdout: /worker \d stops on SIGTERM/,
  },
  {
    file: 'packages/server/src/start-server.ts',
    has: "onReady: () => console.log('listening on 8080')",
    why: 'node:cluster workers serving HTTP until SIGTERM',
    clock: 'real',
    stop: { ...SERVER(4), stdout: /listening on 8080/ },
  },
  {
    file: 'packages/context/src/context-var.ts',
    has: "server.on('request'",
    why: 'a request handler of an HTTP server, which serves until the process is stopped',
    stop: SERVER(1),
    exitSignal: 'SIGTERM',
  },
  ...[
    ['packages/scope/README.md', '{ exitOnSignal: true },'],
    ['packages/scope/src/run.ts', 'tg.spawn(consumeQueue);'],
    ['packages/scope/src/run.ts', 'await run(serveHttp, { exitOnSignal: true });'],
  ].map(
    ([file, has]): Setting => ({
      file: file!,
      has: has!,
      why: 'serves until Ctrl-C; documented to exit with 130 after "Stopped by SIGINT"',
      stop: { signal: 'SIGINT', listening: 1 },
      exitCode: 130,
      stderr: /Stopped by SIGINT/,
    }),
  ),
  // --- child processes and worker threads: real time, companion modules --------------------
  {
    file: 'packages/fork/README.md',
    has: "exportName: 'main',\n    args: ['world'],",
    why: "forks the README's job.ts (the block before it)",
    clock: 'real',
    fromBlocks: { 'job.js': '// job.ts' },
    stdout: /hello, world\nchild \d+ exited with 0/,
  },
  {
    file: 'packages/fork/README.md',
    has: "afork('./dist/crawl.js'",
    why: 'forks a crawler',
    clock: 'real',
    files: { 'dist/crawl.js': JOB.crawl },
    stdout: /crawled \/blog/,
  },
  {
    file: 'packages/fork/README.md',
    has: "exportName: 'serve'",
    why: 'forks an HTTP server and stops it with SIGINT',
    clock: 'real',
    files: { 'server.js': JOB.server },
    stdout: /^0$/m,
  },
  {
    file: 'packages/fork/README.md',
    has: "afork('./dist/worker.js', { processGroup: true })",
    why: 'forks a worker that runs until it is terminated',
    clock: 'real',
    files: { 'dist/worker.js': JOB.forever },
  },
  {
    file: 'packages/fork/README.md',
    has: "executor.run<number>('./math.js'",
    why: 'runs a function in worker threads',
    clock: 'real',
    files: { 'math.js': JOB.math },
  },
  {
    file: 'packages/fork/README.md',
    has: "new URL('./digest.js', import.meta.url)",
    why: 'runs a function in worker threads',
    clock: 'real',
    files: { 'digest.js': JOB.digest },
    stdout: /^[0-9a-f]{64}$/m,
  },
  {
    file: 'packages/fork/README.md',
    has: "await afork('./dist/job.js', { exportName: 'main', readyTimeout: 5_000 });",
    why: 'forks a job that fails before it is ready, to show the ForkError',
    clock: 'real',
    files: { 'dist/job.js': JOB.broken },
    stderr: /exit 1:\n[\s\S]*DATABASE_URL is not set/,
  },
  {
    file: 'packages/fork/src/afork.ts',
    has: "exportName: 'main', args: [42]",
    why: 'forks a job',
    clock: 'real',
    files: { 'job.js': 'export async function main(n) {\n  return n;\n}\n' },
  },
  {
    file: 'packages/fork/src/child-process.ts',
    has: 'const quick: TerminateOptions',
    why: 'forks a job that runs until it is terminated',
    clock: 'real',
    files: { 'job.js': JOB.forever },
  },
  {
    file: 'packages/fork/src/child-process.ts',
    has: "child.sendSignal('SIGINT');",
    why: 'forks a job and interrupts it',
    clock: 'real',
    files: { 'job.js': JOB.forever },
    stdout: /^-2$/m,
  },
  {
    file: 'packages/fork/src/create-executor.ts',
    has: "new URL('./digest.js', import.meta.url)",
    why: 'runs a function in worker threads',
    clock: 'real',
    files: { 'digest.js': JOB.digest },
  },
  ...[
    ['packages/fork/src/executor.ts', "'./math.js', options"],
    ['packages/fork/src/executor.ts', "executor.run<number>('./math.js', {"],
  ].map(
    ([file, has]): Setting => ({
      file: file!,
      has: has!,
      why: 'runs a function in worker threads',
      clock: 'real',
      files: { 'math.js': JOB.math },
    }),
  ),
  {
    file: 'packages/fork/src/executor.ts',
    has: "new URL('./hash.js', import.meta.url)",
    why: 'hashes two files in worker threads',
    clock: 'real',
    files: { 'hash.js': JOB.hash, 'a.txt': 'alpha\n', 'b.txt': 'beta\n' },
  },
  ...[
    ['packages/fork/src/executor.ts', "await executor.run('./job.js');\n} finally"],
    ['packages/fork/src/executor.ts', '} // closed here'],
  ].map(
    ([file, has]): Setting => ({
      file: file!,
      has: has!,
      why: 'runs a job in worker threads',
      clock: 'real',
      files: { 'job.js': JOB.done },
    }),
  ),
  {
    file: 'packages/fork/src/fork-error.ts',
    has: "await afork(new URL('./job.js', import.meta.url), { exportName: 'main' });",
    why: 'forks a job that fails before it is ready, to show the ForkError',
    clock: 'real',
    files: { 'job.js': JOB.broken },
    stderr: /DATABASE_URL is not set/,
  },
  // --- blocks of the docs folder -------------------------------------------------------------
  // (their `// job.js: …` companions and their own VirtualClock are seen by the rules above)
  // --- TSDoc blocks that print what they are documented to print ---------------------------
  {
    file: 'packages/fork/src/fork-error.ts',
    has: "new ForkError('The child failed', details);",
    why: 'builds a ForkError and prints its details',
    stdout: /^ForkError 1 null boom$/m,
  },
  {
    file: 'packages/core/src/sleep.ts',
    has: '// rejects after 100 ms',
    why: 'catches the rejection of an aborted sleep and prints its name',
    stdout: /^TimeoutError$/m,
  },
  {
    file: 'packages/timer/src/interval.ts',
    has: "console.log('tick', n);",
    why: 'the loop ends by the TimeoutError of its signal, caught and printed',
    stdout: /tick 9\nTimeoutError\n/,
  },
  {
    file: 'packages/func/src/call-on-cancel.ts',
    has: 'tg.spawn(() => callOnCancel(() => connection.close()));',
    why: 'the group is cancelled and the connection closed',
    stdout: /^connection closed$/m,
  },
  {
    file: 'packages/func/src/lru-cache.ts',
    has: 'lruCache((id: number) => fetchUser(id)',
    why: 'two concurrent calls share one computation',
    stdout: /^true\n\{ hits: 1, misses: 1, maxsize: 1000, currsize: 1 \}$/m,
  },
  // --- names a block declares itself ---------------------------------------------------------
  {
    file: 'packages/core/README.md',
    has: 'declare const maxsize: unknown;',
    why: 'validates an option `maxsize` it declares: given one',
    before: 'const maxsize = 100;\n',
  },
];

/**
 * `// job.js: export default …` at the top of a block is its companion module, written inline:
 * the example gets that file.
 */
function inlineFiles(code: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const match of code.matchAll(/^\/\/ ([\w./-]+\.m?js): (export .+)$/gm)) {
    files[match[1]!] = `${match[2]}\n`;
  }
  return files;
}

/** A block that makes a VirtualClock itself runs without the prelude's: clocks do not nest. */
const ownClock = (code: string): boolean =>
  /\bnew VirtualClock\(|\binstallVirtualClock\(/.test(code);

/**
 * The errors a block documents in a comment (`validate(-1); // RangeError: Expected …`): the
 * block may end by the first of them, uncaught, with that message.
 */
function documentedError(code: string): RegExp | undefined {
  const match = /^\s*(?:.*;\s*)?\/\/\s*([A-Z]\w*Error)\b(?::\s*([^…\n]*))?/m.exec(code);
  if (!match) return undefined;
  const text = match[2]?.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&') ?? '';
  return new RegExp(`${match[1]}${text ? `: ${text}` : '\\b'}`);
}

const settingOf = new Map<Example, Setting>();
const used = new Set<Setting>();
function settingFor(example: Example): Setting | undefined {
  const found = SETTINGS.find((s) => s.file === example.file && example.code.includes(s.has));
  if (found) used.add(found);
  return found;
}

const allExamples = collectExamples(root);
const examples = allExamples.filter((e) => !e.fragment && e.partial === undefined);
for (const example of examples) {
  const setting = settingFor(example);
  if (setting) settingOf.set(example, setting);
}

// The packages as users install them: node_modules/<name> → packages/<dir> (its exports lead
// to dist/), in a scratch folder outside the repository.
const runDir = mkdtempSync(join(tmpdir(), 'aiotools-examples-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));
writeFileSync(join(runDir, 'package.json'), '{ "type": "module", "private": true }\n');
for (const dir of readdirSync(join(root, 'packages'))) {
  const manifest = join(root, 'packages', dir, 'package.json');
  if (!existsSync(manifest)) continue;
  const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
  const link = join(runDir, 'node_modules', name);
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(join(root, 'packages', dir), link, 'dir');
}
writeFileSync(
  join(runDir, 'prelude.mjs'),
  readFileSync(join(root, 'scripts', 'examples-prelude.mjs'), 'utf8'),
);
const preload = pathToFileURL(join(runDir, 'prelude.mjs')).href;

function transpile(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: true,
    },
    reportDiagnostics: false,
  }).outputText;
}

/** A limit on the examples running at once: each is a node process. */
let running = 0;
const waiting: Array<() => void> = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function explain(result: RunResult): string {
  return [
    `exit code ${result.code}, signal ${result.signal}${result.timedOut ? ', TIMED OUT' : ''}${result.leftover ? ', left a process behind' : ''} after ${result.ms} ms`,
    `--- stdout\n${result.stdout}`,
    `--- stderr\n${result.stderr}`,
  ].join('\n');
}

/** Runs one example in its own folder; never rejects. */
async function runOne(example: Example, setting: Setting | undefined): Promise<RunResult> {
  const dir = join(runDir, exampleBase(example));
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = { ...inlineFiles(example.code), ...setting?.files };
  for (const [name, has] of Object.entries(setting?.fromBlocks ?? {})) {
    const block = allExamples.find((e) => e.file === example.file && e.code.includes(has));
    if (block === undefined) throw new Error(`${example.file}: no block has ${has}`);
    files[name] = transpile(block.code);
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, 'main.js'), `${setting?.before ?? ''}${transpile(example.code)}`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.EXAMPLES_CLOCK = setting?.clock ?? (ownClock(example.code) ? 'real' : 'virtual');
  return runExample('main.js', {
    cwd: dir,
    preload,
    env,
    timeout: setting?.timeout ?? (setting?.clock === 'real' ? 2 * TIMEOUT : TIMEOUT),
    stop: setting?.stop,
  });
}

// `EXAMPLES_ONLY=packages/core/README.md` (a part of `file:line`) runs only the matching ones.
const only = process.env.EXAMPLES_ONLY;
const toRun = examples.filter(
  (e) => !settingOf.get(e)?.skip && (only === undefined || `${e.file}:${e.line}`.includes(only)),
);
const results = new Map<Example, RunResult>();

// All of them up front, CONCURRENCY at a time, so that the tests below (one per example) run
// one after the other with nothing else in flight: the shared setup's leak check holds.
beforeAll(async () => {
  const started = performance.now();
  await Promise.all(
    toRun.map((example) =>
      limited(async () => {
        results.set(example, await runOne(example, settingOf.get(example)));
      }),
    ),
  );
  const total = Math.round(performance.now() - started);
  const slowest = [...results]
    .sort(([, a], [, b]) => b.ms - a.ms)
    .slice(0, 5)
    .map(([e, r]) => `${e.file}:${e.line} ${r.ms} ms`);
  console.log(
    `examples: ${results.size} run in ${total} ms, ${CONCURRENCY} at a time; slowest: ${slowest.join(', ')}`,
  );
}, 900_000);

/** Checks one result against what its setting (or the defaults) expects. */
function check(where: string, result: RunResult, setting: Setting | undefined, code: string): void {
  const message = `${where}\n${explain(result)}`;
  expect(result.timedOut, message).toBe(false);
  expect(result.leftover, message).toBe(false);
  const documented = setting?.throws ?? documentedError(code);
  if (setting?.throws !== undefined || (documented !== undefined && result.code !== 0)) {
    // Ends by the error it documents (and no other).
    expect(result.code, message).toBe(1);
    expect(result.stderr, message).toMatch(documented!);
  } else if (setting?.exitSignal !== undefined) {
    expect(result.signal, message).toBe(setting.exitSignal);
  } else {
    expect(result.code, message).toBe(setting?.exitCode ?? 0);
  }
  if (setting?.stop) expect(result.stopped, message).toBe(true);
  if (setting?.stop?.request !== undefined) expect(result.status, message).toBe(200);
  if (setting?.stdout) expect(result.stdout, message).toMatch(setting.stdout);
  if (setting?.stderr) expect(result.stderr, message).toMatch(setting.stderr);
}

describe('examples run', () => {
  for (const example of examples) {
    const where = `${example.file}:${example.line}`;
    const setting = settingOf.get(example);
    if (setting?.skip) {
      it.skip(`${where} (not run: ${setting.why})`, () => {});
      continue;
    }
    if (!toRun.includes(example)) continue;
    const test = setting?.knownBug ? it.fails : it;
    const name = setting?.knownBug ? `${where} (known bug: ${setting.why})` : where;
    test(name, () => {
      const result = results.get(example);
      if (result === undefined) throw new Error(`${where} did not run`);
      check(where, result, setting, example.code);
    });
  }
});

it('every entry of SETTINGS and PARTIAL names a block that exists', () => {
  expect(SETTINGS.filter((s) => !used.has(s)).map((s) => `${s.file}: ${s.has}`)).toEqual([]);
  expect(stalePartials().map((p) => `${p.file}: ${p.start}`)).toEqual([]);
});

it('the runtime prelude defines every name that examples-prelude.d.ts declares', async () => {
  const declared = readFileSync(join(root, 'scripts', 'examples-prelude.d.ts'), 'utf8');
  const names = [...declared.matchAll(/^declare (?:const|function) (\w+)/gm)].map((m) => m[1]);
  expect(names.length).toBeGreaterThan(10);
  const dir = join(runDir, '_names');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'main.js'),
    `const missing = ${JSON.stringify(names)}.filter((n) => !Object.hasOwn(globalThis, n));
console.log(JSON.stringify(missing));\n`,
  );
  const result = await limited(() =>
    runExample('main.js', {
      cwd: dir,
      preload,
      env: { ...process.env, EXAMPLES_CLOCK: 'virtual' },
      timeout: TIMEOUT,
    }),
  );
  expect(result.code, explain(result)).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual([]);
});
