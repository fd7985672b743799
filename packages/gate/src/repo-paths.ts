import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root: the nearest folder up from `from` with pnpm-workspace.yaml, else the one this package sits in. */
export function repoRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) break;
  }
  // dist/repo-paths.js -> packages/gate -> packages -> root
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** The committed baselines: bench/baselines/ at the root. */
export function defaultBaselineDir(): string {
  return join(repoRoot(), 'bench', 'baselines');
}

/** Where reports go unless told otherwise (bench-out/ is git-ignored). */
export function defaultOutDir(): string {
  return join(repoRoot(), 'bench-out', 'gate');
}
