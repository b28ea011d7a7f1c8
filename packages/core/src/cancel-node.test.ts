import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelNode, toCancelReason } from './cancel-node.js';
import { CancelledError } from './cancelled-error.js';
import { ExceptionGroup } from './exception-group.js';

function chain(depth: number, root?: CancelNode): CancelNode[] {
  const nodes: CancelNode[] = [];
  let parent = root;
  for (let i = 0; i < depth; i++) {
    parent = new CancelNode(parent);
    nodes.push(parent);
  }
  return nodes;
}

/** What a Node API (timers/promises, events.once, streams) rejects with for `signal`. */
async function nodeAbortError(signal: AbortSignal): Promise<unknown> {
  return delay(1, undefined, { signal }).catch((error: unknown) => error);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('toCancelReason', () => {
  it('turns undefined and strings into CancelledErrors and keeps anything else', () => {
    expect(toCancelReason(undefined)).toBeInstanceOf(CancelledError);
    const fromString = toCancelReason('stop');
    expect(fromString).toBeInstanceOf(CancelledError);
    expect((fromString as Error).message).toBe('stop');
    const custom = new Error('custom');
    expect(toCancelReason(custom)).toBe(custom);
    expect(toCancelReason(42)).toBe(42);
    expect(toCancelReason(null)).toBe(null);
  });
});

describe('CancelNode', () => {
  it('starts uncancelled with its options and defaults', () => {
    const node = new CancelNode(undefined);
    expect(node.cancelled).toBe(false);
    expect(node.cancelCalled).toBe(false);
    expect(node.reason).toBeUndefined();
    expect(node.ownReason).toBeUndefined();
    expect(node.shield).toBe(false);
    expect(node.kind).toBe('scope');
    expect(node.name).toBe('');
    const named = new CancelNode(node, { shield: true, kind: 'task', name: 'worker' });
    expect([named.shield, named.kind, named.name, named.parent]).toEqual([
      true,
      'task',
      'worker',
      node,
    ]);
    expect([...node.children()]).toEqual([named]);
  });

  it('turns a string reason into a CancelledError with that message', () => {
    const node = new CancelNode(undefined);
    node.cancel('shutting down');
    expect(node.reason).toBeInstanceOf(CancelledError);
    expect((node.reason as Error).message).toBe('shutting down');
    expect(node.ownReason).toBe(node.reason);
    expect(() => node.throwIfCancelled()).toThrow('shutting down');
  });

  it('uses a CancelledError without a reason and keeps other reasons as they are', () => {
    const plain = new CancelNode(undefined);
    plain.cancel();
    expect(plain.reason).toBeInstanceOf(CancelledError);
    const reason = { custom: true };
    const custom = new CancelNode(undefined);
    custom.cancel(reason);
    expect(custom.reason).toBe(reason);
  });

  it('pushes the effective state to children and grandchildren', () => {
    const root = new CancelNode(undefined);
    const [child, grandchild] = chain(2, root) as [CancelNode, CancelNode];
    root.cancel('stop');
    for (const node of [child, grandchild]) {
      expect(node.cancelled).toBe(true);
      expect(node.cancelCalled).toBe(false);
      expect(node.reason).toBe(root.reason);
    }
  });

  it('does not cancel the parent when a child is cancelled', () => {
    const root = new CancelNode(undefined);
    const child = new CancelNode(root);
    const sibling = new CancelNode(root);
    child.cancel();
    expect(root.cancelled).toBe(false);
    expect(sibling.cancelled).toBe(false);
  });

  it('stops the parent cancellation at a shield, but not its own', () => {
    const root = new CancelNode(undefined);
    const shielded = new CancelNode(root, { shield: true });
    const inside = new CancelNode(shielded);
    root.cancel();
    expect(shielded.cancelled).toBe(false);
    expect(inside.cancelled).toBe(false);
    shielded.cancel('own');
    expect(inside.cancelled).toBe(true);
    expect((inside.reason as Error).message).toBe('own');
  });

  it('re-evaluates the subtree when the shield is lowered while the parent is cancelled', () => {
    const root = new CancelNode(undefined);
    const node = new CancelNode(root, { shield: true });
    const child = new CancelNode(node);
    root.cancel('outer');
    const waker = vi.fn();
    child.onCancel(waker);
    node.shield = false;
    expect(node.cancelled).toBe(true);
    expect(child.cancelled).toBe(true);
    expect(child.reason).toBe(root.reason);
    expect(waker).toHaveBeenCalledExactlyOnceWith(root.reason);
  });

  it('un-cancels a node when the shield is raised, and replaces its aborted signal', () => {
    const root = new CancelNode(undefined);
    const node = new CancelNode(root);
    const child = new CancelNode(node);
    root.cancel();
    const aborted = node.signal;
    expect(aborted.aborted).toBe(true);
    node.shield = true;
    expect(node.cancelled).toBe(false);
    expect(node.reason).toBeUndefined();
    expect(child.cancelled).toBe(false);
    const fresh = node.signal;
    expect(fresh).not.toBe(aborted);
    expect(fresh.aborted).toBe(false);
    node.shield = false;
    expect(fresh.aborted).toBe(true);
    expect(fresh.reason).toBe(root.reason);
  });

  it('stays cancelled when the shield is raised after its own cancel', () => {
    const root = new CancelNode(undefined);
    const node = new CancelNode(root);
    root.cancel('outer');
    node.cancel('own');
    expect((node.reason as Error).message).toBe('outer');
    node.shield = true;
    expect(node.cancelled).toBe(true);
    expect(node.reason).toBe(node.ownReason);
  });

  it('keeps the outermost reason when nested nodes are cancelled', () => {
    const root = new CancelNode(undefined);
    const [middle, leaf] = chain(2, root) as [CancelNode, CancelNode];
    leaf.cancel('inner');
    expect((leaf.reason as Error).message).toBe('inner');
    middle.cancel('middle');
    expect((leaf.reason as Error).message).toBe('middle');
    root.cancel('outer');
    for (const node of [root, middle, leaf]) expect((node.reason as Error).message).toBe('outer');
    expect((leaf.ownReason as Error).message).toBe('inner');
  });

  it('is cancelled at once when created under a cancelled parent, unless shielded', () => {
    const root = new CancelNode(undefined);
    root.cancel();
    const child = new CancelNode(root);
    expect(child.cancelled).toBe(true);
    expect(child.reason).toBe(root.reason);
    expect(child.signal.aborted).toBe(true);
    expect(new CancelNode(root, { shield: true }).cancelled).toBe(false);
  });

  it('no longer receives the parent cancellation after detach', () => {
    const root = new CancelNode(undefined);
    const child = new CancelNode(root);
    const grandchild = new CancelNode(child);
    child.detach();
    child.detach();
    expect([...root.children()]).toEqual([]);
    root.cancel();
    expect(child.cancelled).toBe(false);
    expect(grandchild.cancelled).toBe(false);
    expect(child.parent).toBe(root);
  });

  it('keeps the live children in order whichever of them detaches', () => {
    const root = new CancelNode(undefined);
    const [a, b, c, d] = [0, 1, 2, 3].map(() => new CancelNode(root)) as [
      CancelNode,
      CancelNode,
      CancelNode,
      CancelNode,
    ];
    b.detach();
    expect([...root.children()]).toEqual([a, c, d]);
    d.detach();
    expect([...root.children()]).toEqual([a, c]);
    const e = new CancelNode(root);
    a.detach();
    expect([...root.children()]).toEqual([c, e]);
    const f = new CancelNode(root);
    e.detach();
    c.detach();
    expect([...root.children()]).toEqual([f]);
    f.detach();
    expect([...root.children()]).toEqual([]);
    const g = new CancelNode(root);
    const h = new CancelNode(root);
    expect([...root.children()]).toEqual([g, h]);
    root.cancel();
    expect([a, b, c, d, e, f].some((node) => node.cancelled)).toBe(false);
    expect(g.cancelled && h.cancelled).toBe(true);
  });

  it('wakes each waker once and not after offCancel', () => {
    const root = new CancelNode(undefined);
    const node = new CancelNode(root);
    const first = vi.fn();
    const second = vi.fn();
    const removed = vi.fn();
    node.onCancel(first);
    node.onCancel(removed);
    node.onCancel(second);
    node.offCancel(removed);
    node.cancel('a');
    root.cancel('b');
    node.shield = true;
    node.shield = false;
    expect(first).toHaveBeenCalledExactlyOnceWith(node.ownReason);
    expect(second).toHaveBeenCalledExactlyOnceWith(node.ownReason);
    expect(removed).not.toHaveBeenCalled();
  });

  it('wakes only the waiters of the nodes that become cancelled', () => {
    const root = new CancelNode(undefined);
    const open = new CancelNode(root);
    const shielded = new CancelNode(root, { shield: true });
    const inOpen = vi.fn();
    const inShielded = vi.fn();
    open.onCancel(inOpen);
    shielded.onCancel(inShielded);
    root.cancel();
    expect(inOpen).toHaveBeenCalledOnce();
    expect(inShielded).not.toHaveBeenCalled();
  });

  it('keeps waking siblings when a waker throws, and reports the error as uncaught', () => {
    const deferred: (() => void)[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
      deferred.push(callback);
    });
    const node = new CancelNode(undefined);
    const child = new CancelNode(node);
    const bug = new Error('waker bug');
    const before = vi.fn();
    const after = vi.fn();
    const inChild = vi.fn();
    node.onCancel(before);
    node.onCancel(() => {
      throw bug;
    });
    node.onCancel(after);
    child.onCancel(inChild);
    node.cancel();
    vi.mocked(globalThis.queueMicrotask).mockRestore();
    expect(before).toHaveBeenCalledOnce();
    expect(after).toHaveBeenCalledOnce();
    expect(inChild).toHaveBeenCalledOnce();
    expect(child.cancelled).toBe(true);
    expect(deferred).toHaveLength(1);
    expect(() => deferred[0]!()).toThrow(bug);
  });

  it('cancels twice harmlessly: the first reason stays and nobody is woken again', () => {
    const node = new CancelNode(undefined);
    const waker = vi.fn();
    node.onCancel(waker);
    node.cancel('first');
    const reason = node.reason;
    node.cancel('second');
    expect(node.reason).toBe(reason);
    expect(node.ownReason).toBe(reason);
    expect(waker).toHaveBeenCalledOnce();
  });

  it('creates its AbortSignal only when read, and aborts it with the reason', () => {
    const node = new CancelNode(undefined);
    expect(Object.values(node).some((value) => value instanceof AbortController)).toBe(false);
    const signal = node.signal;
    expect(node.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    const onAbort = vi.fn();
    signal.addEventListener('abort', onAbort);
    node.cancel('stop');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(node.reason);
    expect(onAbort).toHaveBeenCalledOnce();
  });

  it('hands out an already aborted signal when read after the cancel', () => {
    const root = new CancelNode(undefined);
    const child = new CancelNode(root);
    root.cancel('late');
    expect(child.signal.aborted).toBe(true);
    expect(child.signal.reason).toBe(root.reason);
  });

  it('does not warn about many listeners on its signal', async () => {
    const node = new CancelNode(undefined);
    const warning = vi.fn();
    process.on('warning', warning);
    try {
      for (let i = 0; i < 20; i++) node.signal.addEventListener('abort', () => {});
      // Warnings are emitted on a later tick.
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', warning);
    }
    expect(warning).not.toHaveBeenCalled();
  });

  it('handles a 100 000 deep tree without overflowing the stack', () => {
    const root = new CancelNode(undefined);
    const nodes = chain(100_000, root);
    const leaf = nodes.at(-1)!;
    const middle = nodes[50_000]!;
    middle.shield = true;
    root.cancel('deep');
    expect(nodes[49_999]!.cancelled).toBe(true);
    expect(leaf.cancelled).toBe(false);
    middle.shield = false;
    expect(leaf.cancelled).toBe(true);
    expect(leaf.reason).toBe(root.reason);
    expect(leaf.isWithin(root)).toBe(true);
    leaf.cancel();
    expect(root.swallows(leaf.ownReason)).toBe(true);
  });

  describe('run', () => {
    it('returns what the function returns and throws what it throws', () => {
      const node = new CancelNode(undefined);
      expect(node.run(() => 42)).toBe(42);
      expect(() =>
        node.run(() => {
          throw new RangeError('x');
        }),
      ).toThrow(RangeError);
    });
  });

  describe('isWithin and parentCancellationVisible', () => {
    it('tells ancestry and whether the parent cancellation reaches the node', () => {
      const root = new CancelNode(undefined);
      const child = new CancelNode(root);
      const other = new CancelNode(undefined);
      expect(child.isWithin(child)).toBe(true);
      expect(child.isWithin(root)).toBe(true);
      expect(root.isWithin(child)).toBe(false);
      expect(child.isWithin(other)).toBe(false);
      expect(child.parentCancellationVisible()).toBe(false);
      root.cancel();
      expect(child.parentCancellationVisible()).toBe(true);
      child.shield = true;
      expect(child.parentCancellationVisible()).toBe(false);
      expect(root.parentCancellationVisible()).toBe(false);
    });
  });

  describe('swallows (the catch rule)', () => {
    it('swallows its own reason when it was cancelled and the parent is not', () => {
      const root = new CancelNode(undefined);
      const node = new CancelNode(root);
      node.cancel();
      expect(node.swallows(node.reason)).toBe(true);
      expect(node.isOwnCancellation(node.reason)).toBe(true);
    });

    it('never swallows when it was not cancelled itself', () => {
      const root = new CancelNode(undefined);
      const node = new CancelNode(root);
      expect(node.swallows(new CancelledError())).toBe(false);
      root.cancel();
      expect(node.cancelled).toBe(true);
      expect(node.swallows(root.reason)).toBe(false);
      node.shield = true;
      expect(node.swallows(root.reason)).toBe(false);
    });

    it('lets the outermost cancelled node catch when the parent cancellation is visible', () => {
      const root = new CancelNode(undefined);
      const node = new CancelNode(root);
      node.cancel('inner first');
      root.cancel('outer');
      expect(node.swallows(node.ownReason)).toBe(false);
      expect(node.swallows(root.reason)).toBe(false);
      expect(root.swallows(root.reason)).toBe(true);
      expect(root.swallows(node.ownReason)).toBe(true);
    });

    it('swallows at a shield boundary although the parent is cancelled', () => {
      const root = new CancelNode(undefined);
      const node = new CancelNode(root, { shield: true });
      node.cancel();
      root.cancel();
      expect(node.swallows(node.ownReason)).toBe(true);
      expect(node.swallows(root.reason)).toBe(false);
    });

    it('swallows reasons that came from a descendant', () => {
      const root = new CancelNode(undefined);
      const [child, grandchild] = chain(2, root) as [CancelNode, CancelNode];
      root.cancel();
      grandchild.cancel('from below');
      expect(root.swallows(grandchild.ownReason)).toBe(true);
      expect(child.swallows(grandchild.ownReason)).toBe(false);
    });

    it("swallows Node's AbortError whose cause is its reason", async () => {
      const node = new CancelNode(undefined);
      node.cancel();
      const error = await nodeAbortError(node.signal);
      expect((error as { code?: string }).code).toBe('ABORT_ERR');
      expect((error as { cause?: unknown }).cause).toBe(node.reason);
      expect(node.swallows(error)).toBe(true);
    });

    it('lets foreign aborts and other errors pass', async () => {
      const node = new CancelNode(undefined);
      node.cancel();
      const foreignSignal = AbortSignal.abort();
      expect(node.swallows(foreignSignal.reason)).toBe(false);
      expect(node.swallows(await nodeAbortError(foreignSignal))).toBe(false);
      expect(node.swallows(new DOMException('x', 'AbortError'))).toBe(false);
      expect(node.swallows(new CancelledError())).toBe(false);
      expect(node.swallows(new Error('bug'))).toBe(false);
      expect(node.swallows(undefined)).toBe(false);
      const unrelated = new CancelNode(undefined);
      unrelated.cancel();
      expect(node.swallows(unrelated.reason)).toBe(false);
    });

    it('swallows an ExceptionGroup only when every member is its own cancellation', async () => {
      const node = new CancelNode(undefined);
      const child = new CancelNode(node);
      node.cancel();
      child.cancel();
      const own = new ExceptionGroup([
        node.reason,
        new ExceptionGroup([child.ownReason, await nodeAbortError(node.signal)]),
      ]);
      expect(node.swallows(own)).toBe(true);
      expect(node.swallows(new ExceptionGroup([node.reason, new Error('bug')]))).toBe(false);
      expect(node.swallows(new ExceptionGroup([]))).toBe(false);
    });

    it('matches primitive reasons by identity', () => {
      const node = new CancelNode(undefined);
      node.cancel(7);
      expect(node.swallows(7)).toBe(true);
      expect(node.swallows(8)).toBe(false);
    });
  });
});
