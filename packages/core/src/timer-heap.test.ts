import { describe, expect, it } from 'vitest';
import { type HeapEntry, TimerHeap } from './timer-heap.js';

interface Entry extends HeapEntry {
  name: number;
}

function order(a: Entry, b: Entry): number {
  return a.at - b.at || a.seq - b.seq;
}

describe('TimerHeap', () => {
  it('pops entries by deadline, then by arrival, through pushes, removals and re-pushes', () => {
    let state = 7;
    const random = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const heap = new TimerHeap<Entry>();
    const live: Entry[] = [];
    let seq = 0;
    for (let round = 0; round < 20_000; round++) {
      const action = random(10);
      if (action < 5 || live.length === 0) {
        const entry = {
          at: random(50) + (random(4) === 0 ? 0.5 : 0),
          seq: seq++,
          index: -1,
          name: round,
        };
        heap.push(entry);
        live.push(entry);
      } else if (action < 8) {
        live.sort(order);
        const expected = live.shift();
        expect(heap.pop()).toBe(expected);
        expect(expected?.index).toBe(-1);
      } else {
        const [entry] = live.splice(random(live.length), 1);
        heap.remove(entry!);
        expect(entry!.index).toBe(-1);
        heap.remove(entry!); // a second removal is ignored
        if (random(2) === 0) {
          // Re-armed, as refresh() does: pushed again with a new deadline and arrival order.
          entry!.at = random(50);
          entry!.seq = seq++;
          heap.push(entry!);
          live.push(entry!);
        }
      }
      expect(heap.size).toBe(live.length);
    }
    live.sort(order);
    for (const entry of live) expect(heap.pop()).toBe(entry);
    expect(heap.pop()).toBeUndefined();
  });

  it('compacts when most entries were removed, keeping the order of the rest', () => {
    const heap = new TimerHeap<Entry>();
    const entries = Array.from({ length: 1000 }, (_, i) => ({
      at: (i * 7919) % 1000,
      seq: i,
      index: -1,
      name: i,
    }));
    for (const entry of entries) heap.push(entry);
    const kept = entries.filter((entry) => entry.name % 10 === 0);
    for (const entry of entries) if (entry.name % 10 !== 0) heap.remove(entry);
    expect(heap.size).toBe(kept.length);
    for (const entry of kept.sort(order)) expect(heap.pop()).toBe(entry);
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
  });

  it('clear() empties the heap and returns every entry unslotted', () => {
    const heap = new TimerHeap<Entry>();
    const entries = [3, 1, 2].map((at, seq) => ({ at, seq, index: -1, name: seq }));
    for (const entry of entries) heap.push(entry);
    expect(heap.clear().sort(order)).toEqual([entries[1], entries[2], entries[0]]);
    expect(entries.every((entry) => entry.index === -1)).toBe(true);
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
  });
});
