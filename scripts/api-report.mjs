#!/usr/bin/env node
// The public surface of every package as its users get it, one markdown file per package
// (packages/<name>/api-report.md), so that a change to the surface is a visible, reviewed diff.
// Read from the built declarations (the "types" condition of every "exports" entry, so run
// `pnpm build` first) with the TypeScript compiler: every exported name, sorted, followed by
// its declaration without comments. Aliases are resolved, so the declarations that tsup puts
// in hashed chunk files appear under their exported names; names re-exported from another
// package of the family are listed as re-exports.
//
//   node scripts/api-report.mjs            check: exit 1 when a report is stale or missing
//   node scripts/api-report.mjs --update   rewrite the reports
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const UPDATE = 'pnpm api:update';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--update');
if (unknown.length > 0) {
  console.error(`Unknown argument(s): ${unknown.join(' ')}`);
  console.error('Usage: node scripts/api-report.mjs [--update]');
  process.exit(2);
}
const update = args.includes('--update');

/** The packages under packages/ with their entry points (subpath and built .d.ts file). */
function listPackages() {
  const packages = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const entries = [];
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const types = typeof target === 'object' && target !== null ? target.types : undefined;
      if (typeof types !== 'string') continue;
      entries.push({
        subpath,
        specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        file: join(root, 'packages', dir, types),
      });
    }
    packages.push({ dir, name: manifest.name, root: join(root, 'packages', dir), entries });
  }
  return packages;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
const { factory } = ts;

const hasModifier = (node, kind) => (node.modifiers ?? []).some((m) => m.kind === kind);
/** The modifiers of a top-level declaration without `export`, `default` and `declare`. */
const ownModifiers = (node) =>
  (node.modifiers ?? []).filter(
    (m) =>
      m.kind !== ts.SyntaxKind.ExportKeyword &&
      m.kind !== ts.SyntaxKind.DefaultKeyword &&
      m.kind !== ts.SyntaxKind.DeclareKeyword,
  );
const rename = (node, name) =>
  name === undefined || node.name?.text === name ? node.name : factory.createIdentifier(name);

/** A class member a user can reach: not `#private`, not `private`. */
const isVisibleMember = (member) =>
  !(member.name && ts.isPrivateIdentifier(member.name)) &&
  !hasModifier(member, ts.SyntaxKind.PrivateKeyword);

/** The declaration as a user reads it, under `name`; undefined for kinds not printed. */
function presentable(declaration, name) {
  const d = declaration;
  if (ts.isFunctionDeclaration(d)) {
    return factory.updateFunctionDeclaration(
      d,
      ownModifiers(d),
      d.asteriskToken,
      rename(d, name),
      d.typeParameters,
      d.parameters,
      d.type,
      undefined,
    );
  }
  if (ts.isClassDeclaration(d)) {
    return factory.updateClassDeclaration(
      d,
      ownModifiers(d),
      rename(d, name),
      d.typeParameters,
      d.heritageClauses,
      d.members.filter(isVisibleMember),
    );
  }
  if (ts.isInterfaceDeclaration(d)) {
    return factory.updateInterfaceDeclaration(
      d,
      ownModifiers(d),
      rename(d, name),
      d.typeParameters,
      d.heritageClauses,
      d.members,
    );
  }
  if (ts.isTypeAliasDeclaration(d)) {
    return factory.updateTypeAliasDeclaration(
      d,
      ownModifiers(d),
      rename(d, name),
      d.typeParameters,
      d.type,
    );
  }
  if (ts.isEnumDeclaration(d)) {
    return factory.updateEnumDeclaration(d, ownModifiers(d), rename(d, name), d.members);
  }
  if (ts.isModuleDeclaration(d)) {
    return factory.updateModuleDeclaration(d, ownModifiers(d), rename(d, name), d.body);
  }
  if (ts.isVariableDeclaration(d)) {
    const list = d.parent;
    const flags = list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let);
    const single = factory.updateVariableDeclaration(
      d,
      rename(d, name),
      d.exclamationToken,
      d.type,
      d.initializer,
    );
    return factory.createVariableStatement(
      ownModifiers(list.parent),
      factory.createVariableDeclarationList([single], flags),
    );
  }
  return undefined;
}

/**
 * Printed code with two-space indentation (the printer indents by four), and local names
 * without the `$1` suffix the declaration bundler adds to tell apart two unexported locals of
 * one name (`brand$2`): the suffix depends on the order of the chunks, not on the API.
 */
function print(node, sourceFile) {
  // Tuples on one line (`[T, unknown[]]`): the printer breaks every tuple over lines otherwise.
  const singleLineTuples = (n) => {
    if (ts.isTupleTypeNode(n)) ts.setEmitFlags(n, ts.EmitFlags.SingleLine);
    ts.forEachChild(n, singleLineTuples);
  };
  singleLineTuples(node);
  return printer
    .printNode(ts.EmitHint.Unspecified, node, sourceFile)
    .replace(/\b([A-Za-z_][\w]*)\$\d+\b/g, '$1')
    .split('\n')
    .map((line) => line.replace(/^(?: {4})+/, (indent) => ' '.repeat(indent.length / 2)))
    .join('\n');
}

/** The package specifier (`@aiotools/core/internal`) an exported alias is imported from. */
function importedFrom(checker, symbol) {
  for (let alias = symbol; alias !== undefined && alias.flags & ts.SymbolFlags.Alias; ) {
    const declaration = alias.declarations?.[0];
    const statement =
      declaration && ts.isImportSpecifier(declaration)
        ? declaration.parent.parent.parent
        : declaration && ts.isExportSpecifier(declaration)
          ? declaration.parent.parent
          : undefined;
    const specifier = statement?.moduleSpecifier;
    if (specifier && ts.isStringLiteral(specifier) && !specifier.text.startsWith('.')) {
      return specifier.text;
    }
    alias = checker.getImmediateAliasedSymbol(alias);
  }
  return undefined;
}

/** The markdown report of one package, or the problems that prevent it. */
function report(pkg, program, checker, packageOfFile) {
  const problems = [];
  const sections = [];
  for (const entry of pkg.entries) {
    const sourceFile = program.getSourceFile(entry.file);
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (!moduleSymbol) {
      problems.push(`${relative(root, entry.file)} is missing: run \`pnpm build\` first`);
      continue;
    }
    const blocks = [];
    const exported = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => symbol.getName())
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of exported) {
      const exportSymbol = checker.tryGetMemberInModuleExports(name, moduleSymbol);
      const target =
        exportSymbol.flags & ts.SymbolFlags.Alias
          ? checker.getAliasedSymbol(exportSymbol)
          : exportSymbol;
      const declarations = [...(target.declarations ?? [])].sort(
        (a, b) =>
          a.getSourceFile().fileName.localeCompare(b.getSourceFile().fileName) || a.pos - b.pos,
      );
      if (declarations.length === 0) {
        problems.push(`${entry.specifier}: ${name} has no declaration`);
        continue;
      }
      const from = packageOfFile(declarations[0].getSourceFile().fileName);
      if (from !== undefined && from !== pkg) {
        // Re-exported from another package of the family: its own report shows the declaration.
        const original = target.getName();
        const spec = original === name ? name : `${original} as ${name}`;
        blocks.push(
          `export { ${spec} } from '${importedFrom(checker, exportSymbol) ?? from.name}';`,
        );
        continue;
      }
      const printed = [];
      for (const declaration of declarations) {
        const node = presentable(declaration, name);
        if (node === undefined) {
          problems.push(
            `${entry.specifier}: ${name} is a ${ts.SyntaxKind[declaration.kind]}, which is not printed`,
          );
          continue;
        }
        printed.push(print(node, declaration.getSourceFile()));
      }
      blocks.push(printed.join('\n'));
    }
    const code = blocks.join('\n\n');
    for (const match of code.matchAll(/[\w.-]*-[A-Za-z0-9_]{8}\.(?:d\.ts|js)\b/g)) {
      problems.push(`${entry.specifier}: the report names the chunk file ${match[0]}`);
    }
    sections.push(
      `## ${entry.specifier}\n\n${exported.length} exported names.\n\n\`\`\`ts\n${code}\n\`\`\`\n`,
    );
  }
  const header = `# ${pkg.name}: API report

Generated from the built type declarations (\`dist/*.d.ts\`) by \`${UPDATE}\` (scripts/api-report.mjs);
do not edit it by hand. Every exported name of every entry point, sorted, with its declaration
as users see it. CI runs \`pnpm api:check\`, which fails when this file is stale: after a change
to the public surface, build, run \`${UPDATE}\` and review the diff.
`;
  return { text: `${[header, ...sections].join('\n')}`, problems };
}

/** A compact line diff: the changed lines of `before` and `after` with a little context. */
function diffSummary(before, after, limit = 40) {
  const a = before.split('\n');
  const b = after.split('\n');
  // Longest common subsequence table, from the end (the reports are a few hundred lines).
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i], at: i++ });
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: '-', line: a[i], at: i++ });
    } else {
      ops.push({ kind: '+', line: b[j++], at: i });
    }
  }
  const keep = new Set();
  ops.forEach((op, k) => {
    if (op.kind === ' ') return;
    for (let c = Math.max(0, k - 2); c <= Math.min(ops.length - 1, k + 2); c++) keep.add(c);
  });
  const lines = [];
  let shown = 0;
  let previous = -2;
  for (const k of [...keep].sort((x, y) => x - y)) {
    if (k !== previous + 1) lines.push(`@@ line ${ops[k].at + 1} @@`);
    previous = k;
    if (ops[k].kind !== ' ' && ++shown > limit) {
      lines.push('… (more changes)');
      break;
    }
    lines.push(`${ops[k].kind}${ops[k].line}`);
  }
  return lines.join('\n');
}

function main() {
  const packages = listPackages();
  const missing = packages.flatMap((p) => p.entries).filter((e) => !existsSync(e.file));
  if (missing.length > 0) {
    for (const entry of missing) console.error(`missing ${relative(root, entry.file)}`);
    console.error('Build the packages first: pnpm build');
    process.exit(1);
  }
  const program = ts.createProgram({
    rootNames: packages.flatMap((p) => p.entries.map((e) => e.file)),
    options: {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
  });
  const checker = program.getTypeChecker();

  // Which package a declaration file belongs to, by its real path.
  const packageRoots = packages.map((pkg) => ({ pkg, dir: realpathSync(pkg.root) + sep }));
  const packageOfFile = (fileName) =>
    packageRoots.find(({ dir }) => resolve(fileName).startsWith(dir))?.pkg;

  let failed = 0;
  for (const pkg of packages) {
    if (pkg.entries.length === 0) continue;
    const file = join(pkg.root, 'api-report.md');
    const shown = relative(root, file).split(sep).join('/');
    const { text, problems } = report(pkg, program, checker, packageOfFile);
    if (problems.length > 0) {
      failed++;
      console.log(`FAIL  ${pkg.name}`);
      for (const problem of problems) console.log(`        - ${problem}`);
      continue;
    }
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === text) {
      console.log(`ok    ${shown}`);
    } else if (update) {
      writeFileSync(file, text);
      console.log(`wrote ${shown}`);
    } else {
      failed++;
      console.log(`STALE ${shown}${current === undefined ? ' (missing)' : ''}`);
      if (current !== undefined) {
        console.log(`--- ${shown} (in the tree)\n+++ ${shown} (from the build)`);
        console.log(diffSummary(current, text));
      }
    }
  }
  if (failed > 0) {
    console.log(
      `\n${failed} API report(s) stale or failing. Build the packages, run \`${UPDATE}\` and review and commit the diff.`,
    );
    process.exitCode = 1;
  }
}

main();
