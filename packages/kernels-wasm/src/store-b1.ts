import type { FusedTraversal, GraphLayout, Metric, Quantiser, TraversalOptions } from '@hnswlab/core/contracts';
import { encodeB1, normaliseInPlace } from '@hnswlab/kernels-js';
import { WasmCodeSpace, type WasmCodeSpaceHandle } from './code-space.js';
import { traversalFns } from './kernel-module.js';

/**
 * The 'b1' store: bit j is x_j > c_j (the reference's encodeB1), ⌈dim/32⌉ uint32 words per row;
 * every metric's distance is the Hamming distance, by assembly/b1.ts (i8x16.popcnt), exact.
 */
export class WasmB1Space extends WasmCodeSpace {
  readonly decodesRows = false;
  readonly queryBytes: number;
  private readonly words: number;
  private readonly floats: Float32Array;

  constructor(
    kernelName: string,
    module: object,
    dim: number,
    metric: Metric,
    capacity: number,
    keep: boolean,
    quantiser?: Quantiser | null,
    from?: WasmCodeSpaceHandle,
  ) {
    const words = (dim + 31) >>> 5;
    super(kernelName, module, dim, metric, capacity, keep, { store: 'b1', codeBytes: words * 4, termsPerRow: 0 }, from);
    this.words = words;
    this.queryBytes = words * 4;
    this.floats = new Float32Array(dim);
    this.init(quantiser);
  }

  private rowWords(row: number): Uint32Array {
    return new Uint32Array(this.buffer(), this.codesAt + row * this.codeBytes, this.words);
  }

  protected encode(src: Float32Array, off: number, row: number): boolean {
    encodeB1(src, off, this.dim, this.quantiser!.centre, this.rowWords(row), 0);
    return false;
  }

  protected decode(row: number, out: Float32Array): void {
    const { centre, scale } = this.quantiser!;
    const w = this.rowWords(row);
    for (let j = 0; j < this.dim; j++) out[j] = (w[j >>> 5] >>> (j & 31)) & 1 ? centre[j] + scale : centre[j] - scale;
  }

  encodeQuery(vector: Float32Array, offset: number, at: number): number {
    // No quantiser yet means no rows yet: nothing to compare the query with.
    if (!this.quantiser) return 0;
    this.floats.set(vector.subarray(offset, offset + this.dim));
    if (this.metric === 'cosine') normaliseInPlace(this.floats, 0, this.dim);
    encodeB1(this.floats, 0, this.dim, this.quantiser.centre, new Uint32Array(this.buffer(), at, this.words), 0);
    return 0;
  }

  /**
   * The fused traversal (assembly/b1-traversal.ts): the module's search and insert with the Hamming
   * distance, over rows of `words` words; an outside query is encoded as the probes encode it.
   */
  createTraversal(graph: GraphLayout, options: TraversalOptions): FusedTraversal {
    return this.fuse(graph, options, traversalFns(this.kernels, 'b1'), this.words, (vector, at) => this.encodeQuery(vector, 0, at));
  }

  rowQuery(row: number): number {
    return this.codesAt + row * this.codeBytes;
  }

  distRows(q: number, _p: number, ids: number, out: number, count: number): void {
    this.kernels.b1Rows(q, this.codesAt, this.words, ids, out, count);
  }

  distRow(q: number, _p: number, row: number): number {
    return this.kernels.b1Row(q, this.codesAt + row * this.codeBytes, this.words);
  }

  distNearer(q: number, _p: number, ids: number, count: number, bound: number): number {
    return this.kernels.b1FirstNearer(q, this.codesAt, this.words, ids, count, bound);
  }
}
