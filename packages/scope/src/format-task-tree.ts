import { type CancelNode, currentClock } from '@aiotools/core';
import type { Group } from './group.js';
import { liveRoots, ScopeNode } from './scope-node.js';
import type { TaskGroup } from './task-group.js';
import { TaskNode } from './task-handle.js';
import type { TaskScope } from './task-scope.js';

/** Options of {@link formatTaskTree}. */
export interface FormatTaskTreeOptions {
  /** At most this many children are listed under one node; the rest are counted. @default 100 */
  readonly maxChildren?: number | undefined;
}

function age(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  return `${(ms / 60_000).toFixed(1)}min`;
}

function describe(node: CancelNode, now: number): string {
  if (node instanceof TaskNode) {
    const task = node.task as { name: string; state: string; born: number };
    return `task "${task.name}" ${task.state} ${age(now - task.born)}`;
  }
  const shield = node.shield ? ' shielded' : '';
  if (node instanceof ScopeNode) {
    return `${node.kind} "${node.owner.name}" ${node.owner.state}${shield} ${age(now - node.born)}`;
  }
  const name = node.name === '' ? '' : ` "${node.name}"`;
  return `${node.kind}${name} ${node.cancelled ? 'cancelled' : 'open'}${shield}`;
}

/**
 * Prints the live tree of scopes and tasks: each line names a task group, task scope,
 * supervisor, group, cancel scope or task, with its state and its age on the current clock,
 * indented under the scope it runs in. Settled tasks and exited scopes are gone from it.
 *
 * @param root - print this scope's subtree; by default every live tree
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
  const max = options?.maxChildren ?? 100;
  const now = currentClock().now();
  const lines: string[] = [];
  const visit = (node: CancelNode, prefix: string, childPrefix: string) => {
    lines.push(prefix + describe(node, now));
    const children = [...node.children()];
    const shown = children.length > max ? children.slice(0, max) : children;
    const more = children.length - shown.length;
    shown.forEach((child, i) => {
      const last = i === shown.length - 1 && more === 0;
      visit(
        child,
        `${childPrefix}${last ? '└─ ' : '├─ '}`,
        `${childPrefix}${last ? '   ' : '│  '}`,
      );
    });
    if (more > 0) lines.push(`${childPrefix}└─ … ${more} more`);
  };
  const roots = root === undefined ? liveRoots() : [root.node];
  for (const node of roots) visit(node, '', '');
  return lines.join('\n');
}
