import { type CancelNode, currentClock } from '@aiotools/core';
import { validateInstanceOf, validateInteger, validateOptions } from '@aiotools/core/internal';
import { Group } from './group.js';
import { liveRoots, type ScopeNode, scopeNodeOf } from './scope-node.js';
import { hasBrand, SCOPE_NODE, TASK_NODE } from './shared-state.js';
import { TaskGroup } from './task-group.js';
import type { TaskNode } from './task-handle.js';
import { TaskScope } from './task-scope.js';

/** Options of {@link formatTaskTree}. */
export interface FormatTaskTreeOptions {
  /**
   * At most this many children are listed under one node; the rest are counted. An integer
   * ≥ 0. @default 100
   */
  readonly maxChildren?: number | undefined;
  /**
   * Nodes nested deeper than this below the root are not listed; the node at that depth gets
   * one line counting them. An integer ≥ 0. @default 100
   */
  readonly maxDepth?: number | undefined;
}

/** A node still to print, with its line's prefix and the prefix of its children's lines. */
interface Pending {
  readonly node: CancelNode;
  readonly prefix: string;
  readonly childPrefix: string;
  readonly depth: number;
}

/** How many nodes lie below `node`, counted without recursion. */
function countBelow(node: CancelNode): number {
  let count = 0;
  const stack = [node];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const child of next.children()) {
      count++;
      stack.push(child);
    }
  }
  return count;
}

function age(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  return `${(ms / 60_000).toFixed(1)}min`;
}

function describeNode(node: CancelNode, now: number): string {
  // Nodes of every installed copy of the package are told apart by their brands.
  if (hasBrand(node, TASK_NODE)) {
    const { task, born } = node as TaskNode;
    return `task "${task.name}" ${task.state} ${age(now - born)}`;
  }
  const shield = node.shield ? ' shielded' : '';
  if (hasBrand(node, SCOPE_NODE)) {
    const { kind, owner, born } = node as ScopeNode;
    return `${kind} "${owner.name}" ${owner.state}${shield} ${age(now - born)}`;
  }
  const name = node.name === '' ? '' : ` "${node.name}"`;
  return `${node.kind}${name} ${node.cancelled ? 'cancelled' : 'open'}${shield}`;
}

/**
 * Prints the live tree of scopes and tasks: each line names a task group, task scope,
 * supervisor, group, cancel scope or task, with its state and its age on the current clock,
 * indented under the scope it runs in. Settled tasks and exited scopes are gone from it.
 * The tree is walked without recursion, so any depth prints (bounded by `maxDepth`).
 *
 * @param root - print this scope's subtree (a `TaskGroup`, `TaskScope` or `Group`); by default
 * every live tree
 * @throws TypeError for a `root` of another kind; TypeError/RangeError for bad options
 * @example
 * ```ts
 * import { sleep } from '@aiotools/core';
 * import { formatTaskTree, TaskGroup } from '@aiotools/scope';
 *
 * await TaskGroup.run(async (tg) => {
 *   tg.spawn(() => sleep(100), { name: 'sleeper' });
 *   console.log(formatTaskTree(tg));
 *   // taskgroup "TaskGroup-1" open 0ms
 *   // └─ task "sleeper" running 0ms
 * });
 * ```
 */
export function formatTaskTree(
  root?: TaskGroup | TaskScope | Group,
  options?: FormatTaskTreeOptions,
): string {
  if (root !== undefined) validateInstanceOf(root, [TaskGroup, TaskScope, Group], 'root');
  validateOptions(options, 'options');
  const maxChildren = options?.maxChildren ?? 100;
  const maxDepth = options?.maxDepth ?? 100;
  validateInteger(maxChildren, 'options.maxChildren');
  validateInteger(maxDepth, 'options.maxDepth');
  const now = currentClock().now();
  const lines: string[] = [];
  // Depth first, in order: a node's children are pushed last to first, after the line that
  // ends its list, so that they pop first to last and that line comes after all of them.
  const stack: (Pending | string)[] = [];
  const roots = root === undefined ? liveRoots() : [scopeNodeOf(root)!];
  for (let i = roots.length - 1; i >= 0; i--) {
    stack.push({ node: roots[i]!, prefix: '', childPrefix: '', depth: 0 });
  }
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item === 'string') {
      lines.push(item);
      continue;
    }
    const { node, childPrefix, depth } = item;
    lines.push(item.prefix + describeNode(node, now));
    if (depth >= maxDepth) {
      const below = countBelow(node);
      if (below > 0) lines.push(`${childPrefix}└─ … ${below} more below`);
      continue;
    }
    const shown: CancelNode[] = [];
    let total = 0;
    for (const child of node.children()) {
      if (total < maxChildren) shown.push(child);
      total++;
    }
    const more = total - shown.length;
    if (more > 0) stack.push(`${childPrefix}└─ … ${more} more`);
    for (let i = shown.length - 1; i >= 0; i--) {
      const last = i === shown.length - 1 && more === 0;
      stack.push({
        node: shown[i] as CancelNode,
        prefix: `${childPrefix}${last ? '└─ ' : '├─ '}`,
        childPrefix: `${childPrefix}${last ? '   ' : '│  '}`,
        depth: depth + 1,
      });
    }
  }
  return lines.join('\n');
}
