import { checkNames, KERNEL_NAMES } from '@hnswlab/lab-kit';

/**
 * Set by CI (`.ci/run`: js,wasm,native) so that a kernel that cannot load fails the gate instead of
 * being skipped: a native kernel that stopped compiling must not leave CI green. Outside CI the skip
 * stays, with its reason printed.
 */
export const REQUIRE_KERNELS_ENV = 'HNSWLAB_REQUIRE_KERNELS';

/** The kernels the environment requires (none when unset); an unknown name is a usage error. */
export function requiredKernels(env: NodeJS.ProcessEnv = process.env): string[] {
  const text = env[REQUIRE_KERNELS_ENV]?.trim();
  if (!text) return [];
  return checkNames(
    `kernel in ${REQUIRE_KERNELS_ENV}`,
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    KERNEL_NAMES,
  );
}
