import type { DistanceKernel, KernelDescriptor, SpaceHandle, SpaceOptions, VectorSpace } from '@hnswlab/core/contracts';
import { DotProbe, L2Probe } from './scalar-probes.js';
import { SharedF32Space, type ProbeFactory } from './shared-f32-space.js';

const makeL2: ProbeFactory = (space, maxBatch) => new L2Probe(space, maxBatch);
const makeDot: ProbeFactory = (space, maxBatch) => new DotProbe(space, maxBatch);

/** The scalar kernel: plain JavaScript over a SharedArrayBuffer store. */
export class JsKernel implements DistanceKernel {
  readonly name = 'js';
  readonly metrics = ['l2', 'ip', 'cosine'] as const;
  /** No fused traversal: the JavaScript core is the traversal. */
  readonly boundaries = ['pair', 'node'] as const;
  readonly descriptor: KernelDescriptor = { module: new URL('./index.js', import.meta.url).href };

  createSpace({ dim, metric, capacity }: SpaceOptions): VectorSpace {
    return new SharedF32Space(this.name, dim, metric, capacity, metric === 'l2' ? makeL2 : makeDot);
  }

  attachSpace(handle: SpaceHandle): VectorSpace {
    if (handle.kernel !== this.name || !(handle.buffer instanceof SharedArrayBuffer)) {
      throw new Error(`the js kernel cannot attach a space made by kernel '${handle.kernel}'`);
    }
    const { dim, metric, capacity } = handle;
    const attached = { buffer: handle.buffer, byteOffset: Number(handle.byteOffset ?? 0), capacity };
    return new SharedF32Space(this.name, dim, metric, capacity, metric === 'l2' ? makeL2 : makeDot, { attached });
  }
}
