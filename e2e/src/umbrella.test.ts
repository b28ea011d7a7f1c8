import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));
const fixture = fileURLToPath(new URL('./umbrella-two-copies.fixture.mjs', import.meta.url));

/** The built files of every published package: `{ name, dir }`. */
async function publishedPackages(): Promise<{ name: string; dir: string }[]> {
  const found = [];
  for (const entry of (await readdir(packagesDir)).sort()) {
    const dir = join(packagesDir, entry);
    const manifest = JSON.parse(
      await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}'),
    );
    if (typeof manifest.name === 'string' && !manifest.private) {
      found.push({ name: manifest.name as string, dir });
    }
  }
  return found;
}

/**
 * A node_modules tree holding its own copy of every built package (package.json and dist/),
 * as npm lays out two versions of the family that two libraries pin.
 */
async function installCopy(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'package.json'), '{ "name": "consumer", "private": true }\n');
  for (const { name, dir } of await publishedPackages()) {
    const target = join(root, 'node_modules', ...name.split('/'));
    await mkdir(target, { recursive: true });
    await cp(join(dir, 'package.json'), join(target, 'package.json'));
    await cp(join(dir, 'dist'), join(target, 'dist'), { recursive: true });
  }
}

interface Agreement {
  umbrella: {
    subpaths: string[];
    requiredSubpaths: string[];
    main: boolean;
    requiredMain: boolean;
  };
  copies: Record<string, boolean>;
  instanceOf: Record<string, { aIsB: boolean; bIsA: boolean }>;
  isCancellation: Record<string, boolean>;
  oneVirtualClock: boolean;
  deadline: Record<string, boolean | number | string>;
  scope: Record<string, boolean>;
  scopePackage: Record<string, boolean>;
}

const subpaths = [
  'core',
  'cancel',
  'scope',
  'sync',
  'context',
  'func',
  'iter',
  'timer',
  'vclock',
  'fork',
  'server',
];

describe('two installed copies of the built family, one loaded through aiotools', () => {
  let temp: string;
  let agreement: Agreement;

  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'aiotools-two-copies-'));
    await installCopy(join(temp, 'a'));
    await installCopy(join(temp, 'b'));
    // A process of its own: exactly two copies in it, and nothing else sharing its globals.
    const { stdout } = await run(process.execPath, [fixture, join(temp, 'a'), join(temp, 'b')], {
      timeout: 15_000,
    });
    agreement = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  });

  afterAll(async () => {
    if (temp !== undefined) await rm(temp, { recursive: true, force: true });
  });

  it('are two copies, and the umbrella re-exports its own copy without adding one', () => {
    expect(agreement.copies).toEqual({
      aFromTreeA: true,
      bFromTreeB: true,
      distinctClasses: true,
      distinctFunctions: true,
      umbrellaAddsNoCopy: true,
    });
  });

  it("expose through each aiotools subpath exactly the package's own bindings, by import and require", () => {
    expect(agreement.umbrella).toEqual({
      subpaths,
      requiredSubpaths: subpaths,
      main: true,
      requiredMain: true,
    });
  });

  it("agree on instanceof: every error class of one copy accepts the other copy's errors", () => {
    const both = { aIsB: true, bIsA: true };
    expect(agreement.instanceOf).toEqual({
      CancelledError: both,
      TimeoutError: both,
      ExceptionGroup: both,
      GroupClosedError: both,
      QueueClosedError: both,
      QueueEmptyError: both,
      QueueFullError: both,
      LookupError: both,
      SuppressedError: both,
      LoopLimitError: both,
      ExecutorClosedError: both,
      ForkError: both,
      InterruptedBySignal: both,
    });
    expect(agreement.isCancellation).toEqual({ aErrorByB: true, bErrorByA: true });
  });

  it("share one ambient scope tree: copy B's currentSignal, sleep and checkpoint obey copy A's CancelScope", () => {
    expect(agreement.scope).toEqual({
      currentSignalIsTheScopes: true,
      currentNodeIsTheScopes: true,
      signalAbortedByCancel: true,
      sleepOfBRejected: true,
      rejectionIsACancelledErrorOfA: true,
      rejectionIsTheScopesReason: true,
      scopeOfACaughtIt: true,
      outsideAnyScope: true,
      checkpointOfBThrowsInCancelledScopeOfA: true,
    });
  });

  it("share one clock: copy A's deadlines run on copy B's virtual clock and cancel copy B's waits", () => {
    expect(agreement.oneVirtualClock).toBe(true);
    expect(agreement.deadline).toEqual({
      moveOnAfterOfAEndsSleepOfB: true,
      virtualMsElapsed: 60_000,
      failAfterOfARejectsWithTimeoutErrorOfB: true,
      failAfterVirtualMsElapsed: 1_000,
      taskGroupOfBCancelledByDeadlineOfA: 'x,y',
      shieldOfAProtectsSleepOfBFromDeadlineOfB: 'slept',
    });
  });

  // What @aiotools/scope keeps of its own (the live roots, the Groups of each run(), the
  // numbers of default names) lives in one slot shared by every copy, and its nodes carry
  // brands, so the copies agree here too.
  it('see their own task as the current task and in the task tree (the controls)', () => {
    expect(agreement.scopePackage.currentTaskOfA).toBe(true);
    expect(agreement.scopePackage.formatTaskTreeOfAShowsIt).toBe(true);
  });

  it("currentTask() of copy B sees a task of copy A's TaskGroup", () => {
    expect(agreement.scopePackage.currentTaskOfBSeesTaskOfA).toBe(true);
  });

  it("formatTaskTree() of copy B shows copy A's open scopes", () => {
    expect(agreement.scopePackage.formatTaskTreeOfBShowsTreeOfA).toBe(true);
  });

  it('run() of copy A closes a Group of copy B created under it, as it closes its own', () => {
    expect(agreement.scopePackage.runOfAClosesGroupOfB).toBe(true);
  });
});

describe('the built aiotools package', () => {
  it('only re-exports: every dist/*.js holds nothing but imports from @aiotools/* and exports', async () => {
    const dist = join(packagesDir, 'aiotools', 'dist');
    const files = (await readdir(dist)).filter((f) => f.endsWith('.js')).sort();
    expect(files).toEqual(['index.js', ...subpaths.map((s) => `${s}.js`)].sort());
    for (const file of files) {
      const code = (await readFile(join(dist, file), 'utf8'))
        .replace(/\/\/.*$/gm, '')
        .replace(/\/\*[\s\S]*?\*\//g, '');
      const imports = [...code.matchAll(/import\s*\{[^}]*\}\s*from\s*"([^"]+)";/g)];
      const rest = code
        .replace(/import\s*\{[^}]*\}\s*from\s*"[^"]+";/g, '')
        .replace(/export\s*\{[^}]*\};/g, '')
        .trim();
      expect({ file, rest }).toEqual({ file, rest: '' });
      expect(imports.length).toBeGreaterThan(0);
      for (const [, specifier] of imports) expect(specifier).toMatch(/^@aiotools\/[a-z]+$/);
    }
  });

  it("does not expose core's internal plumbing", async () => {
    const manifest = JSON.parse(
      await readFile(join(packagesDir, 'aiotools', 'package.json'), 'utf8'),
    );
    expect(Object.keys(manifest.exports)).toEqual([
      '.',
      ...subpaths.map((s) => `./${s}`),
      './package.json',
    ]);
    const dist = join(packagesDir, 'aiotools', 'dist');
    for (const file of await readdir(dist)) {
      if (file.endsWith('.js') || file.endsWith('.d.ts')) {
        expect(await readFile(join(dist, file), 'utf8')).not.toContain('@aiotools/core/internal');
      }
    }
  });
});
