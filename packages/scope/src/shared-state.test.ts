import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { currentNode } from '@aiotools/core';
import { describe, expect, it } from 'vitest';
import { hasBrand, SCOPE_NODE, scopeState, TASK_NODE } from './shared-state.js';
import { TaskGroup } from './task-group.js';

describe('the state shared by every copy of the package', () => {
  it('lives in one globalThis slot, so a second copy finds the first one', () => {
    const slot = Object.getOwnPropertyDescriptor(globalThis, Symbol.for('@aiotools/scope.state'));
    expect(slot?.value).toBe(scopeState);
    expect(slot?.enumerable).toBe(false);
  });

  it('brands task and scope nodes on their prototypes, which is how a copy knows them', async () => {
    let seen: boolean[] = [];
    await TaskGroup.run(async (tg) => {
      const scope = currentNode()!;
      await tg.spawn(() => {
        const task = currentNode()!;
        seen = [
          hasBrand(task, TASK_NODE),
          hasBrand(task, SCOPE_NODE),
          hasBrand(scope, SCOPE_NODE),
          hasBrand(scope, TASK_NODE),
          Object.hasOwn(task, TASK_NODE),
        ];
      });
    });
    expect(seen).toEqual([true, false, true, false, false]);
  });

  it('numbers default names once for every copy', async () => {
    const before = scopeState.counters.taskGroup;
    const name = await TaskGroup.run(async (tg) => tg.name);
    expect(name).toBe(`TaskGroup-${before + 1}`);
  });

  it('refuses to load beside an incompatible copy, with an error that says what to do', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const entry = fileURLToPath(new URL('./shared-state.ts', import.meta.url));
    const script = `
      globalThis[Symbol.for('@aiotools/scope.state')] = { protocol: 999 };
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
      { cwd: root, encoding: 'utf8', timeout: 15_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(
      'Two incompatible copies of @aiotools/scope are loaded (state protocol 999 and 1); install one version',
    );
  });
});
