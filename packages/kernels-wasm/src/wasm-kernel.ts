import type { DistanceKernel, KernelDescriptor, SpaceHandle, SpaceOptions, VectorSpace } from '@hnswlab/core/contracts';
import { loadKernelModule } from './kernel-module.js';
import { wasmApi } from './wasm-api.js';
import type { WasmCodeSpaceHandle } from './code-space.js';
import { WasmB1Space } from './store-b1.js';
import { WasmF16Space } from './store-f16.js';
import { WasmI8Space } from './store-i8.js';
import { WasmSpace, type WasmSpaceHandle } from './wasm-space.js';

/**
 * The WebAssembly SIMD kernel: f32x4 loops compiled from AssemblyScript (assembly/), vectors and
 * probe scratch in one shared WebAssembly.Memory per space, one call into wasm per batch.
 */
export class WasmKernel implements DistanceKernel {
  readonly name = 'wasm-simd128';
  readonly metrics = ['l2', 'ip', 'cosine'] as const;
  readonly boundaries = ['pair', 'node', 'layer', 'insert'] as const;
  /**
   * Quantised stores (src/store-*.ts, assembly/f16.ts, i8.ts, b1.ts). b1 fuses traversal; f16 and i8
   * have probes only, so an index over one runs the `node` boundary unless told otherwise.
   */
  readonly stores = ['f32', 'f16', 'i8', 'b1'] as const;
  readonly descriptor: KernelDescriptor = { module: new URL('./index.js', import.meta.url).href };

  private constructor(private readonly module: object) {}

  /** Compile (once per thread) and return a kernel; rejects with the reason when it cannot run here. */
  static async load(): Promise<WasmKernel> {
    return new WasmKernel(await loadKernelModule());
  }

  createSpace(options: SpaceOptions): VectorSpace {
    const { dim, metric, capacity, store = 'f32', keepFullPrecision, quantiser } = options;
    switch (store) {
      case 'f32':
        return WasmSpace.create(this.name, this.module, options);
      case 'f16':
        if (quantiser) throw new RangeError('the f16 store takes no quantiser');
        return new WasmF16Space(this.name, this.module, dim, metric, capacity, keepFullPrecision ?? false);
      case 'i8':
        return new WasmI8Space(this.name, this.module, dim, metric, capacity, keepFullPrecision ?? false, quantiser);
      case 'b1':
        return new WasmB1Space(this.name, this.module, dim, metric, capacity, keepFullPrecision ?? true, quantiser);
      default:
        throw new RangeError(
          `the ${this.name} kernel does not implement store '${String(store)}' (it implements ${this.stores.join(', ')})`,
        );
    }
  }

  attachSpace(handle: SpaceHandle): VectorSpace {
    if (handle.store !== undefined && handle.store !== 'f32') return this.attachCodeSpace(handle);
    const memory = handle.memory;
    if (handle.kernel !== this.name || !wasmApi || !(memory instanceof wasmApi.Memory) || typeof handle.vecBase !== 'number') {
      throw new Error(`the ${this.name} kernel cannot attach a space made by kernel '${handle.kernel}'`);
    }
    return WasmSpace.attach(this.name, this.module, handle as WasmSpaceHandle);
  }

  private attachCodeSpace(handle: SpaceHandle): VectorSpace {
    const h = handle as WasmCodeSpaceHandle;
    if (h.kernel !== this.name || !wasmApi || !(h.memory instanceof wasmApi.Memory) || typeof h.codesAt !== 'number') {
      throw new Error(`the ${this.name} kernel cannot attach a space made by kernel '${h.kernel}'`);
    }
    const { dim, metric, capacity, keepFullPrecision: keep } = h;
    if (h.store === 'f16') return new WasmF16Space(this.name, this.module, dim, metric, capacity, keep, h);
    if (h.store === 'i8') return new WasmI8Space(this.name, this.module, dim, metric, capacity, keep, h.quantiser, h);
    return new WasmB1Space(this.name, this.module, dim, metric, capacity, keep, h.quantiser, h);
  }
}
