import { moveOnAfter } from '@aiotools/cancel';
import { CancelledError, ExceptionGroup, sleep, type Task, TimeoutError } from '@aiotools/core';
import { installVirtualClock } from '@aiotools/vclock';
import { propertySettings } from '@aiotools-test/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Supervisor } from './supervisor.js';
import { TaskGroup } from './task-group.js';
import { TaskScope } from './task-scope.js';

interface Leaf {
  readonly kind: 'leaf';
  readonly ms: number;
  readonly outcome: 'ok' | 'fail' | 'self-cancel';
}
interface ScopeSpec {
  readonly kind: 'group' | 'scope' | 'supervisor';
  readonly shield: boolean;
  readonly timeout: number | undefined;
  readonly bodyMs: number;
  readonly children: readonly Spec[];
}
type Spec = Leaf | ScopeSpec;

const ms = fc.integer({ min: 0, max: 50 });
const { tree } = fc.letrec<{ tree: ScopeSpec; node: Spec }>((tie) => ({
  tree: fc.record({
    kind: fc.constantFrom('group' as const, 'scope' as const, 'supervisor' as const),
    shield: fc.boolean(),
    timeout: fc.option(ms, { nil: undefined }),
    bodyMs: ms,
    children: fc.array(tie('node'), { maxLength: 4 }),
  }),
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.record({
      kind: fc.constant('leaf' as const),
      ms,
      outcome: fc.constantFrom('ok' as const, 'fail' as const, 'self-cancel' as const),
    }),
    tie('tree'),
  ),
}));

/** Runs one random tree and checks the invariants of structured concurrency. */
async function check(root: ScopeSpec, outerMs: number | undefined): Promise<void> {
  using clock = installVirtualClock({ autojump: false });
  const thrown = new Set<Error>();
  const reported: Error[] = [];
  const exits: number[] = [];
  const parents = new Map<number, number>();
  let ids = 0;
  const collect = (error: unknown): void => {
    if (error instanceof ExceptionGroup) for (const member of error.errors) collect(member);
    else if (error instanceof TimeoutError) collect(error.cause);
    else if (error instanceof Error && thrown.has(error)) reported.push(error);
  };
  const runNode = async (spec: Spec, parent: number): Promise<void> => {
    if (spec.kind !== 'leaf') return runScope(spec, parent);
    await sleep(spec.ms);
    if (spec.outcome === 'self-cancel') throw new CancelledError();
    if (spec.outcome === 'fail') {
      const error = new Error(`leaf ${thrown.size}`);
      thrown.add(error);
      throw error;
    }
  };
  const runScope = async (spec: ScopeSpec, parent: number): Promise<void> => {
    const id = ++ids;
    parents.set(id, parent);
    const tasks: Task<void>[] = [];
    const body = async (host: { spawn(fn: () => Promise<void>): Task<void> }) => {
      for (const child of spec.children) tasks.push(host.spawn(() => runNode(child, id)));
      await sleep(spec.bodyMs);
    };
    try {
      if (spec.kind === 'group') await TaskGroup.run(body);
      else {
        const options = {
          shield: spec.shield,
          timeout: spec.timeout,
          exceptionHandler: ({ error }: { error: unknown }) => collect(error),
        };
        await (spec.kind === 'scope' ? TaskScope : Supervisor).run(body, options);
      }
    } finally {
      expect(tasks.every((task) => task.done)).toBe(true);
      exits.push(id);
    }
  };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const done = (
      outerMs === undefined ? runScope(root, 0) : moveOnAfter(outerMs, () => runScope(root, 0))
    ).then(
      () => undefined,
      (error: unknown) => collect(error),
    );
    await clock.runAll();
    await done;
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(unhandled).toEqual([]);
  expect(clock.pending).toBe(0);
  expect(reported.length).toBe(thrown.size);
  expect(new Set(reported).size).toBe(thrown.size);
  for (const [id, parent] of parents) {
    if (parent !== 0) expect(exits.indexOf(id)).toBeLessThan(exits.indexOf(parent));
  }
}

const settings = propertySettings('scope task trees', 60, 200);

describe('random trees of tasks and scopes', () => {
  it(
    'settle every child before their scope returns, report each failure once, exit LIFO, leave nothing behind',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          tree,
          fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
          check,
        ),
        { numRuns: settings.numRuns, seed: settings.seed },
      );
    },
    settings.timeout,
  );
});
