import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '@hnswlab/datasets';
import type { BuildResult, LoopDelay, MemoryResult } from './cell-result.js';

/** What decides the graph a cell builds: the cache key is a hash of exactly these. */
export interface IndexCacheKeyParts {
  /** sha256 prefix of the base vectors and their dimension (not the queries: a new query set reuses the index). */
  baseHash: string;
  metric: string;
  /** The kernel as the cell names it, and the code path that ran (`native-avx512`). */
  kernel: string;
  kernelName: string;
  strategy: string;
  boundary: string;
  M: number;
  efConstruction: number;
  seed: number;
  threads: number;
  /** codeVersion(): the built code of the core, the kernels and the strategies. */
  code: string;
  /** The precision axis: the store and the cell's keepFullPrecision (null: the store's default). Absent for f32, whose keys predate the axis. */
  store?: string;
  keepFullPrecision?: boolean | null;
}

/** What a cell measured when it built and saved an index: kept beside a cached index, so a hit reports real build figures. */
export interface BuildRecord {
  /** The build figures (secondsPerRepeat says how many timed builds they are the median of). */
  build: BuildResult;
  memory: MemoryResult;
  /** The event loop during the last timed build, or null when it was not measured. */
  buildLoopDelay: LoopDelay | null;
  loopResolutionMs: number;
  /** The save of the built index, and the disk's write rate measured beside it. */
  fileBytes: number;
  saveSeconds: number;
  diskWriteSeconds: number;
  builtAt: string;
  builtOn: string;
}

/** A cache record: the build record of the index file of `key`. */
export interface IndexCacheEntry extends BuildRecord {
  /** Format of this record; a record of another version is a miss. */
  version: 1;
  key: string;
  parts: IndexCacheKeyParts;
}

/** A hash of the key parts, hex, 24 characters. */
export function indexCacheKey(parts: IndexCacheKeyParts): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24);
}

/** sha256 prefix of a base set's dimension and bytes (memoised per array: a 1M × 128 set takes a second). */
export function baseHash(dim: number, base: Float32Array): string {
  let h = hashes.get(base);
  if (!h) {
    h = createHash('sha256')
      .update(`dim=${dim};n=${base.length / dim};`)
      .update(new Uint8Array(base.buffer, base.byteOffset, base.byteLength))
      .digest('hex')
      .slice(0, 16);
    hashes.set(base, h);
  }
  return h;
}
const hashes = new WeakMap<Float32Array, string>();

/**
 * Built indexes kept on disk between runs, one saved index file (packages/core/FORMAT.md) and one
 * JSON record of its build figures per key, in `$HNSWLAB_CACHE/index` (see cacheDir()). The index
 * file is validated by HnswIndex.load (checksums per section); a record that does not parse, names
 * another key, or describes a file of another size is a miss. Nothing is evicted: remove the folder
 * to reclaim the space.
 */
export class IndexCache {
  readonly dir: string;

  constructor(dir = join(cacheDir(), 'index')) {
    this.dir = dir;
  }

  indexFile(key: string): string {
    return join(this.dir, `${key}.hnsw`);
  }

  recordFile(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** The record of `key` when it and its index file are there and agree, else undefined. */
  read(key: string): IndexCacheEntry | undefined {
    const record = this.recordFile(key),
      file = this.indexFile(key);
    if (!existsSync(record) || !existsSync(file)) return undefined;
    try {
      const entry = JSON.parse(readFileSync(record, 'utf8')) as IndexCacheEntry;
      if (entry.version !== 1 || entry.key !== key || statSync(file).size !== entry.fileBytes) return undefined;
      if (!entry.build || !Array.isArray(entry.build.secondsPerRepeat) || !entry.memory) return undefined;
      return entry;
    } catch {
      return undefined;
    }
  }

  /** Prepare the folder for a new index file of `key` (the caller saves it to indexFile(key)); drops a stale record first. */
  prepare(key: string): string {
    mkdirSync(this.dir, { recursive: true });
    rmSync(this.recordFile(key), { force: true });
    return this.indexFile(key);
  }

  /** Write the record once the index file is saved (written aside, then renamed: never half a record). */
  write(entry: IndexCacheEntry): void {
    const tmp = `${this.recordFile(entry.key)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry, null, 1));
    renameSync(tmp, this.recordFile(entry.key));
  }

  /** Forget `key` (its file failed to load). */
  drop(key: string): void {
    rmSync(this.recordFile(key), { force: true });
    rmSync(this.indexFile(key), { force: true });
  }
}
