// Every public export of every package carries a TSDoc summary, every value export (function,
// class, constant) also an @example, and every package README has one shape:
//
//   # <package name>
//   > <the package.json description, word for word>
//   ## Install   an ```sh block with `npm i <package name>`
//   ## Usage     at least one ```ts example
//   ## API       one ### section per value export (or a row of a table of the API section
//                whose first cell names it; an error class may have its own in Errors), and
//                in each section whose heading takes an `options` bag, the options with their
//                defaults (a table with a `default` column, or the word "default"), or the
//                name of the export whose options they are ("Options as for `moveOnAfter`")
//   ## Errors    what the package throws or rejects with
//
// in that order; other ## sections may come between them or after Errors. Types (options
// bags, callback shapes) are documented inside the section of the function that takes them.
// Every entry point in a package's "exports" is checked (core's `./internal` too); the value
// exports of an entry other than the main one may be documented in any ## section between API
// and Errors (core's Plumbing).
//
// The umbrella package (UMBRELLAS) re-exports the other packages' names, documented in their
// READMEs: its API section is a table of its subpaths instead. Each entry of its "exports"
// appears there (`aiotools`, `aiotools/cancel`, ...), and each of its value exports is named in
// a table of the API section, which says where it comes from.
//
// A problem that is a matter of wording, not of structure, can be listed in KNOWN_GAPS until
// the README's owner rewords it: it is printed on every run and does not fail it.
//   node scripts/check-docs.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
/** Package folders whose README documents re-exports: a subpath table, not a ### per export. */
const UMBRELLAS = ['aiotools'];
const SECTIONS = ['Install', 'Usage', 'API', 'Errors'];
/**
 * Known content gaps: a problem the README's owner has to word (it is prose, not structure).
 * Each is printed as `gap` on every run without failing it; an entry that no longer matches a
 * problem fails the run, so the list only shrinks. `problem` is a part of the message.
 */
const KNOWN_GAPS = [];

const packages = readdirSync(join(root, 'packages'))
  .filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
  .sort();
let failures = 0;
let passed = 0;
let gaps = 0;

/** The entry points in the package's "exports": `{ subpath, file }` ('.' → src/index.ts). */
function entriesOf(manifest, name) {
  return Object.entries(manifest.exports ?? {})
    .map(([subpath, conditions]) => ({ subpath, file: conditions?.['@aiotools/source'] }))
    .filter((entry) => typeof entry.file === 'string')
    .map((entry) => ({ ...entry, file: join(root, 'packages', name, entry.file) }));
}

/** Checks the TSDoc of every export of `entry`; returns the value exports' names. */
function checkEntry(entry, problems) {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@aiotools/source'],
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  const values = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const isValue = (symbol.flags & ts.SymbolFlags.Value) !== 0;
    if (isValue) values.push(exported.name);
    const docs = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const tags = symbol.getJsDocTags(checker).map((tag) => tag.name);
    if (!docs) problems.push(`${exported.name}: no TSDoc summary`);
    if (isValue && !tags.includes('example')) problems.push(`${exported.name}: no @example`);
  }
  return values;
}

/**
 * The README split into its parts: `title`, the blockquote `tagline` under it, and the `##`
 * sections in order, `{ name, body, line }`, fenced code left out of the heading scan.
 */
function parseReadme(text) {
  const lines = text.split('\n');
  const sections = [];
  let inFence = false;
  let current = { name: '', body: [], line: 1 };
  for (const [i, line] of lines.entries()) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^## (.+?)\s*$/.exec(line);
    if (heading) {
      sections.push(current);
      current = { name: heading[1], body: [], line: i + 1 };
    } else current.body.push(line);
  }
  sections.push(current);
  const head = sections.shift().body;
  const title = /^# (.+?)\s*$/.exec(lines[0] ?? '')?.[1];
  const rest = head.slice(1);
  const start = rest.findIndex((line) => line.trim() !== '');
  const quote = [];
  for (const line of rest.slice(Math.max(start, 0))) {
    if (!line.startsWith('>')) break;
    quote.push(line.replace(/^>\s?/, '').trim());
  }
  return {
    title,
    tagline: quote.length > 0 ? quote.join(' ') : undefined,
    sections: sections.map((s) => ({ ...s, body: s.body.join('\n') })),
  };
}

/** The `###` headings of a section's body, outside code fences. */
function subheadings(body) {
  const headings = [];
  let inFence = false;
  let current;
  for (const line of body.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^### (.+?)\s*$/.exec(line);
    if (heading) {
      current = { heading: heading[1], body: [] };
      headings.push(current);
    } else current?.body.push(line);
  }
  return headings.map((h) => ({ ...h, body: h.body.join('\n') }));
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const namesInHeading = (heading, name) =>
  new RegExp(`(^|[^\\w$])${escapeRegExp(name)}($|[^\\w$])`).test(heading);
const tableRowNaming = (body, name) =>
  new RegExp(`^\\|[^|\\n]*\`${escapeRegExp(name)}\\b`, 'm').test(body);
const tableMentioning = (body, text) =>
  body.split('\n').some((line) => line.startsWith('|') && line.includes(`\`${text}\``));

function checkShape(manifest, readme, problems) {
  const { title, tagline, sections } = parseReadme(readme);
  if (title !== manifest.name) {
    problems.push(
      `README: the first line is not \`# ${manifest.name}\` (found ${title ?? 'none'})`,
    );
  }
  if (tagline === undefined) {
    problems.push('README: no one-line tagline (a `> …` blockquote) under the title');
  } else if (tagline !== manifest.description) {
    problems.push(
      `README: the tagline differs from package.json's description:\n      README:       ${tagline}\n      package.json: ${manifest.description}`,
    );
  }
  const found = SECTIONS.map((s) => sections.findIndex((section) => section.name === s));
  for (const [i, section] of SECTIONS.entries()) {
    const count = sections.filter((s) => s.name === section).length;
    if (count === 0) {
      const near = sections.find((s) => s.name.toLowerCase().includes(section.toLowerCase()));
      problems.push(
        `README: no \`## ${section}\` section${near ? ` (found \`## ${near.name}\`)` : ''}`,
      );
    } else if (count > 1) problems.push(`README: ${count} \`## ${section}\` sections`);
    const previous = found.slice(0, i).filter((index) => index >= 0);
    if (found[i] >= 0 && previous.some((index) => index > found[i])) {
      problems.push(`README: \`## ${section}\` comes before a section it must follow`);
    }
  }
  const section = (s) => sections.find((entry) => entry.name === s);
  const install = section('Install');
  if (install) {
    const npm = new RegExp(`^npm (i|install) ${escapeRegExp(manifest.name)}\\b`, 'm');
    if (!/```sh\n/.test(install.body) || !npm.test(install.body)) {
      problems.push(`README: Install has no \`\`\`sh block with \`npm i ${manifest.name}\``);
    }
  }
  const usage = section('Usage');
  if (usage && !/^```(ts|typescript)\b/m.test(usage.body)) {
    problems.push('README: Usage has no ```ts example');
  }
  const errors = section('Errors');
  if (errors && errors.body.trim() === '') problems.push('README: the Errors section is empty');
  return { sections, api: section('API') };
}

/**
 * One `###` per value export, options with their defaults. An error class may have its
 * section (or its table row) in Errors instead. A section whose options are another's ("Options
 * as for `moveOnAfter`", "`failAfter` with an absolute deadline") names that export: its
 * defaults count.
 */
function checkApi(sections, api, entryValues, problems) {
  const apiIndex = sections.indexOf(api);
  const errors = sections.find((s) => s.name === 'Errors');
  const errorsIndex = sections.indexOf(errors);
  // The API section, and for the other entries every section up to Errors.
  const later = sections.slice(apiIndex, errorsIndex < 0 ? undefined : errorsIndex);
  const documentedIn = (s, value) =>
    subheadings(s.body).some((h) => namesInHeading(h.heading, value)) ||
    tableRowNaming(s.body, value);
  for (const { subpath, values } of entryValues) {
    const where = subpath === '.' ? [api] : later;
    for (const value of values) {
      if (where.some((s) => documentedIn(s, value))) continue;
      if (/Error$/.test(value) && errors && documentedIn(errors, value)) continue;
      problems.push(
        `README: no ### section for ${value}${subpath === '.' ? ' in API' : ` (entry ${subpath}) between API and Errors`}`,
      );
    }
  }
  const all = later.flatMap((s) => subheadings(s.body));
  const hasDefaults = (section, seen = new Set()) => {
    if (/\bdefaults?\b/i.test(section.body)) return true;
    seen.add(section);
    return all.some(
      (other) =>
        !seen.has(other) &&
        [...section.body.matchAll(/`(\w+)[`(]/g)].some(
          ([, name]) => /\boptions\??\b/.test(other.heading) && namesInHeading(other.heading, name),
        ) &&
        hasDefaults(other, seen),
    );
  };
  for (const section of all) {
    if (!/\boptions\??\b/.test(section.heading)) continue;
    if (!hasDefaults(section)) {
      problems.push(`README: \`### ${section.heading}\` takes options but gives no defaults`);
    }
  }
}

/** The umbrella's API: a table of its subpaths, and every name it re-exports in a table. */
function checkUmbrellaApi(manifest, api, entries, mainValues, problems) {
  for (const { subpath } of entries) {
    const spelled = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    if (!tableMentioning(api.body, spelled)) {
      problems.push(`README: the API's subpath table has no row for \`${spelled}\``);
    }
  }
  const missing = mainValues.filter((value) => !tableMentioning(api.body, value));
  if (missing.length > 0) {
    problems.push(
      `README: the API's tables do not say where these come from: ${missing.join(', ')}`,
    );
  }
}

for (const stale of UMBRELLAS.filter((name) => !packages.includes(name))) {
  failures++;
  console.log(`FAIL UMBRELLAS lists packages/${stale}, which does not exist`);
}

for (const name of packages) {
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
  const entries = entriesOf(manifest, name);
  if (entries.length === 0) problems.push('package.json: no "exports" entry with a source file');
  const entryValues = entries.map((entry) => ({
    subpath: entry.subpath,
    values: checkEntry(entry.file, problems),
  }));
  const umbrella = UMBRELLAS.includes(name);
  const readmePath = join(root, 'packages', name, 'README.md');
  if (!existsSync(readmePath)) problems.push('README.md missing');
  else {
    const { sections, api } = checkShape(manifest, readFileSync(readmePath, 'utf8'), problems);
    if (api && umbrella) {
      const mainValues = entryValues.find((e) => e.subpath === '.')?.values ?? [];
      checkUmbrellaApi(manifest, api, entries, mainValues, problems);
    } else if (api) checkApi(sections, api, entryValues, problems);
  }
  const count = entryValues.reduce((n, e) => n + e.values.length, 0);
  const label = `${manifest.name} (${count} value exports${umbrella ? ', umbrella: subpath table' : ''})`;
  const known = [];
  const real = problems.filter((problem) => {
    const gap = KNOWN_GAPS.find((g) => g.name === name && problem.includes(g.problem));
    if (gap) {
      gap.found = true;
      known.push(`gap: ${problem.split('\n')[0]} (${gap.why})`);
    }
    return gap === undefined;
  });
  gaps += known.length;
  if (real.length === 0) {
    passed++;
    console.log(`ok   ${label}${known.map((g) => `\n  ${g}`).join('')}`);
  } else {
    failures++;
    console.log(`FAIL ${label}\n  ${[...real, ...known].join('\n  ')}`);
  }
}
for (const stale of KNOWN_GAPS.filter((g) => !g.found)) {
  failures++;
  console.log(
    `FAIL KNOWN_GAPS: packages/${stale.name} no longer has "${stale.problem}": remove the entry`,
  );
}
console.log(`${passed} passed, ${failures} failed, ${gaps} known content gaps`);
process.exitCode = failures > 0 ? 1 : 0;
