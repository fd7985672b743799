import type { DistanceKernel } from '@hnswlab/core/contracts';
import { loadAddon } from './load-addon.js';
import { NativeKernel } from './native-kernel.js';
import { SIMD_PATHS, type SimdPath } from './simd-path.js';

export interface NativeKernelOptions {
  /** The code path: 'auto' (default) takes the fastest this CPU reports; a named path must be supported. */
  readonly simd?: SimdPath | 'auto';
  /**
   * Software prefetch (link lists, visited tags, rows ahead) in the fused beam search. Default: on,
   * unless the environment variable HNSWLAB_NATIVE_PREFETCH is `0` (read once, when the kernel is made),
   * so its effect can be measured without a rebuild.
   */
  readonly prefetch?: boolean;
}

/**
 * The native kernel. Rejects with a {@link NativeUnavailableError} when the addon was not built or
 * cannot load (saying why and what to install), and with an Error when a forced path is not
 * supported by this CPU.
 */
export async function createKernel(options: NativeKernelOptions = {}): Promise<DistanceKernel> {
  const addon = loadAddon();
  const supported = addon.supportedPaths();
  const wanted = options.simd ?? 'auto';
  const prefetch = options.prefetch ?? process.env.HNSWLAB_NATIVE_PREFETCH !== '0';
  if (wanted === 'auto') return new NativeKernel(addon, supported[0], prefetch);
  if (!SIMD_PATHS.includes(wanted)) throw new Error(`unknown simd path '${String(wanted)}': use one of auto, ${SIMD_PATHS.join(', ')}`);
  if (!supported.includes(wanted)) throw new Error(`this CPU cannot run the native ${wanted} path; it supports: ${supported.join(', ')}`);
  return new NativeKernel(addon, wanted, prefetch);
}

/** The paths this CPU runs, fastest first (ends with 'scalar'); rejects like createKernel when the addon is unavailable. */
export async function supportedSimdPaths(): Promise<SimdPath[]> {
  return loadAddon().supportedPaths();
}
