export { createKernel, supportedSimdPaths, type NativeKernelOptions } from './create-kernel.js';
export { NativeUnavailableError } from './load-addon.js';
export type {
  NativeAddon,
  NativeCodeProbeHandle,
  NativeProbeHandle,
  NativeTraversalConfig,
  NativeTraversalHandle,
} from './native-addon.js';
export { NativeKernel } from './native-kernel.js';
export { NativeCodeProbe } from './native-code-probe.js';
export { NativeProbe } from './native-probe.js';
export { NativeTraversal } from './native-traversal.js';
export { SIMD_PATHS, type SimdPath } from './simd-path.js';
