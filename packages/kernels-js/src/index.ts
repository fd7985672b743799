import type { DistanceKernel } from '@hnswlab/core/contracts';
import { JsKernel } from './js-kernel.js';

export { JsKernel } from './js-kernel.js';
export { CodeSpace, type CodeLayout, type CodeProbe, type CodeProbeFactories, type CodeSpaceHandle } from './code-space.js';
export { DotProbe, L2Probe, ScalarProbe, type F32Rows } from './scalar-probes.js';
export { jsMetrics, registerJsMetric } from './metric-probes.js';
export { B1Space, encodeB1, popcount32 } from './store-b1.js';
export { F16Space, encodeF16, halfTable, toHalf } from './store-f16.js';
export { I8Space, centreDot, encodeI8 } from './store-i8.js';
export {
  SharedF32Space,
  normaliseInPlace,
  type ProbeFactory,
  type SharedF32SpaceOptions,
  type SharedRegion,
  type StoreProbe,
  type StoreTraversal,
  type TraversalFactory,
} from './shared-f32-space.js';

/** The scalar JavaScript kernel. Async like every kernel package's createKernel, so callers need not care which they load. */
export async function createKernel(_options?: unknown): Promise<DistanceKernel> {
  return new JsKernel();
}
