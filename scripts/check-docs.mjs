// Every public export of every package carries a TSDoc summary, every value export (function,
// class, constant) also an @example, and the package README has the sections users look for
// (Install, Usage, API, Errors) and a section (or a table row) for each value export. Types (options bags,
// callback shapes) are documented inside the section of the function that takes them. Every
// entry point in a package's "exports" is checked (core's `./internal` too).
//   node scripts/check-docs.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const packages = readdirSync(join(root, 'packages')).filter((name) =>
  existsSync(join(root, 'packages', name, 'src', 'index.ts')),
);
let failures = 0;
let passed = 0;

/** The source file of each entry point in the package's "exports" ('.' → src/index.ts). */
function entriesOf(name) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
  return Object.values(manifest.exports ?? {})
    .map((conditions) => conditions?.['@aiotools/source'])
    .filter((file) => typeof file === 'string')
    .map((file) => join(root, 'packages', name, file));
}

/** Checks the TSDoc of every export of `entry`; collects the value exports' names. */
function checkEntry(entry, problems, exportNames) {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@aiotools/source'],
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const isValue = (symbol.flags & ts.SymbolFlags.Value) !== 0;
    if (isValue) exportNames.push(exported.name);
    const docs = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const tags = symbol.getJsDocTags(checker).map((tag) => tag.name);
    if (!docs) problems.push(`${exported.name}: no TSDoc summary`);
    if (isValue && !tags.includes('example')) problems.push(`${exported.name}: no @example`);
  }
}

for (const name of packages) {
  const problems = [];
  const exportNames = [];
  for (const entry of entriesOf(name)) checkEntry(entry, problems, exportNames);
  const readmePath = join(root, 'packages', name, 'README.md');
  if (!existsSync(readmePath)) problems.push('README.md missing');
  else {
    const readme = readFileSync(readmePath, 'utf8');
    for (const section of ['Install', 'Usage', 'API', 'Errors']) {
      if (!new RegExp(`^##+ .*${section}`, 'mi').test(readme))
        problems.push(`README: no ${section} section`);
    }
    for (const exportName of exportNames) {
      const heading = new RegExp(`^###+ .*\\b${exportName}\\b`, 'm');
      const tableRow = new RegExp(`^\\|.*\`${exportName}\\b`, 'm');
      if (!heading.test(readme) && !tableRow.test(readme)) {
        problems.push(`README: no section for ${exportName}`);
      }
    }
  }
  if (problems.length === 0) {
    passed++;
    console.log(`ok   @aiotools/${name} (${exportNames.length} exports)`);
  } else {
    failures++;
    console.log(`FAIL @aiotools/${name}\n  ${problems.join('\n  ')}`);
  }
}
console.log(`${passed} passed, ${failures} failed`);
process.exitCode = failures > 0 ? 1 : 0;
