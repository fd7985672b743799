import type { DistanceKernel } from '@hnswlab/core';

/** A kernel, or why it could not be loaded (e.g. the native addon is not built). */
export type KernelLoad = { kernel: DistanceKernel; reason?: undefined } | { kernel?: undefined; reason: string };

/**
 * Load a kernel for a suite. A kernel that cannot load is skipped by the suites with its reason
 * printed, never silently.
 */
export async function loadKernel(label: string, create: () => Promise<DistanceKernel>): Promise<KernelLoad> {
  try {
    return { kernel: await create() };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    console.warn(`[conformance] skipping kernel '${label}': ${reason}`);
    return { reason };
  }
}
