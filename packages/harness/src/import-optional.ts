import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A module that could not be loaded, with a reason fit for a report ("cannot find module ..."). */
export class ModuleUnavailableError extends Error {
  constructor(
    readonly specifier: string,
    reason: string,
  ) {
    super(`unavailable: ${reason}`);
    this.name = 'ModuleUnavailableError';
  }
}

/**
 * Import `specifier`, or say why not. A bare @hnswlab/* name that this package does not depend on
 * (a kernel or strategies package written after the harness) is looked up among the workspace's
 * packages, so a new sibling package is usable without a dependency edge; it must be built (dist/).
 */
export async function importOptional<T = Record<string, unknown>>(specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
    if (missing && specifier.startsWith('@hnswlab/')) {
      const entry = findWorkspaceEntry(specifier);
      if (entry) {
        try {
          return (await import(pathToFileURL(entry).href)) as T;
        } catch (inner) {
          throw new ModuleUnavailableError(specifier, `${specifier} failed to load from ${entry}: ${message(inner)}`);
        }
      }
    }
    throw new ModuleUnavailableError(
      specifier,
      missing ? `cannot find module '${specifier}' (not installed or not built)` : `${specifier} failed to load: ${message(err)}`,
    );
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

/** The built entry file of a workspace package named `name`, if the workspace has it (throws when it is there but unbuilt). */
export function findWorkspaceEntry(name: string): string | undefined {
  // dist/<file>.js -> packages/harness -> packages
  const packagesDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
  let dirs: string[];
  try {
    dirs = readdirSync(packagesDir);
  } catch {
    return undefined;
  }
  for (const dir of dirs) {
    const manifest = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    let pkg: { name?: string; exports?: unknown; main?: string };
    try {
      pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      continue;
    }
    if (pkg.name !== name) continue;
    const rel = entryOf(pkg);
    const file = join(packagesDir, dir, rel);
    if (!existsSync(file))
      throw new ModuleUnavailableError(name, `${name} is in the workspace but not built (${file} is missing): run pnpm build`);
    return file;
  }
  return undefined;
}

function entryOf(pkg: { exports?: unknown; main?: string }): string {
  const root =
    typeof pkg.exports === 'object' && pkg.exports !== null ? ((pkg.exports as Record<string, unknown>)['.'] ?? pkg.exports) : pkg.exports;
  if (typeof root === 'string') return root;
  if (typeof root === 'object' && root !== null) {
    const r = root as Record<string, unknown>;
    const pick = r.import ?? r.default ?? r.node;
    if (typeof pick === 'string') return pick;
    if (typeof pick === 'object' && pick !== null && typeof (pick as Record<string, unknown>).default === 'string')
      return (pick as Record<string, string>).default;
  }
  return pkg.main ?? 'index.js';
}
