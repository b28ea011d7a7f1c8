/** What the heap needs of an entry: its deadline, its arrival order and whether it is in the heap. */
export interface HeapEntry {
  at: number;
  seq: number;
  /** ≥ 0 while the entry is in the heap, -1 when not (popped, removed, or never pushed). */
  index: number;
}

/** Below this many removed entries the heap never compacts. */
const COMPACT_MIN = 64;

/**
 * A 4-ary min-heap of timers ordered by deadline, then by arrival (FIFO on ties). The keys of
 * every slot are kept in two packed arrays beside the entries, so sifting compares numbers in a
 * row instead of reading two objects per comparison, and four children per level halve the
 * depth of a binary heap.
 *
 * Removal is lazy: a removed entry is only marked (`index = -1`) and its slot is dropped when
 * it reaches the top, so sifting never writes to the entries it moves. A slot is live while its
 * entry is in the heap and was pushed with the arrival order the slot keeps: an entry pushed
 * again (a timer re-armed) takes a new arrival order, which leaves its old slot dead. When dead
 * slots outnumber the live ones, the heap is rebuilt without them.
 *
 * vclock keeps its virtual timers in it, and `@aiotools/cancel` the deadlines of the real clock.
 *
 * @example
 * ```ts
 * import { type HeapEntry, TimerHeap } from '@aiotools/core/internal';
 *
 * interface Job extends HeapEntry {
 *   name: string;
 * }
 * let seq = 0;
 * const job = (name: string, at: number): Job => ({ name, at, seq: seq++, index: -1 });
 * const heap = new TimerHeap<Job>();
 * const late = job('late', 200);
 * heap.push(late);
 * heap.push(job('soon', 100));
 * heap.remove(late);
 * heap.pop()?.name; // 'soon'
 * heap.size; // 0
 * ```
 */
export class TimerHeap<T extends HeapEntry> {
  #items: T[] = [];
  #ats: number[] = [];
  #seqs: number[] = [];
  #dead = 0;

  /** Entries in the heap. */
  get size(): number {
    return this.#items.length - this.#dead;
  }

  peek(): T | undefined {
    this.#dropDead();
    return this.#items[0];
  }

  /** Adds `entry`, which must not be in the heap, with its current `at` and `seq`. */
  push(entry: T): void {
    entry.index = 0;
    this.#items.push(entry);
    this.#ats.push(entry.at);
    this.#seqs.push(entry.seq);
    this.#up(this.#items.length - 1, entry, entry.at, entry.seq);
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    this.#dropDead();
    if (this.#items.length === 0) return undefined;
    const top = this.#removeTop();
    top.index = -1;
    return top;
  }

  /** Removes `entry` if it is in the heap. */
  remove(entry: T): void {
    if (entry.index < 0) return;
    entry.index = -1;
    this.#dead++;
    if (this.#dead >= COMPACT_MIN && 2 * this.#dead > this.#items.length) this.#compact();
  }

  /** Empties the heap and returns what it held. */
  clear(): T[] {
    const items = this.#items;
    const seqs = this.#seqs;
    const live = items.filter((entry, i) => entry.index >= 0 && entry.seq === seqs[i]);
    this.#items = [];
    this.#ats = [];
    this.#seqs = [];
    this.#dead = 0;
    for (const entry of live) entry.index = -1;
    return live;
  }

  /** Drops dead slots from the top. */
  #dropDead(): void {
    const items = this.#items;
    const seqs = this.#seqs;
    while (items.length > 0) {
      const top = items[0]!;
      if (top.index >= 0 && top.seq === seqs[0]) return;
      this.#removeTop();
      this.#dead--;
    }
  }

  /** Takes the top slot out and returns its entry. */
  #removeTop(): T {
    const items = this.#items;
    const top = items[0]!;
    const last = items.pop()!;
    const at = this.#ats.pop()!;
    const seq = this.#seqs.pop()!;
    if (items.length > 0) this.#down(0, last, at, seq);
    return top;
  }

  /** Rebuilds the heap from its live slots. */
  #compact(): void {
    const items: T[] = [];
    const ats: number[] = [];
    const seqs: number[] = [];
    const oldSeqs = this.#seqs;
    const oldAts = this.#ats;
    this.#items.forEach((entry, i) => {
      if (entry.index < 0 || entry.seq !== oldSeqs[i]) return;
      items.push(entry);
      ats.push(oldAts[i]!);
      seqs.push(oldSeqs[i]!);
    });
    this.#items = items;
    this.#ats = ats;
    this.#seqs = seqs;
    this.#dead = 0;
    for (let i = (items.length - 2) >> 2; i >= 0; i--) this.#down(i, items[i]!, ats[i]!, seqs[i]!);
  }

  /** Puts `entry` (keys `at`, `seq`) at slot `i` or above. */
  #up(i: number, entry: T, at: number, seq: number): void {
    const items = this.#items;
    const ats = this.#ats;
    const seqs = this.#seqs;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pAt = ats[p]!;
      if (pAt < at || (pAt === at && seqs[p]! < seq)) break;
      items[i] = items[p]!;
      ats[i] = pAt;
      seqs[i] = seqs[p]!;
      i = p;
    }
    items[i] = entry;
    ats[i] = at;
    seqs[i] = seq;
  }

  /** Puts `entry` (keys `at`, `seq`) at slot `i` or below. */
  #down(i: number, entry: T, at: number, seq: number): void {
    const items = this.#items;
    const ats = this.#ats;
    const seqs = this.#seqs;
    const n = items.length;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      const end = Math.min(first + 4, n);
      let c = first;
      let cAt = ats[first]!;
      let cSeq = seqs[first]!;
      for (let j = first + 1; j < end; j++) {
        const jAt = ats[j]!;
        if (jAt < cAt || (jAt === cAt && seqs[j]! < cSeq)) {
          c = j;
          cAt = jAt;
          cSeq = seqs[j]!;
        }
      }
      if (at < cAt || (at === cAt && seq < cSeq)) break;
      items[i] = items[c]!;
      ats[i] = cAt;
      seqs[i] = cSeq;
      i = c;
    }
    items[i] = entry;
    ats[i] = at;
    seqs[i] = seq;
  }
}
