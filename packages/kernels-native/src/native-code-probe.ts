import { B1Space, I8Space, normaliseInPlace, type CodeProbe, type F16Space } from '@hnswlab/kernels-js';
import { alignedShared } from './aligned-shared.js';
import type { NativeAddon, NativeCodeProbeHandle } from './native-addon.js';
import type { SimdPath } from './simd-path.js';

type CodeStoreSpace = F16Space | I8Space | B1Space;

/**
 * A probe over a quantised space's codes, distances in the addon (native/src/code-probe.cc). An
 * outside query is encoded here by the space's own encoder (the js kernel's, which is the contract's),
 * into a buffer the addon reads; a stored row as the query is copied (f16: decoded) in C++.
 */
export class NativeCodeProbe implements CodeProbe {
  ids: Int32Array;
  out: Float32Array;
  private readonly query32: Float32Array;
  private readonly query64: Float64Array;
  private readonly queryCodes: Uint8Array;
  /** queryCodes as the store's encoder writes them: int8 (i8) or uint32 words (b1). */
  private readonly codeView: Int8Array | Uint32Array;
  private readonly floats: Float32Array;
  private readonly native: NativeCodeProbeHandle;

  constructor(
    private readonly space: CodeStoreSpace,
    readonly maxBatch: number,
    addon: NativeAddon,
    path: SimdPath,
  ) {
    const dim = space.dim;
    this.ids = alignedShared(Int32Array, maxBatch, addon);
    this.out = alignedShared(Float32Array, maxBatch, addon);
    this.query32 = alignedShared(Float32Array, dim, addon);
    this.query64 = alignedShared(Float64Array, dim, addon);
    this.queryCodes = alignedShared(Uint8Array, space.codeBytes, addon);
    this.floats = new Float32Array(dim);
    const { buffer, byteOffset } = this.queryCodes;
    this.codeView =
      space instanceof B1Space ? new Uint32Array(buffer, byteOffset, space.wordsPerRow) : new Int8Array(buffer, byteOffset, dim);
    const formula = space.metric === 'l2' ? 'l2' : 'dot';
    this.native = addon.createCodeProbe(path, space.store, formula, dim, this.ids, this.out, this.query32, this.query64, this.queryCodes);
    this.bind();
  }

  /** 'avx2' or 'scalar': the code that computes this probe's distances. */
  get kernel(): 'avx2' | 'scalar' {
    return this.native.kernel;
  }

  get scratchBytes(): number {
    // ids, out, the query (float32, float64, codes, floats to encode: 16·dim + codes) and the
    // addon's pair query (float32, float64, codes: 12·dim + codes).
    const dim = this.space.dim;
    return this.ids.byteLength + this.out.byteLength + 28 * dim + 2 * this.space.codeBytes;
  }

  bind(): void {
    const s = this.space;
    const [C, scale, s2] = s instanceof I8Space ? [s.C, s.s, s.s2] : [0, 0, 0];
    this.native.bind(s.bytes, s.terms, C, scale, s2);
  }

  setQuery(vector: Float32Array, offset = 0): void {
    const s = this.space,
      dim = s.dim;
    if (s instanceof I8Space) {
      this.native.setQuery(s.encodeQuery(vector, offset, this.floats, this.codeView as Int8Array));
    } else if (s instanceof B1Space) {
      s.encodeQuery(vector, offset, this.floats, this.codeView as Uint32Array);
      this.native.setQuery(0);
    } else {
      this.query32.set(vector.subarray(offset, offset + dim));
      if (s.metric === 'cosine') normaliseInPlace(this.query32, 0, dim);
      this.native.setQuery(0);
    }
  }

  setQueryRow(row: number): void {
    this.native.setQueryRow(row);
  }

  toRows(count: number): void {
    this.native.toRows(count);
  }

  toRow(row: number): number {
    return this.native.toRow(row);
  }

  rowToRows(row: number, count: number): void {
    this.native.rowToRows(row, count);
  }

  firstNearer(row: number, count: number, bound: number): number {
    return this.native.firstNearer(row, count, bound);
  }
}
