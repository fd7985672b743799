import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NativeAddon } from './native-addon.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOW_TO_FIX =
  'Install a C++17 compiler (g++ or clang++), make and python3, then rebuild it: ' +
  'pnpm --filter @hnswlab/kernels-native build (or pnpm turbo run build --force, so a cached failed build is not replayed)';

/** Why the native kernel cannot run here; createKernel() rejects with it. */
export class NativeUnavailableError extends Error {
  override readonly name = 'NativeUnavailableError';
}

const loaded = new Map<string, NativeAddon>();

/**
 * Load the addon once per thread (each worker thread gets its own exports: the addon is
 * context-aware). Throws a {@link NativeUnavailableError} that says why and what to install, also
 * when the environment variable HNSWLAB_NATIVE_DISABLE is set.
 */
export function loadAddon(packageRoot = PACKAGE_ROOT): NativeAddon {
  // Lets CI and developers exercise the "no addon" path on a machine that has one.
  if (process.env.HNSWLAB_NATIVE_DISABLE) throw new NativeUnavailableError('@hnswlab/kernels-native is disabled by HNSWLAB_NATIVE_DISABLE');
  const cached = loaded.get(packageRoot);
  if (cached) return cached;
  const file = `${packageRoot}/build/Release/hnswlab_native.node`;
  const unavailable = `${packageRoot}/build/UNAVAILABLE.txt`;
  if (!existsSync(file)) {
    const why = existsSync(unavailable) ? readFileSync(unavailable, 'utf8').trim() : `the addon was never built (${file} is missing)`;
    throw new NativeUnavailableError(`@hnswlab/kernels-native is unavailable: ${why}. ${HOW_TO_FIX}.`);
  }
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    loaded.set(packageRoot, addon);
    return addon;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new NativeUnavailableError(`@hnswlab/kernels-native could not load ${file}: ${why}. ${HOW_TO_FIX}.`);
  }
}
