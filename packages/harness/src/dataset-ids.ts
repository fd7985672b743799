import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Metric } from '@hnswlab/core';
import { cacheDir } from '@hnswlab/datasets';
import { UsageError } from './usage-error.js';

/** The synthetic and installable dataset ids, for help texts and checks. */
export const NAMED_DATASETS = ['glove', 'clustered', 'uniform'] as const;

/** File dataset prefixes (`fvecs:BASE[,QUERIES[,GT]]`, ...): the first comma-separated part names the file. */
export const FILE_PREFIXES = ['fvecs', 'bvecs', 'npy', 'hdf5'] as const;

/** The ann-benchmarks files the `ann` preset runs (http://ann-benchmarks.com/NAME.hdf5). */
export const ANN_DATASETS = ['glove-100-angular', 'sift-128-euclidean', 'fashion-mnist-784-euclidean', 'nytimes-256-angular'] as const;

/** n that means "every base row of the file" (`--sizes all`); the file's own neighbours need the whole base. */
export const ALL_ROWS = Number.MAX_SAFE_INTEGER;

/** Where `ann:NAME` looks for NAME.hdf5: $HNSWLAB_ANN_DIR, else cacheDir()/ann. */
export function annDir(): string {
  return process.env.HNSWLAB_ANN_DIR || join(cacheDir(), 'ann');
}

const EXTENSIONS: Record<string, string> = { fvecs: 'fvecs', bvecs: 'bvecs', npy: 'npy', hdf5: 'hdf5', h5: 'hdf5' };

/**
 * Split a --datasets value into ids. Commas separate datasets, except inside a file id, whose extra
 * files (`fvecs:BASE,QUERIES,GT`) are paths without a prefix: a part starts a new dataset when it
 * is a named id, has a prefix, or the previous dataset takes no more files.
 */
export function splitDatasets(value: string): string[] {
  const out: string[] = [];
  let slots = 0;
  for (const raw of value.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const prefix = /^([a-z0-9]+):/.exec(part)?.[1];
    if (slots > 0 && !prefix && !(NAMED_DATASETS as readonly string[]).includes(part)) {
      out[out.length - 1] += `,${part}`;
      slots--;
      continue;
    }
    out.push(part);
    slots = prefix === 'fvecs' || prefix === 'bvecs' ? 2 : prefix === 'npy' ? 1 : 0;
  }
  return out;
}

/**
 * A dataset id as the harness runs it: `ann:NAME` becomes `hdf5:<annDir()>/NAME.hdf5`; the rest are
 * kept. Throws a UsageError naming the known ids for an unknown one, and for a file that is missing.
 */
export function resolveDatasetId(id: string): string {
  if ((NAMED_DATASETS as readonly string[]).includes(id)) return id;
  const colon = id.indexOf(':');
  const prefix = colon > 1 ? id.slice(0, colon) : '';
  if (prefix === 'ann') {
    const file = join(annDir(), `${id.slice(4)}.hdf5`);
    if (!existsSync(file)) throw new UsageError(`dataset '${id}': ${file} is missing (${annDownloadHint(id.slice(4))})`);
    return `hdf5:${file}`;
  }
  const files = (prefix ? id.slice(colon + 1) : id).split(',');
  const kind = prefix || EXTENSIONS[extname(files[0]).slice(1).toLowerCase()];
  if (!kind || !(FILE_PREFIXES as readonly string[]).includes(kind)) {
    throw new UsageError(
      `unknown dataset '${id}' (known: ${NAMED_DATASETS.join(', ')}, ann:NAME, ${FILE_PREFIXES.map((p) => `${p}:FILE`).join(', ')}, or a path ending in .fvecs, .bvecs, .npy, .hdf5)`,
    );
  }
  for (const f of files) if (!existsSync(f)) throw new UsageError(`dataset '${id}': file ${f} does not exist`);
  return id;
}

/** Where to get an ann-benchmarks file and where to put it. */
export function annDownloadHint(name: string): string {
  return `download http://ann-benchmarks.com/${name}.hdf5 into ${annDir()} or set HNSWLAB_ANN_DIR`;
}

/**
 * The metric a dataset is meant for: GloVe rows are unit vectors (inner product = cosine);
 * ann-benchmarks files say it in their name (`-angular`: cosine, `-euclidean`: l2); the rest l2.
 */
export function naturalMetric(id: string): Metric {
  if (id === 'glove') return 'ip';
  const name = basename(id).toLowerCase();
  if (/-angular\b/.test(name)) return 'cosine';
  if (/-(dot|ip)\b/.test(name)) return 'ip';
  return 'l2';
}

/** A short name for reports: the file's base name without extension, 'GloVe-100' for glove, synthetic ids as they are. */
export function datasetLabel(id: string): string {
  if (id === 'glove') return 'GloVe-100';
  const colon = id.indexOf(':');
  if (colon < 2) return id.includes('/') || id.includes('\\') ? basename(id, extname(id)) : id;
  const first = id.slice(colon + 1).split(',')[0];
  return basename(first, extname(first));
}
