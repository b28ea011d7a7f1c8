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
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import {
  buildPackages,
  listPackages,
  mapLimit,
  packPackages,
  parseArgs,
  pinnedPnpm,
  report,
  root,
  run,
  tempFolder,
} from './lib/pack.mjs';

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

const { flag, only } = parseArgs(
  'node scripts/check-publish.mjs [--skip-build] [--only=DIR[,DIR…]]',
);

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
  const { packages } = await listPackages(only);
  console.log(`Linting ${packages.length} packed packages with publint and attw`);

  const pnpm = await pinnedPnpm();
  if (!flag('skip-build') && (await buildPackages(pnpm.env)) !== undefined) {
    console.log('build failed (see `pnpm build`); checking the dist/ folders as they are');
  }

  const temp = await tempFolder('check-publish');
  try {
    const tarballOf = await packPackages(pnpm, packages, temp.path);
    const results = await mapLimit(packages, CONCURRENCY, async (pkg) => {
      const tarball = tarballOf.get(pkg.name);
      const problems = [];
      try {
        problems.push(...(await publintProblems(tarball)));
        problems.push(...(await attwProblems(tarball)));
      } catch (error) {
        problems.push(error.message);
      }
      return { pkg, problems };
    });
    const failed = report(results, started);
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await temp.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
