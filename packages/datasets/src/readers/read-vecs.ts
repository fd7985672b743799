import { closeSync, fstatSync, openSync } from 'node:fs';
import { FileFormatError } from '../file-format-error.js';
import { checkFinite } from './check-finite.js';
import { checkRowLimit, checkSize } from './check-size.js';
import { readExactly } from './read-exactly.js';

/** Rows read from a file: row-major values, the row count and the dimension. */
export interface Matrix<T extends Float32Array | Int32Array> {
  readonly data: T;
  readonly rows: number;
  readonly dim: number;
}

type Kind = 'fvecs' | 'bvecs' | 'ivecs';
const ELEM: Record<Kind, number> = { fvecs: 4, bvecs: 1, ivecs: 4 };
const VALUES: Record<Kind, string> = { fvecs: 'float32', bvecs: 'uint8', ivecs: 'int32' };
/** Larger than any real dataset's dimension; a bigger header is a wrong or damaged file. */
const MAX_DIM = 1 << 20;
const CHUNK_BYTES = 8 << 20;

/**
 * TEXMEX .fvecs/.bvecs/.ivecs (SIFT, GIST, BIGANN): each row is an int32 dimension followed by that many
 * float32 / uint8 / int32 values. Reads only the first `maxRows` rows (a BIGANN base is far larger than
 * memory) and the total row count from the file size. Every row's dimension is checked against the
 * first, every float is finite, and nothing larger than the file is allocated.
 */
function readVecs(
  kind: Kind,
  file: string,
  maxRows = Infinity,
): { values: Float32Array | Int32Array; rows: number; dim: number; totalRows: number } {
  checkRowLimit('maxRows', maxRows);
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 4)
      throw new FileFormatError(file, 'size', `${size} bytes`, `at least 4 (a row is an int32 dimension, then ${VALUES[kind]} values)`);
    const dim = checkSize(
      file,
      'row 0 dimension',
      readExactly(fd, file, 4, 0, 'row 0 dimension').readInt32LE(0),
      1,
      MAX_DIM,
      `is this really a .${kind} file?`,
    );
    const rowBytes = 4 + dim * ELEM[kind];
    if (size % rowBytes !== 0)
      throw new FileFormatError(
        file,
        'size',
        `${size} bytes`,
        `a multiple of ${rowBytes}, the row of dimension ${dim} (${size % rowBytes} bytes left over: truncated, or not a .${kind} file)`,
      );
    const totalRows = size / rowBytes;
    const rows = Math.min(totalRows, maxRows);
    const values = kind === 'ivecs' ? new Int32Array(rows * dim) : new Float32Array(rows * dim);
    const chunkRows = Math.max(1, Math.min(rows, Math.floor(CHUNK_BYTES / rowBytes)));
    // Buffer.alloc owns its ArrayBuffer at offset 0 and rows are 4-byte multiples: the row views below are aligned.
    const buf = Buffer.alloc(chunkRows * rowBytes);
    for (let r0 = 0; r0 < rows; r0 += chunkRows) {
      const m = Math.min(chunkRows, rows - r0);
      readExactly(fd, file, m * rowBytes, r0 * rowBytes, `row ${r0}`, buf);
      for (let i = 0; i < m; i++) {
        const off = i * rowBytes;
        const d = buf.readInt32LE(off);
        if (d !== dim) throw new FileFormatError(file, `row ${r0 + i} dimension`, String(d), `${dim}, the dimension of row 0`);
        const dst = (r0 + i) * dim;
        if (kind === 'bvecs') {
          for (let j = 0; j < dim; j++) values[dst + j] = buf[off + 4 + j];
        } else {
          const Row = kind === 'fvecs' ? Float32Array : Int32Array;
          values.set(new Row(buf.buffer, buf.byteOffset + off + 4, dim), dst);
        }
      }
    }
    if (kind === 'fvecs') checkFinite(file, 'vector', values as Float32Array, dim);
    return { values, rows, dim, totalRows };
  } finally {
    closeSync(fd);
  }
}

/** float32 rows of a .fvecs file (first `maxRows`), and how many the file holds. */
export function readFvecs(file: string, maxRows?: number): Matrix<Float32Array> & { totalRows: number } {
  const r = readVecs('fvecs', file, maxRows);
  return { data: r.values as Float32Array, rows: r.rows, dim: r.dim, totalRows: r.totalRows };
}

/** uint8 rows of a .bvecs file (BIGANN), widened to float32. */
export function readBvecs(file: string, maxRows?: number): Matrix<Float32Array> & { totalRows: number } {
  const r = readVecs('bvecs', file, maxRows);
  return { data: r.values as Float32Array, rows: r.rows, dim: r.dim, totalRows: r.totalRows };
}

/** int32 rows of a .ivecs file (ground-truth neighbour ids); check the ids with {@link checkNeighborIds}. */
export function readIvecs(file: string, maxRows?: number): Matrix<Int32Array> & { totalRows: number } {
  const r = readVecs('ivecs', file, maxRows);
  return { data: r.values as Int32Array, rows: r.rows, dim: r.dim, totalRows: r.totalRows };
}

/** Write rows as .fvecs or .ivecs (for tests and for exporting synthetic sets). */
export function encodeVecs(values: Float32Array | Int32Array, dim: number): Buffer {
  const rows = values.length / dim;
  const out = Buffer.alloc(rows * (4 + 4 * dim));
  for (let i = 0; i < rows; i++) {
    const off = i * (4 + 4 * dim);
    out.writeInt32LE(dim, off);
    for (let j = 0; j < dim; j++) {
      if (values instanceof Float32Array) out.writeFloatLE(values[i * dim + j], off + 4 + 4 * j);
      else out.writeInt32LE(values[i * dim + j], off + 4 + 4 * j);
    }
  }
  return out;
}
