import type { DistanceKernel, VectorStore } from '../contracts.js';
import { STORES } from '../names.js';
import { describeValue } from '../validate.js';

/** What the core needs to know of a store (its codes are defined in contracts.ts, VectorStore). */
export interface StoreSpec {
  readonly name: VectorStore;
  /** Bytes of one row's codes. */
  codeBytes(dim: number): number;
  /** Float32 rows are kept beside the codes unless the caller says otherwise. */
  readonly keepsFullPrecision: boolean;
  /** It encodes with a Quantiser (i8, b1). */
  readonly quantised: boolean;
  /** The first code in `codes` (count rows) no kernel writes, described; null when all are valid. How a loader checks a file. */
  badCode(codes: Uint8Array, dim: number, count: number): string | null;
}

const f32: StoreSpec = {
  name: 'f32',
  codeBytes: (dim) => dim * 4,
  keepsFullPrecision: true,
  quantised: false,
  badCode(codes, dim) {
    const v = new Float32Array(codes.buffer, codes.byteOffset, codes.byteLength / 4);
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return `row ${Math.floor(i / dim)} has a non-finite component`;
    return null;
  },
};

const f16: StoreSpec = {
  name: 'f16',
  codeBytes: (dim) => dim * 2,
  keepsFullPrecision: false,
  quantised: false,
  badCode(codes, dim) {
    // Exponent bits all ones: ±Infinity or NaN, which encoding never writes.
    for (let i = 1; i < codes.byteLength; i += 2) {
      if ((codes[i] & 0x7c) === 0x7c) return `row ${Math.floor((i >> 1) / dim)} has a non-finite half (component ${(i >> 1) % dim})`;
    }
    return null;
  },
};

const i8: StoreSpec = {
  name: 'i8',
  codeBytes: (dim) => dim,
  keepsFullPrecision: false,
  quantised: true,
  badCode(codes, dim) {
    const at = codes.indexOf(0x80);
    return at < 0 ? null : `row ${Math.floor(at / dim)} has code −128 (component ${at % dim}); codes are in [−127, 127]`;
  },
};

const b1: StoreSpec = {
  name: 'b1',
  codeBytes: (dim) => Math.ceil(dim / 32) * 4,
  keepsFullPrecision: true,
  quantised: true,
  badCode(codes, dim, count) {
    const words = Math.ceil(dim / 32),
      tail = dim & 31;
    if (tail === 0) return null;
    const view = new DataView(codes.buffer, codes.byteOffset, codes.byteLength);
    const padding = ~((1 << tail) - 1);
    for (let r = 0; r < count; r++) {
      if (view.getUint32((r * words + words - 1) * 4, true) & padding) return `row ${r} has padding bits set (beyond dim ${dim})`;
    }
    return null;
  },
};

const SPECS = new Map<string, StoreSpec>([f32, f16, i8, b1].map((s) => [s.name, s]));

/** A store's spec; a RangeError naming the known stores for anything else. */
export function storeSpec(name: unknown): StoreSpec {
  const spec = typeof name === 'string' ? SPECS.get(name) : undefined;
  if (!spec) throw new RangeError(`unknown store ${describeValue(name)}: use one of ${STORES.join(', ')}`);
  return spec;
}

/** The store's spec, if `kernel` implements it; else a RangeError naming what the kernel does implement. */
export function kernelStore(kernel: DistanceKernel, store: unknown): StoreSpec {
  const spec = storeSpec(store);
  const offers = kernel.stores ?? ['f32'];
  if (!offers.includes(spec.name)) {
    throw new RangeError(`the ${kernel.name} kernel does not implement store '${spec.name}' (it implements ${offers.join(', ')})`);
  }
  return spec;
}
