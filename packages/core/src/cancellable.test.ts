import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelNode } from './cancel-node.js';
import { type CancellableExecutor, cancellable } from './cancellable.js';
import { CancelledError } from './cancelled-error.js';

/** An operation that the test finishes by hand, counting how often it is started and undone. */
function manual<T>() {
  const op = {
    started: 0,
    undone: 0,
    resolve: undefined as ((value: T) => void) | undefined,
    reject: undefined as ((error: unknown) => void) | undefined,
    executor: ((resolve, reject) => {
      op.started++;
      op.resolve = resolve;
      op.reject = reject;
      return () => {
        op.undone++;
      };
    }) as CancellableExecutor<T>,
  };
  return op;
}

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cancellable', () => {
  it('resolves and rejects with the operation outside every scope', async () => {
    const ok = manual<number>();
    const p = cancellable(ok.executor);
    ok.resolve!(1);
    await expect(p).resolves.toBe(1);
    const bad = manual<number>();
    const q = cancellable(bad.executor);
    const error = new Error('failed');
    bad.reject!(error);
    await expect(q).rejects.toBe(error);
  });

  it('rejects with the reason at once, without starting, in a cancelled scope', async () => {
    const node = new CancelNode(undefined);
    node.cancel('before');
    const op = manual<void>();
    const p = node.run(() => cancellable(op.executor));
    await expect(p).rejects.toBe(node.reason);
    expect(op.started).toBe(0);
  });

  it('rejects with signal.reason at once, without starting, for an aborted signal', async () => {
    const reason = new RangeError('mine');
    const op = manual<void>();
    await expect(cancellable(op.executor, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(op.started).toBe(0);
  });

  it('undoes the operation once and rejects with the scope reason when cancelled while waiting', async () => {
    const root = new CancelNode(undefined);
    const node = new CancelNode(root);
    const op = manual<string>();
    const p = node.run(() => cancellable(op.executor));
    expect(op.started).toBe(1);
    root.cancel('outer');
    node.cancel('inner');
    await expect(p).rejects.toBe(root.reason);
    expect(op.undone).toBe(1);
    // A late result of the undone operation is ignored.
    op.resolve!('late');
    op.reject!(new Error('late'));
    expect(op.undone).toBe(1);
  });

  it('undoes the operation once and rejects with signal.reason as it is when aborted while waiting', async () => {
    const controller = new AbortController();
    const reason = { code: 'BYE' };
    const op = manual<string>();
    const p = cancellable(op.executor, { signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(op.undone).toBe(1);
    expect(abortListeners(controller.signal)).toBe(0);
    op.resolve!('late');
  });

  it('ignores a cancel after the operation settled and does not undo it', async () => {
    const node = new CancelNode(undefined);
    const op = manual<number>();
    const p = node.run(() => cancellable(op.executor));
    op.resolve!(5);
    node.cancel();
    await expect(p).resolves.toBe(5);
    expect(op.undone).toBe(0);
  });

  it('leaves no listener on a foreign signal once the operation settled', async () => {
    const controller = new AbortController();
    const ok = manual<void>();
    const p = cancellable(ok.executor, { signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(1);
    ok.resolve!();
    await p;
    expect(abortListeners(controller.signal)).toBe(0);
    const bad = manual<void>();
    const q = cancellable(bad.executor, { signal: controller.signal });
    bad.reject!(new Error('x'));
    await expect(q).rejects.toThrow('x');
    expect(abortListeners(controller.signal)).toBe(0);
    controller.abort();
    expect(ok.undone + bad.undone).toBe(0);
  });

  it('adds no listener when an operation settles synchronously', async () => {
    const controller = new AbortController();
    const p = cancellable<number>((resolve) => resolve(3), { signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(0);
    await expect(p).resolves.toBe(3);
  });

  it("waits on the node itself, with no listener, when given a node's own signal", async () => {
    const node = new CancelNode(undefined);
    const signal = node.signal;
    const op = manual<void>();
    const p = cancellable(op.executor, { signal });
    expect(abortListeners(signal)).toBe(0);
    node.cancel('via node');
    await expect(p).rejects.toBe(node.reason);
    expect(op.undone).toBe(1);
  });

  it('adds no AbortSignal listener for waits in the ambient scope', async () => {
    const node = new CancelNode(undefined);
    const signal = node.signal;
    const op = manual<void>();
    const p = node.run(() => cancellable(op.executor));
    expect(abortListeners(signal)).toBe(0);
    op.resolve!();
    await p;
  });

  it('is woken when the executor itself cancels the scope', async () => {
    const node = new CancelNode(undefined);
    let undone = 0;
    const p = node.run(() =>
      cancellable<void>(() => {
        node.cancel('from inside');
        return () => {
          undone++;
        };
      }),
    );
    await expect(p).rejects.toBe(node.reason);
    expect(undone).toBe(1);
  });

  it('is woken when the executor itself aborts the signal', async () => {
    const controller = new AbortController();
    const p = cancellable<void>(
      () => {
        controller.abort('gone');
      },
      { signal: controller.signal },
    );
    await expect(p).rejects.toBe('gone');
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('rejects with the executor error when the executor throws', async () => {
    const node = new CancelNode(undefined);
    const p = node.run(() =>
      cancellable<void>(() => {
        throw new TypeError('bad start');
      }),
    );
    await expect(p).rejects.toThrow('bad start');
  });

  it('still rejects with the reason when the undo throws, and reports the undo error', async () => {
    const deferred: (() => void)[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
      deferred.push(callback);
    });
    const node = new CancelNode(undefined);
    const bug = new Error('undo failed');
    const p = node.run(() =>
      cancellable<void>(() => () => {
        throw bug;
      }),
    );
    node.cancel();
    vi.mocked(globalThis.queueMicrotask).mockRestore();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(deferred).toHaveLength(1);
    expect(() => deferred[0]!()).toThrow(bug);
  });

  it('reports invalid options as rejections naming the option', async () => {
    const executor = vi.fn();
    await expect(cancellable(executor, 'fast' as never)).rejects.toThrow(/`options`/);
    await expect(cancellable(executor, { signal: {} as AbortSignal })).rejects.toThrow(
      /`options.signal`/,
    );
    await expect(cancellable(executor, { signal: 'x' as never })).rejects.toBeInstanceOf(TypeError);
    expect(executor).not.toHaveBeenCalled();
  });

  it('treats an explicit undefined signal like no signal', async () => {
    const node = new CancelNode(undefined);
    node.cancel();
    await expect(node.run(() => cancellable(vi.fn(), { signal: undefined }))).rejects.toBe(
      node.reason,
    );
  });
});
