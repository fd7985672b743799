import type { DistanceKernel, KernelDescriptor, MemoryRegion, SpaceHandle, SpaceOptions, VectorSpace } from '@hnswlab/core/contracts';
import { SharedF32Space, type CodeSpaceHandle, type ProbeFactory, type TraversalFactory } from '@hnswlab/kernels-js';
import { alignedShared } from './aligned-shared.js';
import type { NativeAddon } from './native-addon.js';
import { nativeCodeSpace } from './native-code-spaces.js';
import { NativeProbe } from './native-probe.js';
import { NativeTraversal } from './native-traversal.js';
import type { SimdPath } from './simd-path.js';

/**
 * The native kernel: rows in the js kernel's SharedF32Space, allocated to start on a cache line (the
 * AVX-512 loops read rows that straddle cache lines up to 35% slower),
 * distances in C++ on one SIMD path chosen when the kernel is created, and a fused traversal (the
 * `layer` and `insert` boundaries) over the same memory. Quantised stores (native-code-spaces.ts)
 * have native probes but no fused traversal: the core runs them at `node`.
 */
export class NativeKernel implements DistanceKernel {
  readonly name: string;
  readonly descriptor: KernelDescriptor;
  readonly metrics = ['l2', 'ip', 'cosine'] as const;
  readonly boundaries = ['pair', 'node', 'layer', 'insert'] as const;
  /** Quantised stores: codes and bookkeeping as in the js kernel (their reference), distances in C++ (native-code-spaces.ts). */
  readonly stores = ['f32', 'f16', 'i8', 'b1'] as const;
  private readonly addon: NativeAddon;
  private readonly makeProbe: ProbeFactory;
  private readonly makeTraversal: TraversalFactory;
  private readonly allocate: (floats: number) => Float32Array;
  private readonly allocateRegion: (bytes: number) => MemoryRegion;

  constructor(
    addon: NativeAddon,
    readonly path: SimdPath,
    /** Software prefetch in the fused beam search. */
    readonly prefetch = true,
  ) {
    this.name = `native-${path}`;
    this.addon = addon;
    // The resolved options, so a worker runs exactly the code the main thread runs.
    this.descriptor = { module: new URL('./index.js', import.meta.url).href, options: { simd: path, prefetch } };
    this.makeProbe = (space, maxBatch) => new NativeProbe(space, maxBatch, addon, path);
    this.makeTraversal = (space, graph, options) => new NativeTraversal(space, graph, options, addon, path, prefetch);
    this.allocate = (floats) => alignedShared(Float32Array, floats, addon);
    this.allocateRegion = (bytes) => {
      const view = alignedShared(Uint8Array, bytes, addon);
      return { buffer: view.buffer as unknown as SharedArrayBuffer, byteOffset: view.byteOffset, byteLength: bytes };
    };
  }

  createSpace({ dim, metric, capacity, store = 'f32', keepFullPrecision, quantiser }: SpaceOptions): VectorSpace {
    if (store !== 'f32') {
      if (!(this.stores as readonly string[]).includes(store))
        throw new RangeError(`the ${this.name} kernel does not implement store '${store}' (it implements ${this.stores.join(', ')})`);
      // Defaults as in the js kernel: b1 keeps float32 rows (its codes alone rank too coarsely).
      const keep = keepFullPrecision ?? store === 'b1';
      return nativeCodeSpace(this.addon, this.path, { kernelName: this.name, store, dim, metric, capacity, keep, quantiser });
    }
    return new SharedF32Space(this.name, dim, metric, capacity, this.makeProbe, {
      allocate: this.allocate,
      allocateRegion: this.allocateRegion,
      makeTraversal: this.makeTraversal,
    });
  }

  attachSpace(handle: SpaceHandle): VectorSpace {
    const { dim, metric, capacity, buffer, byteOffset } = handle;
    if (handle.store !== undefined && handle.store !== 'f32') {
      const h = handle as CodeSpaceHandle;
      if (!h.kernel.startsWith('native-') || !(h.codes instanceof SharedArrayBuffer))
        throw new Error(`the native kernel cannot attach a ${String(h.store)} space made by kernel '${h.kernel}'`);
      const o = { kernelName: this.name, store: h.store, dim, metric, capacity, keep: h.keepFullPrecision, quantiser: h.quantiser };
      return nativeCodeSpace(this.addon, this.path, { ...o, from: h });
    }
    if (!handle.kernel.startsWith('native-') || !(buffer instanceof SharedArrayBuffer) || typeof byteOffset !== 'number') {
      throw new Error(`the native kernel cannot attach a space made by kernel '${handle.kernel}'`);
    }
    return new SharedF32Space(this.name, dim, metric, capacity, this.makeProbe, {
      allocate: this.allocate,
      attached: { buffer, byteOffset, capacity },
      makeTraversal: this.makeTraversal,
    });
  }
}
