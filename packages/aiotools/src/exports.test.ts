import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as cancel from '@aiotools/cancel';
import * as context from '@aiotools/context';
import * as core from '@aiotools/core';
import * as fork from '@aiotools/fork';
import * as func from '@aiotools/func';
import * as iter from '@aiotools/iter';
import * as scope from '@aiotools/scope';
import * as server from '@aiotools/server';
import * as sync from '@aiotools/sync';
import * as timer from '@aiotools/timer';
import * as vclock from '@aiotools/vclock';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as aioCancel from './cancel.js';
import * as aioContext from './context.js';
import * as aioCore from './core.js';
import * as aioFork from './fork.js';
import * as aioFunc from './func.js';
import * as umbrella from './index.js';
import * as aioIter from './iter.js';
import * as aioScope from './scope.js';
import * as aioServer from './server.js';
import * as aioSync from './sync.js';
import * as aioTimer from './timer.js';
import * as aioVclock from './vclock.js';

type Namespace = Record<string, unknown>;

/** Each package with its own namespace and the umbrella's subpath for it, in the README's order. */
const families: readonly { name: string; pkg: Namespace; subpath: Namespace }[] = [
  { name: 'core', pkg: core, subpath: aioCore },
  { name: 'cancel', pkg: cancel, subpath: aioCancel },
  { name: 'scope', pkg: scope, subpath: aioScope },
  { name: 'sync', pkg: sync, subpath: aioSync },
  { name: 'context', pkg: context, subpath: aioContext },
  { name: 'func', pkg: func, subpath: aioFunc },
  { name: 'iter', pkg: iter, subpath: aioIter },
  { name: 'timer', pkg: timer, subpath: aioTimer },
  { name: 'vclock', pkg: vclock, subpath: aioVclock },
  { name: 'fork', pkg: fork, subpath: aioFork },
  { name: 'server', pkg: server, subpath: aioServer },
];

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const sourceFile = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

const names = (ns: Namespace) => Object.keys(ns).sort();

describe('aiotools at run time', () => {
  it.each(families)(
    "aiotools/$name exposes exactly @aiotools/$name's names, each the same binding",
    ({ pkg, subpath }) => {
      expect(names(subpath)).toEqual(names(pkg));
      for (const key of names(pkg)) expect(subpath[key], key).toBe(pkg[key]);
    },
  );

  it("exposes the union of every package's names, each the package's own binding", () => {
    const union = new Map<string, unknown>();
    for (const { pkg } of families) {
      for (const key of names(pkg)) {
        // No value name is exported by two packages: nothing to decide at run time.
        expect(union.has(key), `${key} exported twice`).toBe(false);
        union.set(key, pkg[key]);
      }
    }
    expect(names(umbrella)).toEqual([...union.keys()].sort());
    for (const [key, value] of union) expect((umbrella as Namespace)[key], key).toBe(value);
  });
});

/**
 * The TypeScript view: every exported name, types included, of a module, with the declaration
 * it finally stands for, so that a type re-exported twice (`Task` from core and from scope)
 * counts as one binding and a different type of the same name would not.
 */
describe('aiotools for the type checker', () => {
  const entries = ['index', ...families.map((f) => f.name)].map(sourceFile);
  // The package's own compiler options (tsconfig.json: the `@aiotools/source` condition).
  const config = ts.getParsedCommandLineOfConfigFile(
    fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (config === undefined) throw new Error('tsconfig.json did not load');
  const options = config.options;
  const program = ts.createProgram(entries, options);
  const checker = program.getTypeChecker();

  const exportsOf = (file: string): Map<string, ts.Symbol> => {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`${file} did not load`);
    const found = new Map<string, ts.Symbol>();
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      found.set(symbol.name, target);
    }
    return found;
  };
  /** The exports of `@aiotools/<name>`, resolved the way the umbrella's file resolves it. */
  const packageExports = (name: string) => {
    const resolved = ts.resolveModuleName(`@aiotools/${name}`, sourceFile(name), options, ts.sys);
    const file = resolved.resolvedModule?.resolvedFileName;
    if (file === undefined) throw new Error(`@aiotools/${name} did not resolve`);
    return exportsOf(file);
  };
  const sorted = (map: Map<string, unknown>) => [...map.keys()].sort();

  it.each(families.map((f) => f.name))(
    "aiotools/%s exposes exactly that package's names and types, each the same declaration",
    (name) => {
      const pkg = packageExports(name);
      const subpath = exportsOf(sourceFile(name));
      expect(sorted(subpath)).toEqual(sorted(pkg));
      for (const [key, symbol] of pkg) expect(subpath.get(key) === symbol, key).toBe(true);
    },
  );

  it('exposes the union of every package, a name exported by two packages once when it is one declaration', () => {
    const union = new Map<string, ts.Symbol>();
    const twice: string[] = [];
    for (const { name } of families) {
      for (const [key, symbol] of packageExports(name)) {
        const seen = union.get(key);
        if (seen === undefined) union.set(key, symbol);
        else if (seen === symbol) twice.push(`${key} (${name})`);
        else throw new Error(`${key} of @aiotools/${name} is not the ${key} seen before`);
      }
    }
    // The decision the README and index.ts document: scope re-exports core's Task and
    // TaskState, the same declarations.
    expect(twice.sort()).toEqual(['Task (scope)', 'TaskState (scope)']);
    const main = exportsOf(sourceFile('index'));
    expect(sorted(main)).toEqual(sorted(union));
    for (const [key, symbol] of union) expect(main.get(key) === symbol, key).toBe(true);
  });

  it('lists every name explicitly: no `export *`', () => {
    for (const file of entries) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code).not.toMatch(/export\s*\*/);
    }
  });
});

describe('the package manifest', () => {
  it('has a subpath per package with the source, types and default conditions, and no internal entry', () => {
    const expected: Record<string, unknown> = {
      '.': {
        '@aiotools/source': './src/index.ts',
        types: './dist/index.d.ts',
        default: './dist/index.js',
      },
    };
    for (const { name } of families) {
      expected[`./${name}`] = {
        '@aiotools/source': `./src/${name}.ts`,
        types: `./dist/${name}.d.ts`,
        default: `./dist/${name}.js`,
      };
    }
    expected['./package.json'] = './package.json';
    expect(manifest.exports).toEqual(expected);
    expect(Object.keys(manifest.dependencies).sort()).toEqual(
      families.map((f) => `@aiotools/${f.name}`).sort(),
    );
  });
});
