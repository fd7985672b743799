import type { DistanceKernel } from '@hnswlab/core';

/** A kernel, or why it could not be loaded (e.g. the native addon is not built). */
export type KernelLoad = { kernel: DistanceKernel; reason?: undefined } | { kernel?: undefined; reason: string };

/**
 * Kernels that must load (comma-separated short names, e.g. `js,wasm,native`). CI sets it so that a
 * kernel that stopped building fails the run instead of being skipped by every suite.
 */
const REQUIRE_KERNELS_ENV = 'HNSWLAB_REQUIRE_KERNELS';

/** Whether `label` (`native`, or a variant such as `native-avx2`) names a kernel the environment requires. */
function kernelRequired(label: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const required = (env[REQUIRE_KERNELS_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return required.includes(label.split(/[-\s(]/)[0]);
}

/**
 * Load a kernel for a suite. A kernel that cannot load is skipped by the suites with its reason
 * printed, never silently; when HNSWLAB_REQUIRE_KERNELS names it, the load rejects instead, with the
 * reason (for the native kernel, the compiler's first errors from build/UNAVAILABLE.txt), and every
 * suite that awaits it fails.
 */
export async function loadKernel(label: string, create: () => Promise<DistanceKernel>): Promise<KernelLoad> {
  try {
    return { kernel: await create() };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (kernelRequired(label)) {
      throw new Error(
        `[conformance] kernel '${label}' is required (${REQUIRE_KERNELS_ENV}=${process.env[REQUIRE_KERNELS_ENV]}) but unavailable: ${reason}`,
        { cause: err },
      );
    }
    console.warn(`[conformance] skipping kernel '${label}': ${reason}`);
    return { reason };
  }
}
