import type { DistanceKernel } from '@hnswlab/core/contracts';

/** The kernel packages the bench knows, by short name. */
export const KERNEL_PACKAGES = {
  js: '@hnswlab/kernels-js',
  wasm: '@hnswlab/kernels-wasm',
  native: '@hnswlab/kernels-native',
} as const;

export type KernelKey = keyof typeof KERNEL_PACKAGES;

export type LoadedKernel =
  { key: KernelKey; kernel: DistanceKernel; reason?: undefined } | { key: KernelKey; kernel?: undefined; reason: string };

/**
 * Import a kernel package and create its kernel. Loaded by name at run time, so a package that is
 * missing, unbuilt or unable to run here (no addon, no compiler) becomes a skip with its reason.
 */
export async function loadKernel(key: KernelKey): Promise<LoadedKernel> {
  const specifier: string = KERNEL_PACKAGES[key];
  try {
    const mod = (await import(specifier)) as { createKernel?: (options?: unknown) => Promise<DistanceKernel> };
    if (typeof mod.createKernel !== 'function') return { key, reason: `${specifier} exports no createKernel()` };
    return { key, kernel: await mod.createKernel() };
  } catch (err) {
    return { key, reason: `${specifier}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
