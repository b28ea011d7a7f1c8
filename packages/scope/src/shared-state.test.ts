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
});
