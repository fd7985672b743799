import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const byRoot = new Map<string, string>();

/**
 * A hash of the code that builds and reads an index: for @hnswlab/core, @hnswlab/kernels-js (every
 * kernel's reference twin), @hnswlab/strategies (when present) and the package of `kernelModule`:
 * each package's name and version and every built file it runs (`dist/`, and the addon in
 * `build/Release/*.node`). Any rebuild that changes a byte gives another version, so the index
 * cache never serves an index built by other code. Hex, 16 characters.
 */
export function codeVersion(kernelModule: string): string {
  const roots = new Set<string>();
  for (const specifier of ['@hnswlab/core', '@hnswlab/kernels-js', '@hnswlab/strategies', kernelModule]) {
    const root = packageRoot(specifier);
    if (root) roots.add(root);
  }
  const h = createHash('sha256');
  for (const root of [...roots].sort()) h.update(`${root}\0${packageHash(root)}\0`);
  return h.digest('hex').slice(0, 16);
}

/** The folder holding the package.json of a module specifier or file URL, or undefined when it does not resolve. */
function packageRoot(specifier: string): string | undefined {
  let entry: string | undefined;
  try {
    entry = specifier.startsWith('file:') ? fileURLToPath(specifier) : fileURLToPath(import.meta.resolve(specifier));
  } catch {
    entry = undefined;
  }
  for (let dir = entry && dirname(entry); dir;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    dir = up === dir ? undefined : up;
  }
  return undefined;
}

function packageHash(root: string): string {
  let hash = byRoot.get(root);
  if (hash) return hash;
  const h = createHash('sha256');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
  h.update(`${manifest.name}@${manifest.version}\0`);
  const files = [...walk(join(root, 'dist'))];
  const release = join(root, 'build', 'Release');
  if (existsSync(release)) for (const f of readdirSync(release)) if (f.endsWith('.node')) files.push(join(release, f));
  for (const file of files.sort()) {
    h.update(`${file.slice(root.length)}\0`);
    h.update(readFileSync(file));
  }
  hash = h.digest('hex');
  byRoot.set(root, hash);
  return hash;
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}
