import type { DistanceKernel, KernelDescriptor, SpaceHandle, SpaceOptions, VectorSpace } from '@hnswlab/core/contracts';
import { loadKernelModule } from './kernel-module.js';
import { wasmApi } from './wasm-api.js';
import { WasmSpace, type WasmSpaceHandle } from './wasm-space.js';

/**
 * The WebAssembly SIMD kernel: f32x4 loops compiled from AssemblyScript (assembly/), vectors and
 * probe scratch in one shared WebAssembly.Memory per space, one call into wasm per batch.
 */
export class WasmKernel implements DistanceKernel {
  readonly name = 'wasm-simd128';
  readonly metrics = ['l2', 'ip', 'cosine'] as const;
  readonly boundaries = ['pair', 'node', 'layer', 'insert'] as const;
  /** Quantised stores (f16, i8, b1) are not implemented here yet: the js kernel is their reference. */
  readonly stores = ['f32'] as const;
  readonly descriptor: KernelDescriptor = { module: new URL('./index.js', import.meta.url).href };

  private constructor(private readonly module: object) {}

  /** Compile (once per thread) and return a kernel; rejects with the reason when it cannot run here. */
  static async load(): Promise<WasmKernel> {
    return new WasmKernel(await loadKernelModule());
  }

  createSpace(options: SpaceOptions): VectorSpace {
    const store = options.store ?? 'f32';
    if (store !== 'f32') throw new RangeError(`the ${this.name} kernel does not implement store '${store}' (it implements f32)`);
    return WasmSpace.create(this.name, this.module, options);
  }

  attachSpace(handle: SpaceHandle): VectorSpace {
    const memory = handle.memory;
    if (handle.kernel !== this.name || !wasmApi || !(memory instanceof wasmApi.Memory) || typeof handle.vecBase !== 'number') {
      throw new Error(`the ${this.name} kernel cannot attach a space made by kernel '${handle.kernel}'`);
    }
    return WasmSpace.attach(this.name, this.module, handle as WasmSpaceHandle);
  }
}
