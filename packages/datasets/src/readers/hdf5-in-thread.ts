import { statSync } from 'node:fs';
import { FileFormatError } from '../file-format-error.js';
import type { AnnHdf5 } from './ann-hdf5.js';
import { checkFinite } from './check-finite.js';
import { checkNeighborIds } from './check-neighbor-ids.js';
import { checkSize } from './check-size.js';

interface H5Metadata {
  type: number;
  size: number;
  signed: boolean;
  littleEndian: boolean;
  shape: number[] | null;
  virtual_sources?: unknown;
}
interface H5Dataset {
  readonly metadata: H5Metadata;
  readonly filters: unknown[];
  slice(ranges: Array<[number, number] | []>): unknown;
}
interface H5File {
  file_id: bigint | number;
  get(path: string): unknown;
  attrs: Record<string, { value: unknown }>;
  close(): void;
}
interface H5Module {
  activate_throwing_error_handler?: () => void;
  HEAPU8?: Uint8Array;
}
interface H5 {
  ready: Promise<H5Module>;
  File: new (file: string, mode: 'r') => H5File;
  Dataset: abstract new (...args: never[]) => H5Dataset;
}

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
/** Deflate expands at most about 1032:1; a filtered dataset claiming more than this is lying. */
const MAX_FILTER_RATIO = 1100;

let loaded: Promise<H5> | undefined;
let heap: H5Module | undefined;

/** Bytes of WebAssembly memory h5wasm holds in this thread: it grows with the largest read and never shrinks. */
export function h5wasmHeapBytes(): number {
  return heap?.HEAPU8?.byteLength ?? 0;
}

/**
 * Load h5wasm (HDF5 compiled to WebAssembly, which reads the real filesystem under Node) into this
 * thread, with HDF5's errors thrown rather than printed. Meant for the HDF5 worker, whose h5wasm
 * instance is its own: the error handler is global to an instance.
 */
export function loadH5wasm(): Promise<H5> {
  loaded ??= (async () => {
    try {
      const mod = (await import('h5wasm/node')) as { default?: H5 } & H5;
      const h5 = mod.default ?? mod;
      heap = await h5.ready;
      heap.activate_throwing_error_handler?.();
      return h5;
    } catch (err) {
      loaded = undefined;
      throw new Error(`reading HDF5 needs h5wasm, which did not load: ${(err as Error).message}`, { cause: err });
    }
  })();
  return loaded;
}

/**
 * Read an ann-benchmarks HDF5 file in this thread (the HDF5 worker calls this; use `readAnnHdf5`).
 * `train` and `test` must be 2-D little-endian float (or small integer) datasets of one dimension, with
 * finite values; `neighbors`, when present, one row of train-row ids per test row. Each shape is
 * checked against the file size before anything is read.
 */
export async function readAnnHdf5InThread(file: string, maxTrain: number, maxTest: number): Promise<AnnHdf5> {
  const size = statSync(file).size;
  const h5 = await loadH5wasm();
  const f = hdf5(file, 'the file', () => new h5.File(file, 'r'));
  if (Number(f.file_id) < 0) throw new FileFormatError(file, 'the file', 'not openable by HDF5', 'an HDF5 file');
  let result: AnnHdf5;
  try {
    result = readOpen(file, size, f, h5, maxTrain, maxTest);
  } catch (err) {
    try {
      f.close();
    } catch {
      // the read's error is the one to report
    }
    throw err;
  }
  hdf5(file, 'the file', () => f.close());
  return result;
}

function readOpen(file: string, size: number, f: H5File, h5: H5, maxTrain: number, maxTest: number): AnnHdf5 {
  const train = readRows(file, size, f, h5, 'train', maxTrain);
  const test = readRows(file, size, f, h5, 'test', maxTest);
  if (test.dim !== train.dim)
    throw new FileFormatError(file, "dataset 'test' columns", String(test.dim), `${train.dim}, the columns of 'train'`);
  let neighbors: Int32Array | undefined;
  let neighborsK: number | undefined;
  const nb = hdf5(file, "dataset 'neighbors'", () => f.get('neighbors'));
  if (nb) {
    const d = dataset(file, h5, 'neighbors', nb, [H5T_INTEGER]);
    const [rows, k] = shape2(file, 'neighbors', d);
    if (rows !== test.total)
      throw new FileFormatError(file, "dataset 'neighbors' rows", String(rows), `${test.total}, one per row of 'test'`);
    checkBytes(file, size, 'neighbors', d, test.rows * k);
    const raw = hdf5(file, "dataset 'neighbors'", () => d.slice([[0, test.rows], []])) as ArrayLike<number | bigint>;
    const ids = Array.from({ length: raw.length }, (_, i) => Number(raw[i]));
    checkNeighborIds(file, "dataset 'neighbors'", ids, test.rows, k, train.total);
    neighbors = Int32Array.from(ids);
    neighborsK = k;
  }
  const distance = hdf5(file, "attribute 'distance'", () => f.attrs?.distance?.value);
  return {
    dim: train.dim,
    train: train.data,
    trainRows: train.rows,
    totalTrainRows: train.total,
    test: test.data,
    testRows: test.rows,
    neighbors,
    neighborsK,
    distance: typeof distance === 'string' ? distance : undefined,
  };
}

function readRows(file: string, size: number, f: H5File, h5: H5, name: string, max: number) {
  const obj = hdf5(file, `dataset '${name}'`, () => f.get(name));
  if (!obj)
    throw new FileFormatError(file, `dataset '${name}'`, 'missing', 'a 2-D dataset (ann-benchmarks files have train, test, neighbors)');
  const d = dataset(file, h5, name, obj, [H5T_FLOAT, H5T_INTEGER]);
  const [total, dim] = shape2(file, name, d);
  const rows = Math.min(total, max);
  checkBytes(file, size, name, d, rows * dim);
  const raw = hdf5(file, `dataset '${name}'`, () => d.slice([[0, rows], []])) as ArrayLike<number>;
  if (raw.length !== rows * dim)
    throw new FileFormatError(file, `dataset '${name}' values read`, String(raw.length), `${rows * dim} (${rows} × ${dim})`);
  const data = raw instanceof Float32Array ? raw : Float32Array.from(raw);
  checkFinite(file, `dataset '${name}'`, data, dim);
  return { data, rows, total, dim };
}

/** `obj` as a plain, little-endian dataset of one of `types` with element size up to 8 (4 for integer data). */
function dataset(file: string, h5: H5, name: string, obj: unknown, types: number[]): H5Dataset {
  if (!(obj instanceof h5.Dataset)) throw new FileFormatError(file, `'${name}'`, describe(obj), 'a dataset');
  const md = hdf5(file, `dataset '${name}'`, () => obj.metadata);
  const kind = md.type === H5T_FLOAT ? 'float' : md.type === H5T_INTEGER ? 'integer' : `HDF5 type class ${md.type}`;
  const okSize = md.type === H5T_FLOAT ? md.size === 4 || md.size === 8 : name === 'neighbors' ? md.size <= 8 : md.size <= 4;
  if (!types.includes(md.type) || !okSize)
    throw new FileFormatError(
      file,
      `dataset '${name}' type`,
      `${kind} of ${md.size} bytes`,
      name === 'neighbors' ? 'integer ids' : 'float32, float64 or an integer of up to 4 bytes',
    );
  if (md.size > 1 && !md.littleEndian) throw new FileFormatError(file, `dataset '${name}' byte order`, 'big-endian', 'little-endian');
  if (md.virtual_sources) throw new FileFormatError(file, `dataset '${name}'`, 'a virtual dataset', 'data stored in this file');
  return obj;
}

function shape2(file: string, name: string, d: H5Dataset): [number, number] {
  const shape = d.metadata.shape;
  if (!Array.isArray(shape) || shape.length !== 2)
    throw new FileFormatError(
      file,
      `dataset '${name}' shape`,
      shape ? `(${shape.join(', ')})` : 'scalar',
      'two dimensions (rows, columns)',
    );
  return [
    checkSize(file, `dataset '${name}' rows`, shape[0], 1, Infinity),
    checkSize(file, `dataset '${name}' columns`, shape[1], 1, Infinity),
  ];
}

/** The bytes a read of `values` needs, against what the file can hold (more when compressed): nothing is allocated past that. */
function checkBytes(file: string, size: number, name: string, d: H5Dataset, values: number): void {
  const filtered = hdf5(file, `dataset '${name}' filters`, () => d.filters).length > 0;
  const limit = filtered ? size * MAX_FILTER_RATIO : size;
  const bytes = values * d.metadata.size;
  if (bytes > limit)
    throw new FileFormatError(
      file,
      `dataset '${name}' size`,
      `${bytes} bytes for the rows asked`,
      `at most ${limit} (${filtered ? `${MAX_FILTER_RATIO}× the` : 'the'} ${size}-byte file)`,
    );
}

const raised = new WeakSet<Error>();

/**
 * Whether `err` was raised inside HDF5. Such an error unwinds h5wasm's C++ glue without its cleanup
 * (open handles, buffers), and a later read on the same instance has been seen to abort: the worker
 * that saw one is replaced.
 */
export function raisedByHdf5(err: unknown): boolean {
  return err instanceof Error && raised.has(err);
}

/** Run one h5wasm call; an HDF5 error becomes a FileFormatError naming the file and `what`, with HDF5's innermost reason. */
function hdf5<T>(file: string, what: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (err instanceof FileFormatError) throw err;
    const e = new FileFormatError(file, what, `unreadable (HDF5: ${hdf5Reason(err)})`, 'a readable HDF5 object (is the file damaged?)', {
      cause: err,
    });
    raised.add(e);
    throw e;
  }
}

function hdf5Reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // HDF5's stack lists the outermost call first; its last entry is the cause
  const entries = [...text.matchAll(/in (\w+)\(\): ([^\n]+)/g)];
  const last = entries[entries.length - 1];
  const minor = [...text.matchAll(/minor: ([^\n]+)/g)].pop()?.[1];
  if (last) return `${last[2].trim()} in ${last[1]}${minor ? ` (${minor.trim()})` : ''}`;
  return text.split('\n')[0].slice(0, 200);
}

function describe(obj: unknown): string {
  const type = (obj as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? `a ${type}` : typeof obj;
}
