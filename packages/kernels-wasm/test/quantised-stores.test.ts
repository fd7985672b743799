import { loadKernel } from '@hnswlab/conformance';
import { HnswIndex } from '@hnswlab/core';
import { graphFingerprint } from '@hnswlab/core/testing';
import { clusteredSet } from '@hnswlab/datasets';
import { createKernel as createJsKernel } from '@hnswlab/kernels-js';
import { createKernel } from '@hnswlab/kernels-wasm';
import { describe, expect, it } from 'vitest';

const { kernel, reason } = await loadKernel('wasm', createKernel);

// The stores' codes and distances are checked by the conformance suites (kernels-wasm.test.ts); here:
// what is particular to this kernel, that a quantised space has no fused traversal.
describe('wasm quantised stores: probes only, no fused traversal', () => {
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }
  const dim = 20;
  const data = clusteredSet({ n: 300, dim, queries: 3, seed: 4 });

  for (const store of ['f16', 'i8', 'b1'] as const) {
    it(`${store}: the index defaults to the node boundary, builds (i8, b1: the js kernel's graph, byte for byte), and refuses a fused one clearly`, async () => {
      const space = kernel.createSpace({ dim, metric: 'l2', capacity: 4, store });
      expect(space.createTraversal).toBeUndefined();
      space.dispose();
      const index = new HnswIndex({ dim, M: 8, efConstruction: 32, kernel, seed: 1, store, keepFullPrecision: true });
      expect(index.boundary).toBe('node');
      await index.addBatch(data.base);
      const found = index.search(data.queries.subarray(0, dim), 5, { rerank: 4 });
      expect(found.ids.length).toBe(5);
      if (store !== 'f16') {
        // Bit-exact distances, the same JavaScript traversal: the same graph and answers as the reference kernel.
        const js = new HnswIndex({
          dim,
          M: 8,
          efConstruction: 32,
          kernel: await createJsKernel(),
          seed: 1,
          store,
          keepFullPrecision: true,
        });
        await js.addBatch(data.base);
        expect(graphFingerprint(index)).toEqual(graphFingerprint(js));
        // Reranked distances are the f32 kernels' (float32 sums here, float64 in js): equal ids, close distances.
        const reference = js.search(data.queries.subarray(0, dim), 5, { rerank: 4 });
        expect(reference.ids).toEqual(found.ids);
        reference.distances.forEach((d, i) => expect(found.distances[i]).toBeCloseTo(d, 3));
        js.dispose();
      }
      index.dispose();
      expect(() => new HnswIndex({ dim, kernel, store, boundary: 'insert' })).toThrow(/fuses traversal.*use 'node'/);
    });
  }

  it('f32 keeps the fused default', () => {
    const index = new HnswIndex({ dim, kernel });
    expect(index.boundary).toBe('insert');
    index.dispose();
  });
});
