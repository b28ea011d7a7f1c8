/** What the heap needs of an entry: its deadline, its arrival order and its slot. */
export interface HeapEntry {
  at: number;
  seq: number;
  /** Position in the heap, -1 when not in it. */
  index: number;
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * A binary min-heap of timers ordered by deadline, then by arrival (FIFO on ties). Entries
 * remember their slot, so removal is O(log n) without a search.
 */
export class TimerHeap<T extends HeapEntry> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(entry: T): void {
    entry.index = this.items.length;
    this.items.push(entry);
    this.up(entry.index);
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop()!;
    top.index = -1;
    if (last !== top) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Removes `entry` if it is in the heap. */
  remove(entry: T): void {
    const i = entry.index;
    if (i < 0 || this.items[i] !== entry) return;
    const last = this.items.pop()!;
    entry.index = -1;
    if (last === entry) return;
    this.items[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  /** Empties the heap and returns what it held. */
  clear(): T[] {
    const items = this.items;
    this.items = [];
    for (const entry of items) entry.index = -1;
    return items;
  }

  private up(i: number): void {
    const items = this.items;
    const entry = items[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p]!;
      if (!before(entry, parent)) break;
      items[i] = parent;
      parent.index = i;
      i = p;
    }
    items[i] = entry;
    entry.index = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const entry = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!before(child, entry)) break;
      items[i] = child;
      child.index = i;
      i = c;
    }
    items[i] = entry;
    entry.index = i;
  }
}
