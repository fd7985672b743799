import type { DistanceKernel, KernelDescriptor, SpaceHandle, SpaceOptions, VectorSpace } from '@hnswlab/core/contracts';
import type { CodeSpaceHandle } from './code-space.js';
import { jsMetrics, probeFactory } from './metric-probes.js';
import { SharedF32Space } from './shared-f32-space.js';
import { B1Space } from './store-b1.js';
import { F16Space } from './store-f16.js';
import { I8Space } from './store-i8.js';

/** The metrics the quantised stores compute (their probes are written per formula). */
const CODE_METRICS: readonly string[] = ['l2', 'ip', 'cosine'];

/** The scalar kernel: plain JavaScript over a SharedArrayBuffer store; the reference of every store. */
export class JsKernel implements DistanceKernel {
  readonly name = 'js';
  /** Every metric with a probe factory (metric-probes.ts): the three built in and any registered since. */
  get metrics(): string[] {
    return jsMetrics();
  }
  /** No fused traversal: the JavaScript core is the traversal. */
  readonly boundaries = ['pair', 'node'] as const;
  readonly stores = ['f32', 'f16', 'i8', 'b1'] as const;
  readonly descriptor: KernelDescriptor = { module: new URL('./index.js', import.meta.url).href };

  createSpace({ dim, metric, capacity, store = 'f32', keepFullPrecision, quantiser }: SpaceOptions): VectorSpace {
    if (store !== 'f32' && !CODE_METRICS.includes(metric))
      throw new RangeError(`the js kernel's ${store} store computes ${CODE_METRICS.join(', ')}, not '${metric}'`);
    switch (store) {
      case 'f32':
        return new SharedF32Space(this.name, dim, metric, capacity, probeFactory(metric));
      case 'f16':
        if (quantiser) throw new RangeError('the f16 store takes no quantiser');
        return new F16Space(this.name, dim, metric, capacity, keepFullPrecision ?? false);
      case 'i8':
        return new I8Space(this.name, dim, metric, capacity, keepFullPrecision ?? false, quantiser);
      case 'b1':
        return new B1Space(this.name, dim, metric, capacity, keepFullPrecision ?? true, quantiser);
      default:
        throw new RangeError(`the js kernel does not implement store ${JSON.stringify(store)} (it implements ${this.stores.join(', ')})`);
    }
  }

  attachSpace(handle: SpaceHandle): VectorSpace {
    if (handle.kernel !== this.name) throw new Error(`the js kernel cannot attach a space made by kernel '${handle.kernel}'`);
    const { dim, metric, capacity } = handle;
    if (handle.store !== undefined && handle.store !== 'f32') {
      const h = handle as CodeSpaceHandle;
      if (!(h.codes instanceof SharedArrayBuffer)) throw new Error(`not a js ${h.store} space's handle`);
      if (h.store === 'f16') return new F16Space(this.name, dim, metric, capacity, h.keepFullPrecision, h);
      if (h.store === 'i8') return new I8Space(this.name, dim, metric, capacity, h.keepFullPrecision, h.quantiser, h);
      return new B1Space(this.name, dim, metric, capacity, h.keepFullPrecision, h.quantiser, h);
    }
    if (!(handle.buffer instanceof SharedArrayBuffer))
      throw new Error(`the js kernel cannot attach a space made by kernel '${handle.kernel}'`);
    const attached = { buffer: handle.buffer, byteOffset: Number(handle.byteOffset ?? 0), capacity };
    return new SharedF32Space(this.name, dim, metric, capacity, probeFactory(metric), { attached });
  }
}
