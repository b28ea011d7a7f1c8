#!/usr/bin/env node
// Runs the model-based property tests (random task trees with cancellations, shields, deadlines
// and failures; CancelScope's catch rule; queues under cancellation storms) with many more cases
// than `pnpm test` does, against the sources.
//
//   pnpm test:property [--runs=10000] [--seed=N] [file filter ...]
//
// --runs  cases per property (default 10000; `pnpm test` runs 60 to 300)
// --seed  replay a run: the seed it printed (default: a fresh seed, printed)
// Each property test prints its cases and seed; the summary gives the Node version and the time.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = [
  'packages/cancel/src/cancel-scope.property.test.ts',
  'packages/scope/src/scope.property.test.ts',
  'packages/sync/src/queue.property.test.ts',
];

const args = process.argv.slice(2);
const usage = 'Usage: pnpm test:property [--runs=N] [--seed=N] [file filter ...]';
const value = (name) => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  const [arg] = args.splice(i, 1);
  if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
  const [next] = args.splice(i, 1);
  return next;
};
const runs = value('runs') ?? '10000';
const seed = value('seed') ?? String((Date.now() ^ Math.floor(Math.random() * 0x1_0000_0000)) | 0);
for (const [name, raw] of [
  ['--runs', runs],
  ['--seed', seed],
]) {
  if (!/^-?\d+$/.test(raw ?? '')) {
    console.error(`${name} must be an integer, got ${raw}\n${usage}`);
    process.exit(2);
  }
}
const unknown = args.filter((a) => a.startsWith('-'));
if (unknown.length > 0) {
  console.error(`Unknown argument(s): ${unknown.join(' ')}\n${usage}`);
  process.exit(2);
}
const files = args.length > 0 ? FILES.filter((f) => args.some((a) => f.includes(a))) : FILES;
if (files.length === 0) {
  console.error(`No property test matches ${args.join(' ')}; they are:\n  ${FILES.join('\n  ')}`);
  process.exit(2);
}

console.log(`Property tests: ${runs} cases each, seed ${seed}, Node ${process.version}`);
const started = performance.now();
const result = spawnSync(
  'npx',
  ['vitest', 'run', '--project', 'src', '--reporter=verbose', ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PROPERTY_RUNS: runs, PROPERTY_SEED: seed },
  },
);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `Property tests ${result.status === 0 ? 'passed' : 'FAILED'}: ${runs} cases each, seed ${seed}, ` +
    `Node ${process.version}, ${seconds} s (replay: pnpm test:property --runs=${runs} --seed=${seed})`,
);
process.exitCode = result.status ?? 1;
