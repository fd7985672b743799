import type { DistanceProbe } from './contracts.js';
import type { Counters } from './counters.js';

/**
 * The `pair` boundary: a probe that crosses into the kernel once per distance, as the predecessor's
 * engine did, so its cost is visible beside the batched `node` boundary. Every batched call becomes
 * a loop of single-distance calls with the same float32 results, so the graph is the same. The
 * callers count one crossing per batched call; the extra ones are counted here.
 */
export class PairProbe implements DistanceProbe {
  ids: Int32Array;
  out: Float32Array;
  /** The stored row the inner probe holds as its query for rowToRows/firstNearer, or −1. */
  private pairRow = -1;

  constructor(
    private readonly inner: DistanceProbe,
    /** A second inner probe for distances between stored rows, so the query of `inner` is kept. */
    private readonly rowProbe: DistanceProbe,
    readonly maxBatch: number,
    private readonly counters: Counters,
  ) {
    this.ids = new Int32Array(maxBatch);
    this.out = new Float32Array(maxBatch);
  }

  setQuery(vector: Float32Array, offset?: number): void {
    this.inner.setQuery(vector, offset);
  }

  setQueryRow(row: number): void {
    this.inner.setQueryRow(row);
  }

  toRows(count: number): void {
    const ids = this.ids,
      out = this.out,
      inner = this.inner;
    for (let i = 0; i < count; i++) out[i] = inner.toRow(ids[i]);
    this.counters.kernelCalls += count - 1;
  }

  toRow(row: number): number {
    return this.inner.toRow(row);
  }

  rowToRows(row: number, count: number): void {
    this.useRow(row);
    const ids = this.ids,
      out = this.out,
      p = this.rowProbe;
    for (let i = 0; i < count; i++) out[i] = p.toRow(ids[i]);
    this.counters.kernelCalls += count - 1;
  }

  firstNearer(row: number, count: number, bound: number): number {
    this.useRow(row);
    const ids = this.ids,
      p = this.rowProbe;
    let i = 0;
    while (i < count && !(p.toRow(ids[i]) < bound)) i++;
    this.counters.kernelCalls += Math.min(i + 1, count) - 1;
    return i;
  }

  private useRow(row: number): void {
    if (row !== this.pairRow) {
      this.rowProbe.setQueryRow(row);
      this.pairRow = row;
      this.counters.kernelCalls++;
    }
  }
}
