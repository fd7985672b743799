import { HnswIndex, type FusedTraversal } from '@hnswlab/core';
import { graphOf, spaceOf } from '@hnswlab/core/testing';
import { loadKernel } from '@hnswlab/conformance';
import { clusteredSet } from '@hnswlab/datasets';
import { createKernel } from '@hnswlab/kernels-wasm';
import { describe, expect, it } from 'vitest';

const { kernel, reason } = await loadKernel('wasm', createKernel);

// The module reads the filter from its own memory, so WasmTraversal copies it into scratch
// (filter-suite.ts, in @hnswlab/conformance, shows the answers match the JavaScript traversal's).
describe('wasm fused traversal: the filter copied into the module memory', () => {
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }
  const dim = 12,
    n = 400;
  const data = clusteredSet({ n, dim, queries: 4, seed: 2 });
  const build = async () => {
    const index = new HnswIndex({ dim, metric: 'l2', M: 8, efConstruction: 32, kernel, seed: 1 });
    await index.addBatch(data.base);
    return index;
  };
  const traversalOf = (index: HnswIndex, space = spaceOf(index)) =>
    space.createTraversal!(graphOf(index).layout, { efConstruction: 32, locking: false, timing: false }) as FusedTraversal & {
      readonly scratchBytes: number;
    };
  /** The rows a filtered search returns for query 0 (ef 20). */
  const found = (t: FusedTraversal, rows: Uint32Array | null) => {
    t.setQuery(data.queries.subarray(0, dim));
    t.setFilter!(rows);
    return Array.from(t.rows.subarray(0, t.search(20, true)));
  };
  /** Rows r < below with r % 2 === parity allowed, in `words` words. */
  const parity = (parity: number, words = Math.ceil(n / 32), below = n) => {
    const bits = new Uint32Array(words);
    for (let r = parity; r < Math.min(below, words * 32); r += 2) bits[r >> 5] |= 1 << (r & 31);
    return bits;
  };

  it('copies a new array, not the one copied last (at the same length); re-carves only for a longer one', async () => {
    const index = await build();
    const t = traversalOf(index);
    const even = parity(0);
    const a = found(t, even);
    expect(a.length).toBe(20);
    expect(a.every((r) => r % 2 === 0)).toBe(true);
    const bytes = t.scratchBytes;
    // The same array again is not copied again: a change to it is not seen (the rule: do not change one between setFilter calls).
    even.set(parity(1));
    expect(found(t, null).some((r) => r % 2 === 1)).toBe(true);
    expect(found(t, even)).toEqual(a);
    // A different array of the same length (even one equal to it) is copied.
    const odd = found(t, new Uint32Array(even));
    expect(odd.every((r) => r % 2 === 1)).toBe(true);
    expect(t.scratchBytes).toBe(bytes);
    // Longer: the block is carved again; shorter: the block is kept and rows past the array are left out.
    expect(found(t, parity(1, 400))).toEqual(odd);
    const grown = t.scratchBytes;
    expect(grown).toBeGreaterThan(bytes);
    const short = found(t, parity(0, 5));
    expect(short.length).toBeGreaterThan(0);
    expect(short.every((r) => r % 2 === 0 && r < 160)).toBe(true);
    expect(t.scratchBytes).toBe(grown);
    expect(found(t, new Uint32Array(0))).toEqual([]);
    expect(() => t.setFilter!(new Int32Array(13) as unknown as Uint32Array)).toThrow(TypeError);
    t.dispose();
    expect(() => t.setFilter!(null)).toThrow(/disposed/);
    index.dispose();
  });

  it('gives the block back when disposed: attached traversals with large filters, many times, do not grow the memory', async () => {
    const index = await build();
    const owner = spaceOf(index);
    const cycle = () => {
      const attached = kernel.attachSpace(structuredClone(owner.handle()));
      const t = traversalOf(index, attached);
      // 256 KiB: four wasm pages per cycle, were it kept.
      expect(found(t, parity(1, 65536)).every((r) => r % 2 === 1)).toBe(true);
      t.dispose();
      attached.dispose();
    };
    cycle();
    const bytes = owner.byteLength;
    for (let i = 0; i < 20; i++) cycle();
    expect(owner.byteLength).toBe(bytes);
    index.dispose();
  });
});
