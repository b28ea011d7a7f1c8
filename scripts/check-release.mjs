#!/usr/bin/env node
// Checks that the changesets are ready for a release: `changeset status` accepts them, and
// every package that was never published (version 0.0.0) is named by exactly one changeset,
// its first-release entry, so that its first changelog says what it offers and carries no lines
// about fixes to code nobody has installed (see .changeset/README.md).
//
//   node scripts/check-release.mjs
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const status = spawnSync('npx', ['changeset', 'status'], { cwd: root, stdio: 'inherit' });
if (status.status !== 0) process.exit(status.status ?? 1);

const changesetDir = join(root, '.changeset');
/** Package name → the changeset files that name it. */
const named = new Map();
for (const file of readdirSync(changesetDir).filter(
  (f) => f.endsWith('.md') && f !== 'README.md',
)) {
  const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(changesetDir, file), 'utf8'));
  for (const line of front?.[1].split('\n') ?? []) {
    const name = /^\s*['"]?([^'":]+)['"]?\s*:/.exec(line)?.[1];
    if (name !== undefined) named.set(name, [...(named.get(name) ?? []), file]);
  }
}

const problems = [];
for (const dir of readdirSync(join(root, 'packages'))) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  if (manifest.private === true || manifest.version !== '0.0.0') continue;
  const files = named.get(manifest.name) ?? [];
  if (files.length !== 1) {
    problems.push(
      `${manifest.name} is unreleased and is named by ${files.length} changesets (${files.join(', ') || 'none'}): ` +
        'it needs exactly one, its first-release entry; fold the others into it',
    );
  }
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log('Every unreleased package has exactly one changeset, its first-release entry.');
