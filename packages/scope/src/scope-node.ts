import { CancelNode, currentClock } from '@aiotools/core';

/** What a scope node stands for in the live task tree. */
export interface ScopeOwner {
  readonly name: string;
  /** `'open'`, `'closing'`, `'closed'`… for {@link formatTaskTree}. */
  readonly state: string;
}

const roots = new Set<WeakRef<CancelNode>>();
const tracked = new WeakSet<CancelNode>();

/** Remembers the root of `node`'s tree (weakly) so that `formatTaskTree()` can find it. */
export function trackRoot(node: CancelNode): void {
  let root = node;
  while (root.parent !== undefined) root = root.parent;
  if (tracked.has(root)) return;
  tracked.add(root);
  roots.add(new WeakRef(root));
}

/** The live roots of every scope tree that holds a task group, task scope or group. */
export function liveRoots(): CancelNode[] {
  const out: CancelNode[] = [];
  for (const ref of roots) {
    const root = ref.deref();
    const live =
      root !== undefined &&
      (root instanceof ScopeNode ? !root.closed : !root.children().next().done);
    if (live) out.push(root);
    else {
      roots.delete(ref);
      if (root !== undefined) tracked.delete(root);
    }
  }
  return out;
}

/**
 * The node of a task group, task scope, supervisor or hat-style group: a `CancelNode` that
 * knows its owner and when it was opened, for the live task tree.
 */
export class ScopeNode extends CancelNode {
  readonly owner: ScopeOwner;
  /** When the scope was opened, on the clock current at that time. */
  readonly born: number;
  /** The owner has exited; the node is kept only while something still refers to it. */
  closed = false;

  constructor(
    parent: CancelNode | undefined,
    owner: ScopeOwner,
    kind: string,
    name: string,
    shield = false,
  ) {
    super(parent, { kind, name, shield });
    this.owner = owner;
    this.born = currentClock().now();
    trackRoot(this);
  }

  /** Marks the scope exited and removes it from its parent. */
  close(): void {
    this.closed = true;
    this.detach();
  }
}
