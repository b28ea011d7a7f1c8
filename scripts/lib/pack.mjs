// What scripts/check-packages.mjs and scripts/check-publish.mjs share: reading the command line
// (--skip-build, --only), running commands, listing the public packages under packages/,
// building them, packing them with the pinned pnpm (which rewrites the workspace: ranges and
// applies "files"), a bounded pool for the per-package work and the closing report.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PNPM = 'pnpm@10.34.8';

/**
 * Reads process.argv: `--skip-build` and `--only=DIR[,DIR…]` are always accepted, besides the
 * script's own `flags` (`--keep`) and `options` (`--node=PATH`). Anything else prints `usage`
 * and exits with code 2.
 */
export function parseArgs(usage, { flags = [], options = [] } = {}) {
  const args = process.argv.slice(2);
  const known = ['skip-build', ...flags, ...['only', ...options].map((name) => `${name}=.+`)];
  const pattern = new RegExp(`^--(${known.join('|')})$`);
  const unknown = args.filter((a) => !pattern.test(a));
  if (unknown.length > 0) {
    console.error(`Unknown argument(s): ${unknown.join(' ')}`);
    console.error(`Usage: ${usage}`);
    process.exit(2);
  }
  const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const flag = (name) => args.includes(`--${name}`);
  return { option, flag, only: option('only')?.split(',').filter(Boolean) };
}

/** Runs a command; resolves with its output, rejects with an error that includes the output. */
export async function sh(file, argv, options = {}) {
  try {
    return await run(file, argv, { maxBuffer: 64 * 1024 * 1024, ...options });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`${[file, ...argv].join(' ')} failed${output ? `:\n${output}` : ''}`);
  }
}

/**
 * The public packages under packages/ as `{ dir, name, version }`, sorted by folder: `published`
 * all of them, `packages` those `only` names (all when it is undefined). A folder in `only` that
 * is not a public package prints an error and exits with code 2.
 */
export async function listPackages(only) {
  const published = [];
  for (const dir of (await readdir(join(root, 'packages'))).sort()) {
    let manifest;
    try {
      manifest = JSON.parse(await readFile(join(root, 'packages', dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (manifest.private) continue;
    published.push({ dir, name: manifest.name, version: manifest.version });
  }
  const packages = published.filter((p) => only === undefined || only.includes(p.dir));
  if (only !== undefined && packages.length !== only.length) {
    const found = packages.map((p) => p.dir);
    console.error(`No such package: ${only.filter((d) => !found.includes(d)).join(', ')}`);
    process.exit(2);
  }
  return { published, packages };
}

/**
 * The pinned pnpm, fetched once by npx, and an environment with it first on PATH: turbo needs it
 * there to run the build scripts, and `pnpm pack` rewrites the workspace: ranges.
 */
export async function pinnedPnpm() {
  const { stdout } = await sh('npx', ['-y', '-p', PNPM, '-c', 'command -v pnpm'], { cwd: root });
  const pnpm = stdout.trim().split('\n').at(-1);
  return { pnpm, env: { ...process.env, PATH: `${dirname(pnpm)}${delimiter}${process.env.PATH}` } };
}

/**
 * Builds every package with turbo. Resolves with undefined when the build succeeded, else with
 * the names of the packages whose build failed (empty when turbo's output names none);
 * --continue, so one broken package does not hide the state of the others.
 */
export async function buildPackages(env) {
  try {
    await sh('npx', ['turbo', 'run', 'build', '--filter=./packages/*', '--continue'], {
      cwd: root,
      env,
    });
    return undefined;
  } catch (error) {
    return [...new Set([...error.message.matchAll(/(@aiotools\/[\w-]+)#build/g)].map((m) => m[1]))];
  }
}

/**
 * Packs `packages` with the pinned pnpm into `destination`; resolves with a Map from each
 * package's name to its tarball.
 */
export async function packPackages({ pnpm, env }, packages, destination) {
  const filters = packages.map((p) => `--filter=./packages/${p.dir}`);
  await sh(pnpm, ['-r', ...filters, 'pack', '--pack-destination', destination], {
    cwd: root,
    env,
  });
  return new Map(
    packages.map((p) => [
      p.name,
      join(destination, `${p.name.replace(/^@/, '').replace('/', '-')}-${p.version}.tgz`),
    ]),
  );
}

/**
 * A new temporary folder, `aiotools-<name>-…`, with the function that removes it; Ctrl-C removes
 * it too before the process exits with code 130.
 */
export async function tempFolder(name) {
  const path = await mkdtemp(join(tmpdir(), `aiotools-${name}-`));
  const cleanup = () => rm(path, { recursive: true, force: true });
  process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));
  return { path, cleanup };
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Prints one line per `{ pkg, problems }` result (`ok`, followed by `detail(result)` when given,
 * or `FAIL` and the problems), then the totals since `started`; returns how many failed.
 */
export function report(results, started, detail) {
  let failed = 0;
  for (const result of results) {
    const { pkg, problems } = result;
    if (problems.length === 0) {
      console.log(`ok    ${pkg.name}@${pkg.version}${detail ? ` ${detail(result)}` : ''}`);
    } else {
      failed++;
      console.log(`FAIL  ${pkg.name}@${pkg.version}`);
      for (const problem of problems) {
        console.log(`        - ${problem.replaceAll('\n', '\n          ')}`);
      }
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${results.length - failed} passed, ${failed} failed (${seconds} s)`);
  return failed;
}
