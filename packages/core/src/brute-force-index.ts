import type { DistanceKernel, DistanceProbe, Metric, SearchResult, VectorSpace } from './contracts.js';
import { PairHeap } from './heap.js';
import { metricSpec } from './metrics/registry.js';
import { checkPositiveInt, checkVectors } from './validate.js';

/**
 * Exact search over the same kernel and store: the recall oracle for tests and the harness. Same
 * search() shape as HnswIndex; distances come from batched probe calls like the graph's.
 */
export class BruteForceIndex {
  readonly dim: number;
  readonly metric: Metric;
  private readonly normalise: boolean;
  private readonly space: VectorSpace;
  private labels = new Uint32Array(1024);
  private deleted = new Uint8Array(1024);
  private count = 0;
  private live = 0;
  private readonly rowOf = new Map<number, number>();
  private readonly probe: DistanceProbe;
  private static readonly BATCH = 256;

  constructor(options: { dim: number; metric?: Metric; kernel: DistanceKernel; capacity?: number }) {
    this.dim = checkPositiveInt('dim', options.dim);
    const spec = metricSpec(options.metric ?? 'l2');
    this.metric = spec.name;
    this.normalise = spec.normalise;
    this.space = options.kernel.createSpace({ dim: this.dim, metric: this.metric, capacity: options.capacity ?? 1024 });
    this.probe = this.space.createProbe(BruteForceIndex.BATCH);
  }

  get size(): number {
    return this.live;
  }

  /** Add n vectors (row-major) with ids (default: consecutive from the current count). */
  addBatch(vectors: Float32Array, ids?: ArrayLike<number>): void {
    checkVectors(vectors, this.dim, this.normalise, 'vectors', true);
    const n = vectors.length / this.dim;
    for (let i = 0; i < n; i++) {
      const id = ids ? ids[i] : this.count + i;
      if (this.rowOf.has(id)) throw new RangeError(`id ${id} is already in the index`);
    }
    this.space.reserve(this.count + n);
    this.space.write(this.count, vectors, n, 0);
    if (this.labels.length < this.count + n) {
      const cap = Math.max(this.count + n, this.labels.length * 2);
      const labels = new Uint32Array(cap);
      labels.set(this.labels);
      const deleted = new Uint8Array(cap);
      deleted.set(this.deleted);
      this.labels = labels;
      this.deleted = deleted;
    }
    for (let i = 0; i < n; i++) {
      const id = ids ? ids[i] : this.count + i;
      this.labels[this.count + i] = id;
      this.rowOf.set(id, this.count + i);
    }
    this.count += n;
    this.live += n;
  }

  remove(id: number): void {
    const row = this.rowOf.get(id);
    if (row === undefined) throw new RangeError(`id ${id} is not in the index`);
    this.rowOf.delete(id);
    this.deleted[row] = 1;
    this.live--;
  }

  has(id: number): boolean {
    return this.rowOf.has(id);
  }

  search(query: Float32Array, k: number): SearchResult {
    checkVectors(query, this.dim, this.normalise, 'query');
    checkPositiveInt('k', k);
    const probe = this.probe;
    probe.setQuery(query);
    const heap = PairHeap.farthestFirst(k + 1);
    for (let start = 0; start < this.count; start += BruteForceIndex.BATCH) {
      const m = Math.min(BruteForceIndex.BATCH, this.count - start);
      const ids = probe.ids;
      for (let i = 0; i < m; i++) ids[i] = start + i;
      probe.toRows(m);
      const out = probe.out;
      for (let i = 0; i < m; i++) {
        if (this.deleted[start + i]) continue;
        if (heap.size < k || out[i] < heap.topKey()) {
          heap.push(out[i], start + i);
          if (heap.size > k) heap.pop();
        }
      }
    }
    const n = heap.size;
    const rows = new Int32Array(n);
    const distances = new Float32Array(n);
    heap.drainReversed(rows, distances);
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) ids[i] = this.labels[rows[i]];
    return { ids, distances };
  }
}
