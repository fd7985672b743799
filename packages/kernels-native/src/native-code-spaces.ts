import type { Metric, Quantiser, QuantisedSpace, VectorStore } from '@hnswlab/core/contracts';
import { B1Space, F16Space, I8Space, type CodeProbeFactories, type CodeSpaceHandle } from '@hnswlab/kernels-js';
import type { NativeAddon } from './native-addon.js';
import { NativeCodeProbe } from './native-code-probe.js';
import { NativeProbe } from './native-probe.js';
import type { SimdPath } from './simd-path.js';

// The native kernel's quantised spaces: the js kernel's spaces (memory, encoding, the contract's
// bookkeeping: they are the reference, so codes are bit-exact by construction) with the distances
// in the addon: code probes over the codes, and the f32 store's native probes over kept rows, so an
// exact rerank gives exactly the native f32 store's distances.
//
// No fused traversal (createTraversal): the C++ traversal reads float32 rows only, and these spaces
// do not offer one, so the core runs an index over them at the `node` boundary (one addon call per
// expanded node) even where `insert` is asked for or is the default.

export interface CodeSpaceOptions {
  readonly kernelName: string;
  readonly store: Exclude<VectorStore, 'f32'>;
  readonly dim: number;
  readonly metric: Metric;
  readonly capacity: number;
  readonly keep: boolean;
  readonly quantiser?: Quantiser | null;
  /** Attach to this handle's memory instead of allocating. */
  readonly from?: CodeSpaceHandle;
}

/** A native quantised space (created, or attached from a handle) whose probes run on `path`. */
export function nativeCodeSpace(addon: NativeAddon, path: SimdPath, o: CodeSpaceOptions): QuantisedSpace {
  const { kernelName: name, dim, metric, capacity, keep, from } = o;
  let space: F16Space | I8Space | B1Space;
  if (o.store === 'f16') {
    if (o.quantiser) throw new RangeError('the f16 store takes no quantiser');
    space = new F16Space(name, dim, metric, capacity, keep, from);
  } else if (o.store === 'i8') space = new I8Space(name, dim, metric, capacity, keep, o.quantiser, from);
  else space = new B1Space(name, dim, metric, capacity, keep, o.quantiser, from);
  const probes: CodeProbeFactories = {
    code: (_, maxBatch) => new NativeCodeProbe(space, maxBatch, addon, path),
    exact: (rows, maxBatch) => new NativeProbe(rows, maxBatch, addon, path),
  };
  space.probes = probes;
  return space;
}
