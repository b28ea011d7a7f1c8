import {
  Group,
  Supervisor,
  type Task,
  TaskGroup,
  type TaskGroupState,
  TaskScope,
  type TaskScopeState,
  type TaskState,
} from '@aiotools/scope';
import { describe, expect, expectTypeOf, it } from 'vitest';

/** The string-keyed members an object shows: its own, then its prototypes' up to `Object`. */
function members(value: object): string[] {
  const names = new Set<string>();
  for (
    let o: object | null = value;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o)
  ) {
    for (const name of Object.getOwnPropertyNames(o)) if (name !== 'constructor') names.add(name);
  }
  return [...names].sort();
}

describe('the public surface', () => {
  it('a TaskGroup shows its documented members only', async () => {
    let seen: string[] = [];
    let state: TaskGroupState | undefined;
    await TaskGroup.run((tg) => {
      seen = members(tg);
      state = tg.state;
    });
    expect(seen).toEqual(['cancel', 'name', 'signal', 'size', 'spawn', 'start', 'state']);
    expect(state).toBe('open');
  });

  it('a TaskScope and a Supervisor show their documented members only', async () => {
    const documented = ['abort', 'aclose', 'name', 'signal', 'size', 'spawn', 'state'];
    for (const Scope of [TaskScope, Supervisor]) {
      const scope = new Scope();
      expect(members(scope)).toEqual(documented);
      await scope[Symbol.asyncDispose]();
    }
  });

  it('a Group shows its documented members only', () => {
    const group = new Group();
    expect(members(group)).toEqual([
      'asyncClose',
      'asyncGroup',
      'close',
      'createSubgroup',
      'isClosed',
      'isClosing',
      'isOpen',
      'name',
      'size',
      'spawn',
      'state',
      'waitClosed',
      'waitClosing',
      'wrap',
    ]);
    group.close();
  });

  it('a task shows the members of Task only', async () => {
    let task: Task<number> | undefined;
    await TaskGroup.run((tg) => {
      task = tg.spawn(() => 1);
    });
    expect(members(task!)).toEqual([
      'cancel',
      'cancelled',
      'catch',
      'done',
      'exception',
      'finally',
      'name',
      'result',
      'signal',
      'state',
      'then',
    ]);
  });

  it('types each state as a union of literals', () => {
    expectTypeOf<TaskGroup['state']>().toEqualTypeOf<'open' | 'cancelled' | 'closed'>();
    expectTypeOf<TaskScope['state']>().toEqualTypeOf<TaskScopeState>();
    expectTypeOf<Supervisor['state']>().toEqualTypeOf<
      'open' | 'aborted' | 'cancelled' | 'closed'
    >();
    expectTypeOf<Group['state']>().toEqualTypeOf<'open' | 'closing' | 'closed'>();
    expectTypeOf<Task<unknown>['state']>().toEqualTypeOf<TaskState>();
  });
});
