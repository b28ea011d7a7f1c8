/** What the heap needs of an entry: its deadline, its arrival order and its slot. */
export interface HeapEntry {
  at: number;
  seq: number;
  /** Position in the heap, -1 when not in it. */
  index: number;
}

/**
 * A 4-ary min-heap of timers ordered by deadline, then by arrival (FIFO on ties). Entries
 * remember their slot, so removal is O(log n) without a search. The keys of every slot are
 * kept in two packed arrays beside the entries, so sifting compares numbers in a row instead
 * of reading two objects per comparison, and four children per level halve the depth (and
 * the slot updates) of a binary heap.
 */
export class TimerHeap<T extends HeapEntry> {
  #items: T[] = [];
  #ats: number[] = [];
  #seqs: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(entry: T): void {
    this.#items.push(entry);
    this.#ats.push(entry.at);
    this.#seqs.push(entry.seq);
    this.#up(this.#items.length - 1, entry, entry.at, entry.seq);
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const items = this.#items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    top.index = -1;
    const last = items.pop()!;
    const at = this.#ats.pop()!;
    const seq = this.#seqs.pop()!;
    if (last !== top) this.#down(0, last, at, seq);
    return top;
  }

  /** Removes `entry` if it is in the heap. */
  remove(entry: T): void {
    const i = entry.index;
    const items = this.#items;
    if (i < 0 || items[i] !== entry) return;
    entry.index = -1;
    const last = items.pop()!;
    const at = this.#ats.pop()!;
    const seq = this.#seqs.pop()!;
    if (last === entry) return;
    const p = (i - 1) >> 2;
    if (i > 0 && (at < this.#ats[p]! || (at === this.#ats[p]! && seq < this.#seqs[p]!)))
      this.#up(i, last, at, seq);
    else this.#down(i, last, at, seq);
  }

  /** Empties the heap and returns what it held. */
  clear(): T[] {
    const items = this.#items;
    this.#items = [];
    this.#ats = [];
    this.#seqs = [];
    for (const entry of items) entry.index = -1;
    return items;
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
      const parent = items[p]!;
      items[i] = parent;
      parent.index = i;
      ats[i] = pAt;
      seqs[i] = seqs[p]!;
      i = p;
    }
    items[i] = entry;
    entry.index = i;
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
      const child = items[c]!;
      items[i] = child;
      child.index = i;
      ats[i] = cAt;
      seqs[i] = cSeq;
      i = c;
    }
    items[i] = entry;
    entry.index = i;
    ats[i] = at;
    seqs[i] = seq;
  }
}
