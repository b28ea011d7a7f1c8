// Two installed copies of @aiotools/core (two versions in node_modules, or a bundled copy)
// must agree on the ambient scope, the clock and error identity. `vi.resetModules()` loads a
// second, independent copy of the sources next to the one imported statically here.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@aiotools-test/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as first from './index.js';
import type * as firstInternal from './internal.js';

type Core = typeof first;

type CoreInternal = typeof firstInternal;

let second: Core;
let secondInternal: CoreInternal;

beforeEach(async () => {
  vi.resetModules();
  second = (await import('./index.js')) as Core;
  secondInternal = (await import('./internal.js')) as CoreInternal;
});

describe('two copies of core', () => {
  it('are really two copies', () => {
    expect(second.CancelledError).not.toBe(first.CancelledError);
    expect(second.CancelNode).not.toBe(first.CancelNode);
    expect(second.realClock).not.toBe(first.realClock);
  });

  it('agree on error identity', () => {
    const a = new first.CancelledError();
    const b = new second.CancelledError();
    expect(b).toBeInstanceOf(first.CancelledError);
    expect(a).toBeInstanceOf(second.CancelledError);
    expect(first.isCancellation(b)).toBe(true);
    expect(second.isCancellation(a)).toBe(true);
    expect(new second.TimeoutError()).toBeInstanceOf(first.TimeoutError);
    expect(new second.ExceptionGroup([])).toBeInstanceOf(first.ExceptionGroup);
    expect(first.isCancellation(new second.TimeoutError())).toBe(false);
  });

  it("see each other's ambient node", async () => {
    const node = new first.CancelNode(undefined);
    const seen = await node.run(async () => {
      await Promise.resolve();
      return [second.currentNode(), second.currentSignal()];
    });
    expect(seen).toEqual([node, node.signal]);
    expect(second.currentNode()).toBeUndefined();
    expect(second.currentSignal()).toBe(first.currentSignal());
  });

  it("cancel the other copy's sleep through the shared ambient node", async () => {
    const clock = new ManualClock();
    using _installed = first.installClock(clock);
    const node = new first.CancelNode(undefined);
    const p = node.run(() => second.sleep(1_000));
    expect(clock.pending).toBe(1);
    node.cancel();
    await expect(p).rejects.toBe(node.reason);
    expect(clock.pending).toBe(0);
  });

  it("map the other copy's node signals back to the node", async () => {
    const node = new first.CancelNode(undefined);
    expect(secondInternal.nodeOfSignal(node.signal)).toBe(node);
    const p = second.checkpoint({ signal: node.signal });
    node.cancel();
    await expect(p).rejects.toBe(node.reason);
  });

  it("build one tree and apply the catch rule to the other copy's reasons", () => {
    const root = new first.CancelNode(undefined);
    const child = new second.CancelNode(root);
    child.cancel();
    expect(root.swallows(child.ownReason)).toBe(false);
    root.cancel();
    expect(child.cancelled).toBe(true);
    expect(root.swallows(new second.ExceptionGroup([child.ownReason, root.reason]))).toBe(true);
  });

  it('share the installed clock', () => {
    const clock = new ManualClock();
    using _installed = first.installClock(clock);
    expect(second.currentClock()).toBe(clock);
    const installed = second.installClock(second.realClock);
    expect(first.currentClock()).toBe(second.realClock);
    installed[Symbol.dispose]();
    expect(first.currentClock()).toBe(clock);
  });
});

describe('an incompatible copy of core', () => {
  it('fails to load with an error that says what to do', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `
      globalThis[Symbol.for('@aiotools/core.state')] = { protocol: 999 };
      try {
        await import(${JSON.stringify(entry)});
        console.log('loaded');
      } catch (error) {
        console.log(error.message);
      }
    `;
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { cwd: root, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(
      'Two incompatible copies of @aiotools/core are loaded (state protocol 999 and 2); install one version',
    );
  });
});
