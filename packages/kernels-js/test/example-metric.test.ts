// A new metric is one unit: its MetricSpec registered with the core, and one probe per kernel that
// computes it. Here Manhattan (L1) distance for the js kernel, in this one file; the conformance kit
// then checks it against its float64 reference like the built-in metrics, and the index uses it.
import { BruteForceIndex, HnswIndex, listMetrics, registerMetric } from '@hnswlab/core';
import { kernelConformance, loadKernel } from '@hnswlab/conformance';
import { createKernel, registerJsMetric, ScalarProbe } from '@hnswlab/kernels-js';
import { describe, expect, it } from 'vitest';

class L1Probe extends ScalarProbe {
  protected distance(q: Float32Array, a: number, b: number): number {
    const data = this.data;
    let s = 0;
    for (let j = 0; j < this.dim; j++) s += Math.abs(q[a + j] - data[b + j]);
    return s;
  }
}

registerMetric({
  name: 'l1',
  normalise: false,
  reference(a, b) {
    let s = 0;
    for (let j = 0; j < a.length; j++) s += Math.abs(a[j] - b[j]);
    return s;
  },
  // Every term is ≥ 0, so the float32 result is within a few ulps of the float64 sum.
  tolerance: (_a, _b, reference) => Math.max(1e-6, 1e-5 * Math.abs(reference)),
});
registerJsMetric('l1', (space, maxBatch) => new L1Probe(space, maxBatch));

const load = loadKernel('js', createKernel);
kernelConformance('js with the example metric l1', load);

describe('an example metric added in one file (l1)', () => {
  it('is listed by the core and the kernel, and an index on it finds the brute-force neighbours', async () => {
    const kernel = await createKernel();
    expect(listMetrics()).toContain('l1');
    expect(kernel.metrics).toContain('l1');
    const dim = 16;
    let seed = 5;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
    const data = { base: Float32Array.from({ length: 1500 * dim }, random), queries: Float32Array.from({ length: 20 * dim }, random) };
    const index = new HnswIndex({ dim, metric: 'l1', M: 12, efConstruction: 100, kernel, seed: 1 });
    await index.addBatch(data.base, { strategy: 'batched' });
    const oracle = new BruteForceIndex({ dim, metric: 'l1', kernel });
    oracle.addBatch(data.base);
    let hits = 0;
    for (let q = 0; q < 20; q++) {
      const query = data.queries.subarray(q * dim, (q + 1) * dim);
      const truth = new Set(oracle.search(query, 10).ids);
      for (const id of index.search(query, 10, { ef: 100 }).ids) if (truth.has(id)) hits++;
    }
    expect(hits / 200).toBeGreaterThanOrEqual(0.95);
    expect(index.check().problems).toEqual([]);
    expect(() => new HnswIndex({ dim, metric: 'l1', kernel, store: 'i8' })).toThrow(/computes l2, ip, cosine, not 'l1'/);
  });
});
