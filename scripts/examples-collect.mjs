// The examples of the repository, collected once for the two checks that use them:
// scripts/check-examples.mjs type-checks them against the built .d.ts, and
// e2e/src/examples.test.ts runs them as programs against the built packages.
//
// Where examples are: the ```ts blocks of the root README.md, of packages/*/README.md, of
// apps/*/README.md and of every docs/**/*.md (the typedoc output folder excepted: it is
// generated), and the ```ts blocks of the @example tags in packages/*/src/**/*.ts. A file that
// does not exist yet is simply not there: a new package README or a new page of docs/ is
// picked up as soon as it is written.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * Blocks that continue an earlier block of the same file (`file`, the block's first line, and
 * why): inherently partial, neither type-checked nor run. A block can say so itself by its
 * fence, ```ts fragment.
 */
export const PARTIAL = [
  {
    file: 'packages/vclock/README.md',
    start: 'using clock = installVirtualClock({ autojump: false });',
    why: 'continues the block before it, which has the imports',
  },
];

const FENCE = /^```(ts|typescript)(?:\s+(\S+))?\s*$/;

/** The ```ts blocks of markdown `lines`: `{ line, code, fragment }` with 1-based start lines. */
export function markdownBlocks(lines, lineOf = (i) => i + 1) {
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i].trim());
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    blocks.push({
      line: lineOf(start),
      code: lines.slice(start, end).join('\n'),
      fragment: open[2] === 'fragment',
    });
    i = end;
  }
  return blocks;
}

/** The ```ts blocks inside the TSDoc comments of a source file. */
export function tsdocBlocks(text) {
  const blocks = [];
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    if (!match[0].includes('@example')) continue;
    const firstLine = text.slice(0, match.index).split('\n').length;
    const lines = match[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ''));
    blocks.push(...markdownBlocks(lines, (i) => firstLine + i));
  }
  return blocks;
}

function filesUnder(dir, keep, skip = () => false) {
  const files = [];
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules' || skip(path)) continue;
    if (entry.isDirectory()) files.push(...filesUnder(path, keep, skip));
    else if (keep(entry.name)) files.push(path);
  }
  return files.sort();
}

const isSource = (name) => /\.ts$/.test(name) && !/\.(test|spec)\.ts$|\.d\.ts$/.test(name);
const isMarkdown = (name) => name.endsWith('.md');

/** typedoc's output folder, absolute: typedoc.json's `out`, docs/api without one. */
function typedocOut(root) {
  const config = join(root, 'typedoc.json');
  let out = 'docs/api';
  try {
    const configured = JSON.parse(readFileSync(config, 'utf8')).out;
    if (typeof configured === 'string') out = configured;
  } catch {
    // no typedoc.json (or not JSON): the default folder
  }
  return resolve(root, out);
}

/** The markdown files whose ```ts blocks are examples, relative to `root`, in a stable order. */
export function exampleMarkdownFiles(root) {
  const files = [join(root, 'README.md')];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) files.push(join(dir, name, 'README.md'));
  }
  const generated = typedocOut(root);
  files.push(
    ...filesUnder(
      join(root, 'docs'),
      isMarkdown,
      (path) => path === generated || path.startsWith(generated + sep),
    ),
  );
  return files.filter((file) => existsSync(file)).map((file) => relative(root, file));
}

/** The source files whose TSDoc @example blocks are examples, relative to `root`. */
export function exampleSourceFiles(root) {
  const files = [];
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    files.push(...filesUnder(join(root, 'packages', name, 'src'), isSource));
  }
  return files.map((file) => relative(root, file));
}

/**
 * Every example: `{ file, line, code, fragment, partial, kind }`, `file` relative to `root`,
 * `partial` the PARTIAL entry that matched (or undefined), `kind` 'markdown' or 'tsdoc'.
 * `options.tsdoc: false` leaves the @example blocks out.
 */
export function collectExamples(root, options = {}) {
  const examples = [];
  const add = (file, kind, blocks) => {
    for (const block of blocks) {
      const partial = PARTIAL.find(
        (p) => p.file === file && block.code.trimStart().startsWith(p.start),
      );
      if (partial) partial.found = true;
      examples.push({ file, kind, ...block, partial });
    }
  };
  for (const file of exampleMarkdownFiles(root)) {
    add(file, 'markdown', markdownBlocks(readFileSync(join(root, file), 'utf8').split('\n')));
  }
  if (options.tsdoc !== false) {
    for (const file of exampleSourceFiles(root)) {
      add(file, 'tsdoc', tsdocBlocks(readFileSync(join(root, file), 'utf8')));
    }
  }
  return examples;
}

/** A file name for an example, unique in the repository: `packages_core_README_md_L22`. */
export function exampleBase(example) {
  return `${example.file.replace(/[\\/.]/g, '_')}_L${example.line}`;
}

/** The PARTIAL entries that matched no block in the last collectExamples(): stale ones. */
export function stalePartials() {
  return PARTIAL.filter((entry) => !entry.found);
}
