import { CancelNode, currentClock } from '@aiotools/core';

/** What a scope node stands for in the live task tree. */
export interface ScopeOwner {
  readonly name: string;
  /** `'open'`, `'closing'`, `'closed'`… for {@link formatTaskTree}. */
  readonly state: string;
}

// The roots of the trees that hold an open scope node, each with the number of open scope
// nodes in it. A root is listed while one of them is open and forgotten when the last one
// closes, so a program that opens a root scope per request keeps nothing per ended scope.
const roots = new Map<CancelNode, number>();

function rootOf(node: CancelNode): CancelNode {
  let root = node;
  for (let parent = root.parent; parent !== undefined; parent = parent.parent) {
    // An enclosing scope node knows its root already.
    if (parent instanceof ScopeNode) return parent.root;
    root = parent;
  }
  return root;
}

/** The roots of every tree that holds an open task group, task scope, group or `run()`. */
export function liveRoots(): CancelNode[] {
  return [...roots.keys()];
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
  /** The root of the tree this node lives in (itself for a root scope). */
  readonly root: CancelNode;

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
    const root = parent === undefined ? this : rootOf(this);
    this.root = root;
    roots.set(root, (roots.get(root) ?? 0) + 1);
  }

  /** Marks the scope exited and removes it from its parent. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
    const root = this.root;
    const open = roots.get(root)! - 1;
    if (open === 0) roots.delete(root);
    else roots.set(root, open);
  }
}
