import type { DistanceKernel } from '@hnswlab/core/contracts';
import { KERNEL_PACKAGES, type KernelName } from '@hnswlab/lab-kit';

export type LoadedKernel =
  { key: KernelName; kernel: DistanceKernel; reason?: undefined } | { key: KernelName; kernel?: undefined; reason: string };

/**
 * Import a kernel package and create its kernel. Loaded by name at run time, so a package that is
 * missing, unbuilt or unable to run here (no addon, no compiler) becomes a skip with its reason.
 */
export async function loadKernel(key: KernelName): Promise<LoadedKernel> {
  const specifier: string = KERNEL_PACKAGES[key];
  try {
    const mod = (await import(specifier)) as { createKernel?: (options?: unknown) => Promise<DistanceKernel> };
    if (typeof mod.createKernel !== 'function') return { key, reason: `${specifier} exports no createKernel()` };
    return { key, kernel: await mod.createKernel() };
  } catch (err) {
    return { key, reason: `${specifier}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
