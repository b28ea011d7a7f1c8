// The published declarations use Node's globals (AbortSignal, NodeJS.Signals, setImmediate).
// Each package has @types/node as a peer dependency and its .d.ts starts with
// `/// <reference types="node" />`, so a consumer whose tsconfig lists no `types` (and no DOM
// lib) still gets them. Each package is checked in a program of its own: one package cannot
// lend the Node types to another.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { publishedPackages } from './published-packages.js';

const consumerDir = fileURLToPath(new URL('.', import.meta.url));

const packageNames = publishedPackages();

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: [],
  strict: true,
  exactOptionalPropertyTypes: true,
  // The errors a missing @types/node causes are in the .d.ts files: check them.
  skipLibCheck: false,
  noEmit: true,
};

/** Type-checks `code` as a module of the e2e consumer; the diagnostics as text. */
function check(code: string): string[] {
  const fileName = `${consumerDir}consumer-without-node-types.ts`;
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getCurrentDirectory = () => consumerDir;
  host.fileExists = (name) => name === fileName || fileExists(name);
  host.readFile = (name) => (name === fileName ? code : readFile(name));
  host.getSourceFile = (name, language, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, code, language)
      : getSourceFile(name, language, ...rest);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})`
      : 'options';
    return `${where}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('a consumer whose tsconfig has `types: []`', () => {
  it('covers every package', () => {
    expect(packageNames.length).toBeGreaterThanOrEqual(9);
  });

  it.each(packageNames)('type-checks an import of every export of %s', (name) => {
    const code = `import * as pkg from '${name}';\nexport const names: string[] = Object.keys(pkg);\n`;
    expect(check(code)).toEqual([]);
  });

  it('sees Node types through the packages: run() signals, AbortSignal options', () => {
    const code = `import { run } from '@aiotools/scope';
import { sleep } from '@aiotools/core';
await run(() => sleep(1, { signal: AbortSignal.timeout(10) }), { signals: ['SIGTERM'] });
// @ts-expect-error not a signal name
await run(async () => {}, { signals: ['SIGNOPE'] });
`;
    expect(check(code)).toEqual([]);
  });
});
