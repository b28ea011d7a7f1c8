#!/usr/bin/env node
// Checks every package under packages/ the way a user receives it: built, packed (workspace:
// ranges rewritten), installed alone from its tarball together with the tarballs of its
// @aiotools dependencies in an empty folder outside the repository, then every entry of its
// "exports" (`@aiotools/core` and `@aiotools/core/internal`) loaded with both `import` and
// `require`, exposing exactly the names its source file (the "@aiotools/source" condition)
// declares. Then the package's smoke test, packages/<dir>/smoke.mjs (a small real use of the
// package, e.g. a TaskGroup running two tasks), runs in that folder twice, each in a process of
// its own: once loading the packages with `import`, once with `require` (Node's require(esm)),
// so the CommonJS form loads the whole graph through require. A package without a smoke test
// fails the check. publint and attw run in scripts/check-publish.mjs.
//
//   node scripts/check-packages.mjs [--node=PATH] [--skip-build] [--keep] [--only=DIR[,DIR…]]
//
// --node      the Node.js binary that loads the installed packages (default: this one)
// --skip-build  reuse the existing dist/ folders
// --keep      keep the temporary folder and print where it is
// --only      check only these packages (folder names under packages/, e.g. --only=core)
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
  sh,
  tempFolder,
} from './lib/pack.mjs';

const CONCURRENCY = 3;
/** ms each form of a smoke test may take: they take well under a second, a hang is a failure. */
const SMOKE_TIMEOUT = 30_000;

const { option, flag, only } = parseArgs(
  'node scripts/check-packages.mjs [--node=PATH] [--skip-build] [--keep] [--only=DIR[,DIR…]]',
  { flags: ['keep'], options: ['node'] },
);
const nodeBin = resolve(option('node') ?? process.execPath);

/**
 * The runtime names an entry's source file (`src/index.ts`, `src/internal.ts`) exports
 * (`export type` and `type X` entries excluded).
 */
function declaredExports(source) {
  const names = new Set();
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const match of code.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    if (match[1]) continue;
    for (const entry of match[2].split(',')) {
      const item = entry.trim();
      if (item === '' || item.startsWith('type ')) continue;
      names.add(
        item
          .split(/\s+as\s+/)
          .at(-1)
          .trim(),
      );
    }
  }
  const declaration =
    /export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([\w$]+)/g;
  for (const match of code.matchAll(declaration)) names.add(match[1]);
  return [...names].sort();
}

/** Problems with the shape of a packed package.json. */
function manifestProblems(manifest, dir) {
  const problems = [];
  if (manifest.type !== 'module') problems.push('"type" is not "module"');
  if (manifest.sideEffects !== false) problems.push('"sideEffects" is not false');
  if (!Array.isArray(manifest.files) || manifest.files.length === 0) {
    problems.push('"files" is missing');
  }
  if (typeof manifest.engines?.node !== 'string') problems.push('"engines.node" is missing');
  if (typeof manifest.description !== 'string' || manifest.description.length === 0) {
    problems.push('"description" is missing');
  } else if (manifest.description.length > 120) {
    problems.push('"description" is longer than 120 characters');
  }
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) {
    problems.push('"keywords" is missing');
  } else {
    const twice = manifest.keywords.filter((k, i) => manifest.keywords.indexOf(k) !== i);
    if (twice.length > 0) problems.push(`"keywords" lists ${[...new Set(twice)].join(', ')} twice`);
  }
  if (manifest.repository?.directory !== `packages/${dir}`) {
    problems.push(`"repository.directory" is not "packages/${dir}"`);
  }
  const main = manifest.exports?.['.'];
  if (typeof main !== 'object' || main === null) {
    problems.push('"exports" has no "." entry with conditions');
  }
  for (const [subpath, entry] of codeEntries(manifest)) {
    const where = subpath === '.' ? '"exports"' : `"exports" entry "${subpath}"`;
    const keys = Object.keys(entry);
    const types = keys.indexOf('types');
    const rest = keys.filter((k) => ['import', 'require', 'node', 'default'].includes(k));
    if (types === -1) problems.push(`${where} has no "types" condition`);
    else if (rest.some((k) => keys.indexOf(k) < types)) {
      problems.push(`"types" is not the first runtime condition of ${where}`);
    }
    if (!rest.includes('default') && !rest.includes('import')) {
      problems.push(`${where} has neither "default" nor "import"`);
    }
    if (typeof entry['@aiotools/source'] !== 'string') {
      problems.push(`${where} has no "@aiotools/source" condition`);
    }
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        problems.push(`${field}.${name} still has the range "${range}"`);
      }
    }
  }
  return problems;
}

/** The "exports" entries with conditions (code, not `./package.json`), as [subpath, conditions]. */
function codeEntries(manifest) {
  return Object.entries(manifest.exports ?? {}).filter(
    ([, entry]) => typeof entry === 'object' && entry !== null,
  );
}

/** Problems with the files of a tarball. */
function contentProblems(files, manifest) {
  const problems = [];
  const required = new Set(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']);
  for (const [, entry] of codeEntries(manifest)) {
    for (const target of Object.values(entry)) {
      if (typeof target === 'string') required.add(target.replace(/^\.\//, ''));
    }
  }
  for (const file of required) {
    if (!files.includes(file)) problems.push(`the tarball lacks ${file}`);
  }
  const tests = files.filter((f) => /(^|\/)__tests__\/|\.(test|spec)(-d)?\.[cm]?[jt]sx?$/.test(f));
  if (tests.length > 0) problems.push(`the tarball contains tests: ${tests.join(', ')}`);
  return problems;
}

/**
 * Loads every entry of the installed package with import and require under `nodeBin`;
 * `entries` lists `{ specifier, source, declared }`, `source` being the file that declares the
 * names (`src/internal.ts`).
 */
async function loadProblems(dir, entries) {
  const script = join(dir, 'load.mjs');
  await writeFile(
    script,
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const names = (ns) => Object.keys(ns).filter((k) => k !== '__esModule' && k !== 'module.exports').sort();
const loaded = {};
for (const specifier of ${JSON.stringify(entries.map((e) => e.specifier))}) {
  loaded[specifier] = { esm: names(await import(specifier)), cjs: names(require(specifier)) };
}
console.log(JSON.stringify(loaded));
`,
  );
  const { stdout } = await sh(nodeBin, [script], { cwd: dir });
  const loaded = JSON.parse(stdout.trim().split('\n').at(-1));
  const problems = [];
  const counts = [];
  for (const { specifier, source, declared } of entries) {
    const { esm, cjs } = loaded[specifier];
    const of = entries.length > 1 ? ` (${specifier})` : '';
    if (esm.length === 0) problems.push(`import()${of} exposes no exports`);
    if (esm.join() !== cjs.join()) {
      problems.push(`import() and require()${of} differ: [${esm}] vs [${cjs}]`);
    }
    const missing = declared.filter((n) => !esm.includes(n));
    const extra = esm.filter((n) => !declared.includes(n));
    if (missing.length > 0) problems.push(`missing exports${of}: ${missing.join(', ')}`);
    if (extra.length > 0) {
      problems.push(`exports${of} not declared in ${source}: ${extra.join(', ')}`);
    }
    counts.push(entries.length > 1 ? `${specifier}: ${esm.length}` : `${esm.length}`);
  }
  return { problems, count: counts.join(', ') };
}

/**
 * Runs packages/<dir>/smoke.mjs in the project where the package is installed: its `smoke(load)`
 * is called once in an ES module with `load = (s) => import(s)` and once in a CommonJS module
 * with `load = (s) => require(s)`, each in a process of its own, so neither form sees modules
 * the other loaded. The smoke module itself stays in the repository (the umbrella's imports
 * the others'); it loads every @aiotools module through `load`, which resolves from the
 * project. Each form must settle and then let the process exit on its own within
 * SMOKE_TIMEOUT: a timer or handle left open is a failure. Resolves with the problems and the
 * slower form's time.
 */
async function smokeProblems(project, dir) {
  const file = join(root, 'packages', dir, 'smoke.mjs');
  try {
    await access(file);
  } catch {
    return { problems: [`no smoke test: packages/${dir}/smoke.mjs is missing`], seconds: 0 };
  }
  const esm = join(project, 'smoke-esm.mjs');
  const cjs = join(project, 'smoke-cjs.cjs');
  await writeFile(
    esm,
    `import { smoke } from ${JSON.stringify(pathToFileURL(file).href)};
await smoke((specifier) => import(specifier));
`,
  );
  // An ES module whose top-level await never settles exits with code 13; the CommonJS form
  // checks the same at exit.
  await writeFile(
    cjs,
    `'use strict';
const { smoke } = require(${JSON.stringify(file)});
let settled = false;
process.on('exit', (code) => {
  if (!settled && code === 0) {
    console.error('smoke() never settled: the process ran out of work while it was pending');
    process.exitCode = 13;
  }
});
smoke(async (specifier) => require(specifier)).then(
  () => {
    settled = true;
  },
  (error) => {
    settled = true;
    console.error(error);
    process.exitCode = 1;
  },
);
`,
  );
  const problems = [];
  let slowest = 0;
  for (const [form, script] of [
    ['import', esm],
    ['require', cjs],
  ]) {
    const started = performance.now();
    try {
      await run(nodeBin, [script], {
        cwd: project,
        timeout: SMOKE_TIMEOUT,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
      const what = error.killed
        ? `did not exit within ${SMOKE_TIMEOUT / 1000} s (hung, or left a timer or handle open)`
        : `failed (exit code ${error.code ?? error.signal})`;
      problems.push(`smoke test (${form}) ${what}${output ? `:\n${output}` : ''}`);
    }
    slowest = Math.max(slowest, (performance.now() - started) / 1000);
  }
  return { problems, seconds: slowest };
}

async function main() {
  const started = performance.now();
  const { stdout: nodeVersion } = await sh(nodeBin, ['--version']);
  // Every public package is packed (a package's @aiotools dependencies come from their
  // tarballs); `packages` are those checked.
  const { published, packages } = await listPackages(only);
  console.log(`Checking ${packages.length} packages with Node ${nodeVersion.trim()}`);

  const pnpm = await pinnedPnpm();
  if (!flag('skip-build')) {
    const failed = await buildPackages(pnpm.env);
    if (failed !== undefined) {
      const which = failed.join(', ') || 'see `pnpm build`';
      console.log(`build failed (${which}); checking the dist/ folders as they are`);
    }
  }

  const temp = await tempFolder('check-packages');
  try {
    const tarballOf = await packPackages(pnpm, published, join(temp.path, 'packs'));

    const check = async (pkg) => {
      const tarball = tarballOf.get(pkg.name);
      const problems = [];
      let count = 0;
      let smoke = 0;
      try {
        const { stdout: listing } = await sh('tar', ['-tzf', tarball]);
        const files = listing
          .split('\n')
          .filter(Boolean)
          .map((f) => f.replace(/^package\//, ''));
        const { stdout: packed } = await sh('tar', ['-xzOf', tarball, 'package/package.json']);
        const manifest = JSON.parse(packed);
        problems.push(...contentProblems(files, manifest));
        problems.push(...manifestProblems(manifest, pkg.dir));

        // The package and the closure of its @aiotools dependencies, nothing from a registry.
        const needed = new Set([pkg.name]);
        for (const name of needed) {
          const file = tarballOf.get(name);
          if (file === undefined) {
            problems.push(`depends on ${name}, which is not a package of this repository`);
            continue;
          }
          const { stdout } = await sh('tar', ['-xzOf', file, 'package/package.json']);
          const deps = JSON.parse(stdout);
          for (const field of ['dependencies', 'peerDependencies']) {
            for (const dep of Object.keys(deps[field] ?? {})) {
              if (dep.startsWith('@aiotools/')) needed.add(dep);
            }
          }
        }
        const project = join(temp.path, pkg.dir);
        await mkdir(project);
        await writeFile(join(project, 'package.json'), '{ "name": "check", "private": true }\n');
        const tarballs = [...needed].map((n) => tarballOf.get(n)).filter(Boolean);
        // --legacy-peer-deps: the peer @types/node is for type checking only, and an offline
        // install cannot fetch it; loading the packages does not need it.
        await sh(
          'npm',
          [
            'install',
            '--no-audit',
            '--no-fund',
            '--offline',
            '--no-package-lock',
            '--legacy-peer-deps',
            ...tarballs,
          ],
          { cwd: project },
        );
        const entries = [];
        for (const [subpath, entry] of codeEntries(manifest)) {
          const source =
            entry['@aiotools/source'] ?? (subpath === '.' ? './src/index.ts' : undefined);
          if (source === undefined) continue;
          entries.push({
            specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
            source: source.replace(/^\.\//, ''),
            declared: declaredExports(
              await readFile(join(root, 'packages', pkg.dir, source), 'utf8'),
            ),
          });
        }
        const loaded = await loadProblems(project, entries);
        problems.push(...loaded.problems);
        count = loaded.count;
        const smoked = await smokeProblems(project, pkg.dir);
        problems.push(...smoked.problems);
        smoke = smoked.seconds;
      } catch (error) {
        problems.push(error.message);
      }
      return { pkg, problems, count, smoke };
    };

    const results = await mapLimit(packages, CONCURRENCY, check);
    const failed = report(
      results,
      started,
      ({ count, smoke }) => `(${count} exports, smoke test ${smoke.toFixed(1)} s)`,
    );
    if (flag('keep')) console.log(`kept ${temp.path}`);
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    if (!flag('keep')) await temp.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
