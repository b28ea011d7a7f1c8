import { CancelScope } from '@aiotools/cancel';
import { sleep } from '@aiotools/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installVirtualClock, type VirtualClock } from '../../vclock/src/index.js';
import { currentTask } from './current-task.js';
import { formatTaskTree } from './format-task-tree.js';
import { Group } from './group.js';
import { TaskGroup } from './task-group.js';
import { TaskScope } from './task-scope.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ start: 1000, autojump: false });
});
afterEach(() => {
  expect(clock.pending).toBe(0);
  clock[Symbol.dispose]();
});

describe('formatTaskTree and currentTask', () => {
  it('prints the live tree with kinds, names, states, ages and nesting', async () => {
    let snapshot = '';
    const done = TaskGroup.run(
      async (tg) => {
        tg.spawn(
          async () => {
            await TaskScope.run(
              async (ts) => {
                ts.spawn(() => sleep(500), { name: 'leaf' });
                await sleep(500);
              },
              { name: 'inner', shield: true },
            );
          },
          { name: 'worker' },
        );
        const doomed = tg.spawn(() => sleep(1000), { name: 'doomed' });
        await sleep(200);
        doomed.cancel();
        snapshot = formatTaskTree(tg);
        await sleep(1000);
      },
      { name: 'main' },
    );
    await clock.runAll();
    await done;
    expect(snapshot).toBe(
      [
        'taskgroup "main" open 200ms',
        '├─ task "worker" running 200ms',
        '│  └─ taskscope "inner" open shielded 200ms',
        '│     └─ task "leaf" running 200ms',
        '└─ task "doomed" cancelling 200ms',
      ].join('\n'),
    );
    expect(formatTaskTree()).toBe('');
  });

  it('finds every live root by default, including cancel scopes and groups, and forgets them after exit', async () => {
    const group = new Group({ name: 'service' });
    group.spawn(() => sleep(100), { name: 'loop' });
    const scope = new CancelScope({ name: 'request' });
    let inside = '';
    const running = scope.run(() =>
      TaskGroup.run(
        async (tg) => {
          tg.spawn(() => sleep(50), { name: 'fetch' });
          inside = formatTaskTree();
        },
        { name: 'handler' },
      ),
    );
    await clock.runAll();
    await running;
    expect(inside).toContain('group "service" open 0ms\n└─ task "loop" running 0ms');
    expect(inside).toMatch(
      /scope "request" open\n└─ taskgroup "handler" open 0ms\n {3}└─ task "fetch" running 0ms/,
    );
    expect(formatTaskTree()).toBe('group "service" open 100ms');
    await group.asyncClose();
    expect(formatTaskTree()).toBe('');
  });

  it('limits the children listed per node', async () => {
    await TaskGroup.run(
      (tg) => {
        for (let i = 0; i < 5; i++) tg.spawn(() => undefined, { name: `t${i}` });
        expect(formatTaskTree(tg, { maxChildren: 2 }).split('\n')).toEqual([
          'taskgroup "g" open 0ms',
          '├─ task "t0" running 0ms',
          '├─ task "t1" running 0ms',
          '└─ … 3 more',
        ]);
      },
      { name: 'g' },
    );
  });

  it('currentTask() is the innermost task, also inside nested scopes', async () => {
    expect(currentTask()).toBeUndefined();
    const names: (string | undefined)[] = [];
    await TaskGroup.run((tg) => {
      names.push(currentTask()?.name);
      tg.spawn(
        async () => {
          await TaskScope.run((ts) => {
            names.push(currentTask()?.name);
            ts.spawn(() => names.push(currentTask()?.name), { name: 'inner' });
          });
        },
        { name: 'outer' },
      );
    });
    await clock.advance(0);
    expect(names).toEqual([undefined, 'outer', 'inner']);
  });
});
