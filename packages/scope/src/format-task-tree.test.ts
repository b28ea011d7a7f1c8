import { CancelScope } from '@aiotools/cancel';
import { sleep } from '@aiotools/core';
import * as scope from '@aiotools/scope';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

  it('names `root` when it is not a TaskGroup, TaskScope or Group, and checks the options', async () => {
    // Reported: formatTaskTree(42) said "Cannot read properties of undefined".
    expect(() => scope.formatTaskTree(42 as never)).toThrow(
      new TypeError('Expected `root` to be a TaskGroup, TaskScope or Group, got `42` (number)'),
    );
    expect(() => scope.formatTaskTree({ node: {} } as never)).toThrow(/`root`/);
    expect(() => scope.formatTaskTree(undefined, 'all' as never)).toThrow(
      new TypeError('Expected `options` to be an object, got `"all"` (string)'),
    );
    expect(() => scope.formatTaskTree(undefined, { maxChildren: -1 })).toThrow(
      new RangeError('Expected `options.maxChildren` to be an integer ≥ 0, got `-1` (number)'),
    );
    expect(() => scope.formatTaskTree(undefined, { maxChildren: 1.5 })).toThrow(RangeError);
    expect(() => scope.formatTaskTree(undefined, { maxChildren: '3' as never })).toThrow(
      new TypeError('Expected `options.maxChildren` to be an integer, got `"3"` (string)'),
    );
    expect(() => scope.formatTaskTree(undefined, { maxDepth: Number.NaN })).toThrow(
      /`options.maxDepth` to be an integer ≥ 0/,
    );
    const group = new scope.Group({ name: 'g' });
    expect(scope.formatTaskTree(group, { maxChildren: 0, maxDepth: 0 })).toBe('group "g" open 0ms');
    await TaskScope.run(async (ts) => {
      expect(scope.formatTaskTree(ts)).toMatch(/^taskscope /);
    });
    await group.asyncClose();
  });

  it('prints a 20,000-deep chain of scopes without overflowing the stack, counting what lies below maxDepth', async () => {
    // Reported: formatTaskTree() on a 20,000-deep chain of scopes threw a RangeError (stack).
    const chain = [new scope.Group({ name: 'level 0' })];
    for (let i = 1; i < 20_000; i++) {
      chain.push((chain[i - 1] as Group).createSubgroup({ name: `level ${i}` }));
    }
    const lines = scope.formatTaskTree(chain[0]).split('\n');
    expect(lines).toHaveLength(102);
    expect(lines[1]).toBe('└─ group "level 1" open 0ms');
    expect(lines[100]).toBe(`${'   '.repeat(99)}└─ group "level 100" open 0ms`);
    expect(lines[101]).toBe(`${'   '.repeat(100)}└─ … 19899 more below`);
    expect(scope.formatTaskTree(undefined, { maxDepth: 1 })).toBe(
      'group "level 0" open 0ms\n└─ group "level 1" open 0ms\n   └─ … 19998 more below',
    );
    const deep = scope.formatTaskTree(chain[0], { maxDepth: 2_000 }).split('\n');
    expect(deep).toHaveLength(2_002);
    expect(deep[2_000]).toBe(`${'   '.repeat(1_999)}└─ group "level 2000" open 0ms`);
    // Deepest first, so that no close has to walk down the chain.
    for (const group of chain.reverse()) group.close();
    expect(scope.formatTaskTree()).toBe('');
  });

  it('lists the children of a node at maxDepth as one line, keeping the list marks above it', async () => {
    const group = new scope.Group({ name: 'top' });
    const a = group.createSubgroup({ name: 'a' });
    a.createSubgroup({ name: 'a1' }).createSubgroup({ name: 'a11' });
    a.createSubgroup({ name: 'a2' });
    group.createSubgroup({ name: 'b' });
    expect(scope.formatTaskTree(group, { maxDepth: 1 }).split('\n')).toEqual([
      'group "top" open 0ms',
      '├─ group "a" open 0ms',
      '│  └─ … 3 more below',
      '└─ group "b" open 0ms',
    ]);
    expect(scope.formatTaskTree(group, { maxDepth: 2, maxChildren: 1 }).split('\n')).toEqual([
      'group "top" open 0ms',
      '├─ group "a" open 0ms',
      '│  ├─ group "a1" open 0ms',
      '│  │  └─ … 1 more below',
      '│  └─ … 1 more',
      '└─ … 1 more',
    ]);
    await group.asyncClose();
  });
});
