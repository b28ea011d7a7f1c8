#!/usr/bin/env node
// Type-checks every example the way a user would paste it: the ```ts blocks of the root
// README.md, of packages/*/README.md, apps/*/README.md and docs/**/*.md, and the ```ts blocks
// of the @example tags in packages/*/src/**/*.ts (scripts/examples-collect.mjs finds them; the
// e2e test e2e/src/examples.test.ts runs the same blocks as programs). Each block becomes one
// module in e2e/.examples/ (git-ignored), a
// folder of the e2e consumer package, whose `@aiotools/*` resolve to the built dist/ files and
// their .d.ts: run `pnpm build` first.
//
// Examples are complete programs. The user's own code they call without defining (`fetchUser`,
// `probe`, `db`, ...) is declared, with real types, in scripts/examples-prelude.d.ts: that list
// is the allow-list of free names. A block that continues the one before it is inherently
// partial: it is fenced as ```ts fragment, or listed in PARTIAL (scripts/examples-collect.mjs),
// and not checked.
//
//   node scripts/check-examples.mjs [--keep] [--verbose]
//
// --keep     keep e2e/.examples/ for a look at the generated files
// --verbose  list every example checked
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { collectExamples, exampleBase, stalePartials } from './examples-collect.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'e2e', '.examples');
const prelude = join(root, 'scripts', 'examples-prelude.d.ts');
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--keep' && a !== '--verbose');
if (unknown.length > 0) {
  console.error(`Unknown argument(s): ${unknown.join(' ')}`);
  console.error('Usage: node scripts/check-examples.mjs [--keep] [--verbose]');
  process.exit(2);
}
const keep = args.includes('--keep');
const verbose = args.includes('--verbose');

const examples = collectExamples(root);

const missingBuild = readdirSync(join(root, 'packages')).filter(
  (name) =>
    existsSync(join(root, 'packages', name, 'package.json')) &&
    !existsSync(join(root, 'packages', name, 'dist', 'index.d.ts')),
);
if (missingBuild.length > 0) {
  console.error(
    `No dist/index.d.ts in packages ${missingBuild.join(', ')}: run \`pnpm build\` first`,
  );
  process.exit(1);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const checked = [];
let skipped = 0;
for (const example of examples) {
  const { partial } = example;
  if (example.fragment || partial) {
    skipped++;
    if (verbose)
      console.log(`skip  ${example.file}:${example.line} (${partial?.why ?? 'fragment'})`);
    continue;
  }
  const base = exampleBase(example);
  const path = join(outDir, `${base}.ts`);
  // A block without import/export would be a script sharing one global scope with the others.
  const isModule = /^\s*(import|export)\b/m.test(example.code);
  writeFileSync(path, `${example.code}\n${isModule ? '' : 'export {};\n'}`);
  checked.push({ ...example, path });
}

// One set of compiler options, in tsconfig form: the TypeScript 7 pass writes it to a
// tsconfig.json, the TypeScript 5.9 pass converts it through the compiler API.
const compilerOptions = {
  target: 'es2022',
  lib: ['es2023', 'esnext.disposable'],
  module: 'nodenext',
  moduleResolution: 'nodenext',
  types: ['node'],
  strict: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
};
const options = ts.convertCompilerOptionsFromJson(compilerOptions, outDir).options;
// Resolved from the consumer's folder, whatever the current directory is.
const host = ts.createCompilerHost(options);
host.getCurrentDirectory = () => outDir;
const program = ts.createProgram([prelude, ...checked.map((e) => e.path)], options, host);
const diagnostics = ts.getPreEmitDiagnostics(program);
// The examples must see what users get: the built declarations, never the sources.
const fromSources = program
  .getSourceFiles()
  .map((f) => relative(root, f.fileName))
  .filter((f) => /^packages\/[^/]+\/src\//.test(f));
if (fromSources.length > 0) {
  console.error(
    `The examples resolved @aiotools sources instead of dist/: ${fromSources.join(', ')}`,
  );
  process.exit(1);
}

/** Problems by absolute file name (`undefined` for the options): `{ line, text }`, 0-based. */
const byFile = new Map();
const report = (file, problem) => {
  if (!byFile.has(file)) byFile.set(file, []);
  byFile.get(file).push(problem);
};
for (const d of diagnostics) {
  const text = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n    ')}`;
  const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line : 0;
  report(d.file && ts.sys.resolvePath(d.file.fileName), { line, text });
}

// The same files through TypeScript 7 (the native compiler), which differs in places: it
// typed `for await` over AsyncIterableIterator<Task<T>> & AsyncDisposable as T where 5.9 gave
// Task<T>.
const tsgo = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsgo.cmd' : 'tsgo');
if (existsSync(tsgo)) {
  writeFileSync(
    join(outDir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions,
        files: [relative(outDir, prelude), ...checked.map((e) => relative(outDir, e.path))],
      },
      null,
      2,
    )}\n`,
  );
  const result = spawnSync(tsgo, ['-p', join(outDir, 'tsconfig.json'), '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  let last;
  for (const raw of `${result.stdout}${result.stderr}`.split('\n')) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/.exec(raw);
    if (match) {
      last = { line: Number(match[2]) - 1, text: `${match[3]} (TypeScript 7)` };
      report(resolve(root, match[1]), last);
    } else if (raw.trim() !== '' && last) last.text += `\n    ${raw.trim()}`;
    else if (raw.trim() !== '') report(undefined, { line: 0, text: `tsgo: ${raw.trim()}` });
  }
  if (result.status !== 0 && byFile.size === 0) {
    report(undefined, { line: 0, text: `tsgo exited with ${result.status}` });
  }
}

let failed = 0;
for (const example of checked) {
  const key = ts.sys.resolvePath(example.path);
  const found = byFile.get(key) ?? [];
  byFile.delete(key);
  const where = `${example.file}:${example.line}`;
  if (found.length === 0) {
    if (verbose) console.log(`ok    ${where}`);
    continue;
  }
  failed++;
  console.log(`FAIL  ${where}`);
  for (const { line, text } of found) console.log(`        line ${example.line + line}: ${text}`);
}
// An entry of PARTIAL that matches nothing any more is stale: the list must stay short.
for (const p of stalePartials()) {
  failed++;
  console.log(`FAIL  ${p.file}: no block starts with ${JSON.stringify(p.start)}; update PARTIAL`);
}
// Anything left (the prelude, a .d.ts of a package, the options) fails the run too.
for (const [file, list] of byFile) {
  failed++;
  console.log(`FAIL  ${file ? relative(root, file) : 'compiler options'}`);
  for (const { line, text } of list) console.log(`        line ${line + 1}: ${text}`);
}
if (!keep) rmSync(outDir, { recursive: true, force: true });
else console.log(`kept ${relative(root, outDir)}`);
const skippedNote = skipped > 0 ? `, ${skipped} partial blocks skipped` : '';
console.log(
  `examples: ${checked.length - Math.min(failed, checked.length)} passed, ${failed} failed${skippedNote}`,
);
process.exitCode = failed > 0 ? 1 : 0;
