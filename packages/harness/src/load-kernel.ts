import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DistanceKernel } from '@hnswlab/core';
import { isKernelShortName, KERNEL_PACKAGES } from '@hnswlab/lab-kit';
import { importOptional, ModuleUnavailableError } from './import-optional.js';

/** Whether `name` can name a kernel: a short name, 'best', or something shaped like a module specifier or path. */
export function isKernelName(name: string): boolean {
  return isKernelShortName(name) || name === 'best' || /^(\.{1,2}[\\/]|[\\/]|[a-zA-Z]:[\\/]|file:|@)/.test(name) || name.includes('/');
}

/** A kernel that cannot be used here; `message` starts with "unavailable: " and says why. */
export class KernelUnavailableError extends ModuleUnavailableError {
  constructor(
    readonly kernel: string,
    reason: string,
  ) {
    super(kernel, reason);
    this.name = 'KernelUnavailableError';
  }
}

const cache = new Map<string, Promise<DistanceKernel>>();

/**
 * The kernel named 'js', 'wasm' or 'native', or the one exported (`createKernel()`) by a module
 * specifier or file URL. Throws {@link KernelUnavailableError} with the reason when the package is
 * missing, unbuilt, or its createKernel rejects (e.g. no SIMD on this CPU): never falls back silently.
 * Loaded once per process and name.
 */
export function loadKernel(name: string): Promise<DistanceKernel> {
  let p = cache.get(name);
  if (!p) {
    p = create(name);
    cache.set(name, p);
    p.catch(() => cache.delete(name));
  }
  return p;
}

async function create(name: string): Promise<DistanceKernel> {
  // A path is the user's, relative to where they run the command, not to this file.
  const specifier = isKernelShortName(name)
    ? KERNEL_PACKAGES[name]
    : /^\.{1,2}[\\/]|^\//.test(name)
      ? pathToFileURL(resolve(name)).href
      : name;
  let mod: { createKernel?: (options?: unknown) => Promise<DistanceKernel> | DistanceKernel };
  try {
    mod = await importOptional(specifier);
  } catch (err) {
    throw new KernelUnavailableError(name, (err as Error).message.replace(/^unavailable: /, ''));
  }
  if (typeof mod.createKernel !== 'function') throw new KernelUnavailableError(name, `${specifier} exports no createKernel()`);
  try {
    return await mod.createKernel();
  } catch (err) {
    throw new KernelUnavailableError(name, `${specifier} createKernel() failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The kernel for exact ground truth: the first of native, wasm, js that loads. */
export async function fastestKernel(): Promise<DistanceKernel> {
  for (const name of ['native', 'wasm']) {
    try {
      return await loadKernel(name);
    } catch {
      // the next one is tried; js always loads
    }
  }
  return loadKernel('js');
}
