import { BOUNDARIES, HnswIndex, closeWorkers, listMetrics, type Boundary, type DistanceKernel, type FilterInput } from '@hnswlab/core';
import { graphFingerprint, graphOf, spaceOf } from '@hnswlab/core/testing';
import { clusteredSet, SeededRandom, type VectorSet } from '@hnswlab/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelLoad } from './load-kernel.js';

const dim = 20; // not a multiple of 8 or 16: every SIMD path's tail runs
const n = 3000;
const k = 10;
const ef = 16;

/** An id bitset: bit `id & 31` of word `id >> 5` (Uint32Array) or bit `id & 7` of byte `id >> 3` (Uint8Array). */
function idBits<T extends Uint8Array | Uint32Array>(make: new (length: number) => T, ids: Iterable<number>, count: number): T {
  const shift = make === (Uint8Array as unknown) ? 3 : 5;
  const bits = new make((count >> shift) + 1);
  for (const id of ids) bits[id >> shift] |= 1 << (id & ((1 << shift) - 1));
  return bits;
}

/**
 * Filters of several selectivities and every form the index takes, searched in the graph
 * (`filterMode: 'graph'`: this suite tests the traversal's filtering, not the choice of a scan; each
 * search asserts it walked): a random half as a Set, a random
 * quarter as a Uint8Array bitset, the ids whose first coordinate is high (correlated with the data's
 * clusters, about 30%) as a Uint32Array bitset, and every fifth id as a SearchFilter (one compiled
 * filter for every query: the wasm kernel's no-copy path).
 */
function filtersFor(index: HnswIndex, data: VectorSet, seed: number): Array<[string, FilterInput]> {
  const rng = new SeededRandom(seed);
  const ids = Array.from({ length: n }, (_, i) => i);
  const firsts = ids.map((i) => data.base[i * dim]).sort((a, b) => a - b);
  const high = firsts[Math.floor(n * 0.7)];
  return [
    ['a Set (50%)', new Set(ids.filter(() => rng.uniform() < 0.5))],
    [
      'a Uint8Array id bitset (25%)',
      idBits(
        Uint8Array,
        ids.filter(() => rng.uniform() < 0.25),
        n,
      ),
    ],
    [
      'a Uint32Array id bitset (30%, correlated)',
      idBits(
        Uint32Array,
        ids.filter((i) => data.base[i * dim] > high),
        n,
      ),
    ],
    ['index.createFilter (20%)', index.createFilter(ids.filter((i) => i % 5 === 2))],
  ];
}

/** Filtered answers: per filter, each query's ids, distances and whether it was exact; then the distance evaluations they cost. */
function filteredAnswers(index: HnswIndex, data: VectorSet, filters: Array<[string, FilterInput]>): unknown {
  const before = index.stats().distanceEvals;
  const out: unknown[] = [];
  const ask = (name: string, filter: FilterInput, q: number) => {
    const r = index.search(data.queries.subarray(q * dim, (q + 1) * dim), k, { ef, filter, filterMode: 'graph' });
    expect(r.exact, `${name}: searched in the graph, not scanned`).toBe(false);
    out.push([name, q, Array.from(r.ids), Array.from(r.distances)]);
  };
  // Filter after filter (one filter for many queries), then interleaved (a different one each query).
  for (const [name, filter] of filters) for (let q = 0; q < 8; q++) ask(name, filter, q);
  for (let q = 8; q < 12; q++) for (const [name, filter] of filters) ask(name, filter, q);
  return { out, evals: index.stats().distanceEvals - before };
}

/** Filtered searchBatch answers on `threads` threads, and the distance evaluations they cost. */
async function batchAnswers(index: HnswIndex, data: VectorSet, filters: Array<[string, FilterInput]>, threads: number): Promise<unknown> {
  const before = index.stats().distanceEvals;
  const out: unknown[] = [];
  for (const [name, filter] of filters) {
    const r = await index.searchBatch(data.queries, k, { ef, filter, threads, filterMode: 'graph' });
    expect(r.exact, name).toBeUndefined();
    out.push([name, Array.from(r.ids), Array.from(r.distances), Array.from(r.counts)]);
  }
  return { out, evals: index.stats().distanceEvals - before };
}

/**
 * Filtered search in the kernel's fused traversal (boundaries `layer` and `insert`) answers exactly
 * as the JavaScript traversal (`node`): the same ids, distances and distance evaluations, for every
 * metric, filters of several selectivities in every form, tombstones present, through search and
 * through searchBatch on two worker threads, after the index grew, and for bitsets shorter or longer
 * than the graph. A kernel whose traversal has no setFilter would pass this by falling back to
 * JavaScript, so the suite first checks it has one, and it shows that a traversal ignoring the filter
 * fails the comparison.
 */
export function filterSuite(label: string, load: Promise<KernelLoad>): void {
  describe(`filtered search in the fused traversal: ${label}`, async () => {
    const { kernel, reason } = await load;
    if (!kernel) {
      it.skip(`skipped: ${reason}`, () => {});
      return;
    }
    const kern: DistanceKernel = kernel;
    const fused = BOUNDARIES.filter((b) => (b === 'layer' || b === 'insert') && kern.boundaries.includes(b));
    if (fused.length === 0) {
      it.skip(`skipped: ${kern.name} does not fuse traversal`, () => {});
      return;
    }
    afterAll(() => closeWorkers());
    const boundaries: Boundary[] = ['node', ...fused];
    const data = clusteredSet({ n, dim, queries: 12, seed: 21 });
    const make = (boundary: Boundary, metric: string) =>
      new HnswIndex({ dim, metric, M: 8, efConstruction: 32, kernel: kern, seed: 3, boundary, capacity: 16 });
    const build = async (boundary: Boundary, metric: string, rows = n) => {
      const index = make(boundary, metric);
      await index.addBatch(data.base.subarray(0, rows * dim), { strategy: 'sequential' });
      for (let id = 0; id < rows; id += 9) index.remove(id);
      return index;
    };
    const traversalOf = (index: HnswIndex) =>
      spaceOf(index).createTraversal!(graphOf(index).layout, { efConstruction: 32, locking: false, timing: false });

    it('the fused traversal has setFilter (so filtered queries run in the kernel, not the JavaScript fallback)', async () => {
      const index = await build('insert', 'l2', 100);
      const t = traversalOf(index);
      expect(typeof t.setFilter).toBe('function');
      t.dispose();
      index.dispose();
    });

    for (const metric of listMetrics().filter((m) => kern.metrics.includes(m))) {
      it(`${metric}: ${boundaries.join(', ')} answer filtered searches and searchBatch (2 threads) alike, tombstones present`, async () => {
        const seen = new Map<Boundary, unknown>();
        for (const boundary of boundaries) {
          const index = await build(boundary, metric);
          const filters = filtersFor(index, data, 7);
          const one = filteredAnswers(index, data, filters);
          const batch = await batchAnswers(index, data, filters, 2);
          seen.set(boundary, { graph: graphFingerprint(index), one, batch });
          index.dispose();
        }
        for (const b of fused) expect(seen.get(b), `${b} against node`).toEqual(seen.get('node'));
      });
    }

    it('after the index grew: the same answers through every boundary (a stale SearchFilter compiled again, longer)', async () => {
      const seen = new Map<Boundary, unknown>();
      for (const boundary of boundaries) {
        const index = make(boundary, 'cosine');
        await index.addBatch(data.base.subarray(0, 600 * dim), { strategy: 'sequential' });
        const even = index.createFilter(Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0));
        const q = (i: number) => data.queries.subarray(i * dim, (i + 1) * dim);
        const ask = () =>
          Array.from({ length: 6 }, (_, i) => {
            const r = index.search(q(i), k, { ef, filter: even, filterMode: 'graph' });
            expect(r.exact, 'searched in the graph').toBe(false);
            return [Array.from(r.ids), Array.from(r.distances)];
          });
        const small = ask();
        await index.addBatch(data.base.subarray(600 * dim, n * dim), { strategy: 'sequential' });
        for (let id = 1; id < n; id += 11) index.remove(id);
        const grown = ask();
        const batch = await batchAnswers(index, data, filtersFor(index, data, 8), 2);
        seen.set(boundary, { small, grown, batch, evals: index.stats().distanceEvals });
        index.dispose();
      }
      for (const b of fused) expect(seen.get(b), `${b} against node`).toEqual(seen.get('node'));
    });

    it('a bitset shorter than the graph leaves the rows past it out; a longer one is read only as far as the rows go', async () => {
      const node = await build('node', 'l2'),
        index = await build(fused[fused.length - 1], 'l2');
      const t = traversalOf(index);
      const labels = graphOf(index).labels;
      const rng = new SeededRandom(11);
      const random = (words: number) => Uint32Array.from({ length: words }, () => rng.int(0x100000000));
      const allowedIds = (bits: Uint32Array) =>
        new Set(
          Array.from({ length: n }, (_, r) => r)
            .filter((r) => (bits[r >> 5] >>> (r & 31)) & 1)
            .map((r) => labels[r]),
        );
      const counters = {
        distanceEvals: 0,
        nodesVisited: 0,
        navigation: 0,
        neighborSearch: 0,
        connectionManagement: 0,
        lockSpins: 0,
        lockWait: 0,
      };
      const fusedSearch = (bits: Uint32Array | null, q: number, skipDeleted = true) => {
        t.setQuery(data.queries.subarray(q * dim, (q + 1) * dim));
        t.setFilter!(bits);
        const found = Math.min(k, t.search(ef, skipDeleted));
        counters.distanceEvals = 0;
        t.drainCounters(counters);
        return {
          ids: Array.from(t.rows.subarray(0, found), (r) => labels[r]),
          distances: Array.from(t.dists.subarray(0, found)),
          evals: counters.distanceEvals,
        };
      };
      const nodeSearch = (filter: FilterInput | undefined, q: number) => {
        const before = node.stats().distanceEvals;
        const r = node.search(data.queries.subarray(q * dim, (q + 1) * dim), k, { ef, filter, filterMode: 'graph' });
        expect(r.exact ?? false).toBe(false);
        return { ids: Array.from(r.ids), distances: Array.from(r.distances), evals: node.stats().distanceEvals - before };
      };
      const short = random(Math.ceil((0.6 * n) / 32)),
        long = random(Math.ceil(n / 32) + 5);
      for (let q = 0; q < 6; q++) {
        expect(fusedSearch(short, q), `short, query ${q}`).toEqual(nodeSearch(allowedIds(short), q));
        expect(fusedSearch(long, q), `long, query ${q}`).toEqual(nodeSearch(allowedIds(long), q));
        expect(fusedSearch(new Uint32Array(0), q).ids, 'an empty bitset allows nothing').toEqual([]);
        expect(fusedSearch(null, q), `cleared, query ${q}`).toEqual(nodeSearch(undefined, q));
        // Without skipDeleted the filter is not applied (the core never filters an insert's search).
        expect(fusedSearch(short, q, false), `skipDeleted off, query ${q}`).toEqual(fusedSearch(null, q, false));
      }
      t.dispose();
      node.dispose();
      index.dispose();
    });

    it('a traversal that ignored the filter would fail this suite', async () => {
      const node = await build('node', 'ip'),
        index = await build(fused[0], 'ip');
      const t = traversalOf(index);
      const proto = Object.getPrototypeOf(t) as { setFilter(rows: Uint32Array | null): void };
      const setFilter = proto.setFilter;
      t.dispose();
      proto.setFilter = function (this: unknown) {
        setFilter.call(this, null);
      };
      try {
        expect(filteredAnswers(index, data, filtersFor(index, data, 7))).not.toEqual(
          filteredAnswers(node, data, filtersFor(node, data, 7)),
        );
      } finally {
        proto.setFilter = setFilter;
      }
      expect(filteredAnswers(index, data, filtersFor(index, data, 7))).toEqual(filteredAnswers(node, data, filtersFor(node, data, 7)));
      node.dispose();
      index.dispose();
    });
  });
}
