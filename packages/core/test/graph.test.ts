import { describe, expect, it } from 'vitest';
import type { MemoryRegion } from '../dist/contracts.js';
import { Graph, type RegionAllocator } from '../dist/graph.js';
import { H_COUNT, H_ENTRY, H_UNDO_USED, H_UPPER_USED } from '../dist/layout.js';

/** Regions as plain SharedArrayBuffers, counting what is live. */
function allocator(): RegionAllocator & { live: Set<MemoryRegion> } {
  const live = new Set<MemoryRegion>();
  const make = (bytes: number): MemoryRegion => {
    const r = { buffer: new SharedArrayBuffer(bytes), byteOffset: 0, byteLength: bytes };
    live.add(r);
    return r;
  };
  return {
    live,
    allocate: make,
    resize(region, bytes) {
      const next = make(bytes);
      new Uint8Array(next.buffer).set(new Uint8Array(region.buffer, 0, Math.min(bytes, region.byteLength)));
      live.delete(region);
      return next;
    },
    release: (region) => void live.delete(region),
  };
}

/** A graph with `rows` rows at the given levels, each linked to the next ones. */
function graph(levels: number[], M = 4): Graph {
  const g = Graph.create(allocator(), M, 2);
  g.allocate(
    levels,
    Uint32Array.from(levels, (_, i) => 100 + i),
  );
  for (let row = 0; row < levels.length; row++) {
    for (let l = 0; l <= levels[row]; l++) {
      const list = g.listArray(l),
        off = g.listOffset(row, l);
      let n = 0;
      for (let v = 0; v < levels.length && n < g.maxLinks(l); v++) if (v !== row && levels[v] >= l) list[off + 1 + n++] = v;
      list[off] = n;
    }
  }
  g.header[H_ENTRY] = levels.indexOf(Math.max(...levels));
  return g;
}

const lists = (g: Graph) => ({
  links0: Array.from(g.links0.subarray(0, g.count * g.stride0)),
  upper: Array.from(g.upper.subarray(0, g.header[H_UPPER_USED])),
});

describe('Graph', () => {
  it('grows across many steps, keeping every list, level and label', () => {
    const g = Graph.create(allocator(), 3, 1);
    for (let i = 0; i < 500; i++) {
      g.allocate([i % 3], [i]);
      const off = g.listOffset(i, 0);
      g.links0[off] = 1;
      g.links0[off + 1] = i;
    }
    expect(g.capacity).toBeGreaterThanOrEqual(500);
    for (let i = 0; i < 500; i++) {
      expect([g.levels[i], g.labels[i], g.links0[g.listOffset(i, 0) + 1]]).toEqual([i % 3, i, i]);
      if (i % 3) expect(g.upperOffset[i]).toBeGreaterThanOrEqual(0);
      else expect(g.upperOffset[i]).toBe(-1);
    }
  });

  it('the undo log restores every list a batch wrote, and forgets the batch rows', () => {
    const g = graph([0, 1, 2, 0, 1, 0]);
    const saved = g.header.slice();
    const before = lists(g);
    g.beginUndo(g.count, 10);
    g.allocate([1, 0], [200, 201]);
    // The batch rewrites lists of old rows (logged first) and of its own rows (not logged).
    for (const row of [1, 2, 4, 6]) {
      for (let l = 0; l <= g.levels[row]; l++) {
        g.noteWrite(row);
        const list = g.listArray(l),
          off = g.listOffset(row, l);
        list[off] = 1;
        list[off + 1] = 7;
      }
    }
    expect(g.header[H_UNDO_USED]).toBeGreaterThan(0);
    g.rollback(saved);
    expect(g.header[H_COUNT]).toBe(6);
    expect(lists(g)).toEqual(before);
  });

  it('logs a row once per batch, only rows from before the batch, and nothing outside a batch', () => {
    const g = graph([0, 0, 1, 0]);
    g.noteWrite(0);
    expect(g.header[H_UNDO_USED]).toBe(0);
    g.beginUndo(2, 10);
    g.noteWrite(1);
    g.noteWrite(1);
    const once = g.header[H_UNDO_USED];
    expect(once).toBe(2 + g.stride0);
    g.noteWrite(3);
    expect(g.header[H_UNDO_USED]).toBe(once);
    g.endUndo();
    g.beginUndo(4, 10);
    g.noteWrite(1);
    expect(g.header[H_UNDO_USED]).toBe(once);
    g.endUndo();
  });

  it("an attached graph sees the owner's memory and refuses to grow", () => {
    const g = graph([0, 1, 0]);
    const a = Graph.attach(g.layout);
    expect(Array.from(a.links0.subarray(0, 3 * a.stride0))).toEqual(Array.from(g.links0.subarray(0, 3 * g.stride0)));
    g.links0[1] = 99;
    expect(a.links0[1]).toBe(99);
    expect(() => a.reserve(1000)).toThrow(/attached graph cannot grow/);
  });

  it('dispose gives every region back', () => {
    const mem = allocator();
    const g = Graph.create(mem, 4, 8);
    g.allocate([0, 1, 2], [1, 2, 3]);
    g.reserve(100);
    expect(mem.live.size).toBeGreaterThan(0);
    g.dispose();
    expect(mem.live.size).toBe(0);
  });
});
