import { loadKernel } from '@hnswlab/conformance';
import { HnswIndex, type Boundary, type Metric } from '@hnswlab/core';
import { graphFingerprint } from '@hnswlab/core/testing';
import { clusteredSet } from '@hnswlab/datasets';
import { createKernel as createJsKernel } from '@hnswlab/kernels-js';
import { createKernel } from '@hnswlab/kernels-wasm';
import { describe, expect, it } from 'vitest';

const { kernel, reason } = await loadKernel('wasm', createKernel);

// The stores' codes and distances are checked by the conformance suites (kernels-wasm.test.ts); here:
// what is particular to this kernel: which stores fuse traversal (b1) and which run through probes.
describe('wasm quantised stores: boundaries', () => {
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }
  const dim = 40;
  const data = clusteredSet({ n: 600, dim, queries: 3, seed: 4 });
  const query = data.queries.subarray(0, dim);
  const build = async (store: 'f16' | 'i8' | 'b1', metric: Metric, k = kernel, boundary?: Boundary) => {
    const index = new HnswIndex({ dim, metric, M: 8, efConstruction: 32, kernel: k, seed: 1, store, keepFullPrecision: true, boundary });
    await index.addBatch(data.base);
    return index;
  };

  for (const store of ['f16', 'i8'] as const) {
    it(`${store}: no fused traversal; the index defaults to the node boundary and refuses a fused one clearly`, async () => {
      const space = kernel.createSpace({ dim, metric: 'l2', capacity: 4, store });
      expect(space.createTraversal).toBeUndefined();
      space.dispose();
      const index = await build(store, 'l2');
      expect(index.boundary).toBe('node');
      expect(index.search(query, 5, { rerank: 4 }).ids.length).toBe(5);
      index.dispose();
      expect(() => new HnswIndex({ dim, kernel, store, boundary: 'insert' })).toThrow(/fuses traversal.*use 'node'/);
    });
  }

  for (const store of ['i8', 'b1'] as const) {
    for (const metric of ['l2', 'cosine'] as const) {
      it(`${store}, ${metric}: every boundary builds the js kernel's graph byte for byte and answers as it does`, async () => {
        // Bit-exact distances and the same traversal rules: the same graph and answers as the reference kernel.
        const js = await build(store, metric, await createJsKernel());
        const reference = js.search(query, 5, { rerank: 4 });
        const boundaries: Boundary[] = store === 'b1' ? ['node', 'layer', 'insert'] : ['node'];
        for (const boundary of boundaries) {
          const index = await build(store, metric, kernel, boundary);
          expect(graphFingerprint(index), boundary).toEqual(graphFingerprint(js));
          const found = index.search(query, 5, { rerank: 4 });
          // Reranked distances are the f32 kernels' (float32 sums here, float64 in js): equal ids, close distances.
          expect(found.ids, boundary).toEqual(reference.ids);
          reference.distances.forEach((d, i) => expect(found.distances[i]).toBeCloseTo(d, 3));
          expect(Array.from(index.search(query, 8).ids), `${boundary}: without rerank`).toEqual(Array.from(js.search(query, 8).ids));
          index.dispose();
        }
        js.dispose();
      });
    }
  }

  it('b1 fuses: its default boundary is insert, as f32', async () => {
    const index = await build('b1', 'l2');
    expect(index.boundary).toBe('insert');
    index.dispose();
    expect(new HnswIndex({ dim, kernel }).boundary).toBe('insert');
  });
});
