#!/usr/bin/env node
// Lints every package under packages/ as it would be published: built, packed by pnpm (workspace:
// ranges rewritten, "files" applied), then the tarball checked by
//
// - publint in strict mode: a warning is a failure, and so is a suggestion;
// - Are the Types Wrong? (attw): every "exports" entry must resolve to JavaScript and to its
//   declarations, for an importer and for a require()r, under TypeScript's node16 resolution
//   and under bundler resolution.
//
// The attw profile, and why: the packages are ES modules only ("type": "module", no CommonJS
// build), and require() of them works through Node's require(esm), which is on by default from
// Node 20.19 and 22.12 — the minimum this family supports (engines.node ">=20.19").
// scripts/check-packages.mjs proves it on every supported Node: it require()s each entry of the
// installed tarball and runs the package's smoke test through require. attw's
// `cjs-resolves-to-esm` rule predates require(esm) and reports exactly that ("CommonJS
// consumers will need to use a dynamic import"), so it is the one rule ignored. Every other rule
// stays on for the CommonJS view too: a require()r must still find the declarations (TypeScript
// accepts require() of an ES module under `module: nodenext` since 5.8). The `node16` profile
// drops only the `node10` resolution, TypeScript's pre-exports `moduleResolution: node`, which
// cannot see subpaths such as `@aiotools/core/internal` or `aiotools/scope` and is deprecated as
// of TypeScript 6.0. Not the `esm-only` profile: it would skip the CommonJS view entirely.
//
//   node scripts/check-publish.mjs [--skip-build] [--only=DIR[,DIR…]]
//
// --skip-build  reuse the existing dist/ folders
// --only        check only these packages (folder names under packages/, e.g. --only=core)
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PNPM = 'pnpm@10.34.8';
const CONCURRENCY = 2;
const ATTW_ARGS = [
  '--profile',
  'node16',
  '--ignore-rules',
  'cjs-resolves-to-esm',
  // The packages ship their own declarations: nothing to look up in DefinitelyTyped (and no
  // registry request).
  '--no-definitely-typed',
  '--format',
  'table-flipped',
  '--no-color',
  '--no-emoji',
];

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const flag = (name) => args.includes(`--${name}`);
const unknown = args.filter((a) => !/^--(skip-build|only=.+)$/.test(a));
if (unknown.length > 0) {
  console.error(`Unknown argument(s): ${unknown.join(' ')}`);
  console.error('Usage: node scripts/check-publish.mjs [--skip-build] [--only=DIR[,DIR…]]');
  process.exit(2);
}
const only = option('only')?.split(',').filter(Boolean);

/** Runs a command; resolves with its output, rejects with an error that includes the output. */
async function sh(file, argv, options = {}) {
  try {
    return await run(file, argv, { maxBuffer: 64 * 1024 * 1024, ...options });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`${[file, ...argv].join(' ')} failed${output ? `:\n${output}` : ''}`);
  }
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimit(items, limit, fn) {
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

/** publint's messages for a tarball, every level (suggestions included), strict. */
async function publintProblems(tarball) {
  const data = await readFile(tarball);
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball: buffer }, strict: true });
  return messages.map(
    (message) => `publint (${message.type}): ${formatMessage(message, pkg, { color: false })}`,
  );
}

/** attw's verdict for a tarball under the profile above: its report when it finds a problem. */
async function attwProblems(tarball) {
  const attw = join(root, 'node_modules', '.bin', 'attw');
  try {
    await run(attw, [tarball, ...ATTW_ARGS], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    return [];
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    return [`attw found problems:\n${output || `exit code ${error.code}`}`];
  }
}

async function main() {
  const started = performance.now();
  const packages = [];
  for (const dir of (await readdir(join(root, 'packages'))).sort()) {
    let manifest;
    try {
      manifest = JSON.parse(await readFile(join(root, 'packages', dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (manifest.private) continue;
    if (only !== undefined && !only.includes(dir)) continue;
    packages.push({ dir, name: manifest.name, version: manifest.version });
  }
  if (only !== undefined && packages.length !== only.length) {
    const found = packages.map((p) => p.dir);
    console.error(`No such package: ${only.filter((d) => !found.includes(d)).join(', ')}`);
    process.exit(2);
  }
  console.log(`Linting ${packages.length} packed packages with publint and attw`);

  const { stdout: pnpmPath } = await sh('npx', ['-y', '-p', PNPM, '-c', 'command -v pnpm'], {
    cwd: root,
  });
  const pnpm = pnpmPath.trim().split('\n').at(-1);
  const env = { ...process.env, PATH: `${dirname(pnpm)}${delimiter}${process.env.PATH}` };

  if (!flag('skip-build')) {
    await sh('npx', ['turbo', 'run', 'build', '--filter=./packages/*', '--continue'], {
      cwd: root,
      env,
    }).catch(() => {
      console.log('build failed (see `pnpm build`); checking the dist/ folders as they are');
    });
  }

  const temp = await mkdtemp(join(tmpdir(), 'aiotools-check-publish-'));
  const cleanup = () => rm(temp, { recursive: true, force: true });
  process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));
  try {
    const filters = packages.map((p) => `--filter=./packages/${p.dir}`);
    await sh(pnpm, ['-r', ...filters, 'pack', '--pack-destination', temp], { cwd: root, env });
    const results = await mapLimit(packages, CONCURRENCY, async (pkg) => {
      const tarball = join(
        temp,
        `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`,
      );
      const problems = [];
      try {
        problems.push(...(await publintProblems(tarball)));
        problems.push(...(await attwProblems(tarball)));
      } catch (error) {
        problems.push(error.message);
      }
      return { pkg, problems };
    });
    let failed = 0;
    for (const { pkg, problems } of results) {
      if (problems.length === 0) {
        console.log(`ok    ${pkg.name}@${pkg.version}`);
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
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
