import { HnswIndex, type FusedTraversal } from '@hnswlab/core';
import { graphOf, spaceOf } from '@hnswlab/core/testing';
import { loadKernel } from '@hnswlab/conformance';
import { clusteredSet } from '@hnswlab/datasets';
import { createKernel } from '@hnswlab/kernels-native';
import { describe, expect, it } from 'vitest';

const { kernel, reason } = await loadKernel('native', () => createKernel());

// The addon reads the caller's Uint32Array in place (filter-suite.ts, in @hnswlab/conformance, shows
// the answers match the JavaScript traversal's): any buffer, any offset, and never memory a buffer
// no longer has.
describe('native fused traversal: the filter array, used in place', () => {
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }
  const dim = 12,
    n = 400;
  const data = clusteredSet({ n, dim, queries: 4, seed: 2 });
  const setup = async () => {
    const index = new HnswIndex({ dim, metric: 'l2', M: 8, efConstruction: 32, kernel, seed: 1 });
    await index.addBatch(data.base);
    const t = spaceOf(index).createTraversal!(graphOf(index).layout, { efConstruction: 32, locking: false, timing: false });
    return { index, t };
  };
  /** The rows a filtered search returns for query 0 (ef 20). */
  const found = (t: FusedTraversal, rows: Uint32Array | null) => {
    t.setQuery(data.queries.subarray(0, dim));
    t.setFilter!(rows);
    return Array.from(t.rows.subarray(0, t.search(20, true)));
  };
  /** Rows divisible by 3 allowed, in `words` words at `offset` words into a buffer of the given kind. */
  const every3 = (buffer: ArrayBuffer | SharedArrayBuffer, offset = 0) => {
    const bits = new Uint32Array(buffer, offset * 4, Math.ceil(n / 32));
    for (let r = 0; r < n; r += 3) bits[r >> 5] |= 1 << (r & 31);
    return bits;
  };

  it('takes a Uint32Array over an ArrayBuffer or a SharedArrayBuffer, at any offset, with the same answers', async () => {
    const { index, t } = await setup();
    const plain = found(t, every3(new ArrayBuffer(52 * 4)));
    expect(plain.length).toBe(20);
    expect(plain.every((r) => r % 3 === 0)).toBe(true);
    expect(found(t, every3(new SharedArrayBuffer(52 * 4)))).toEqual(plain);
    expect(found(t, every3(new ArrayBuffer(60 * 4), 7))).toEqual(plain);
    expect(found(t, every3(new SharedArrayBuffer(60 * 4), 3))).toEqual(plain);
    const all = found(t, null);
    expect(all.some((r) => r % 3 !== 0)).toBe(true);
    t.dispose();
    index.dispose();
  });

  it('refuses anything but a Uint32Array or null, and calls after dispose', async () => {
    const { index, t } = await setup();
    for (const bad of [new Int32Array(13), new Uint8Array(52), [1, 2, 3], 7])
      expect(() => t.setFilter!(bad as unknown as Uint32Array), String(bad)).toThrow(TypeError);
    t.setFilter!(undefined as unknown as null);
    expect(found(t, null).length).toBe(20);
    t.dispose();
    expect(() => t.setFilter!(null)).toThrow(/disposed/);
    index.dispose();
  });

  it('a buffer detached while set is never read: the search allows nothing until the filter is set again', async () => {
    const { index, t } = await setup();
    const buffer = new ArrayBuffer(52 * 4);
    const bits = every3(buffer);
    const before = found(t, bits);
    structuredClone(buffer, { transfer: [buffer] });
    expect(bits.length).toBe(0);
    t.setQuery(data.queries.subarray(0, dim));
    expect(t.search(20, true)).toBe(0);
    expect(found(t, every3(new ArrayBuffer(52 * 4)))).toEqual(before);
    t.dispose();
    index.dispose();
  });
});
