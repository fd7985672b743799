import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Rows read from a file: row-major values, the row count and the dimension. */
export interface Matrix<T extends Float32Array | Int32Array> {
  readonly data: T;
  readonly rows: number;
  readonly dim: number;
}

type Kind = 'fvecs' | 'bvecs' | 'ivecs';
const ELEM: Record<Kind, number> = { fvecs: 4, bvecs: 1, ivecs: 4 };

/**
 * TEXMEX .fvecs/.bvecs/.ivecs (SIFT, GIST, BIGANN): each row is an int32 dimension followed by that many
 * float32 / uint8 / int32 values. Reads only the first `maxRows` rows (a BIGANN base is far larger than
 * memory) and the total row count from the file size.
 */
function readVecs(
  kind: Kind,
  file: string,
  maxRows = Infinity,
): { values: Float32Array | Int32Array; rows: number; dim: number; totalRows: number } {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    if (readSync(fd, head, 0, 4, 0) < 4) throw new RangeError(`${file}: empty or truncated ${kind} file`);
    const dim = head.readInt32LE(0);
    if (dim <= 0 || dim > 1 << 20) throw new RangeError(`${file}: bad ${kind} dimension ${dim} (is this really a .${kind} file?)`);
    const rowBytes = 4 + dim * ELEM[kind];
    const size = fstatSync(fd).size;
    if (size % rowBytes !== 0)
      throw new RangeError(`${file}: size ${size} is not a multiple of the ${rowBytes}-byte ${kind} row for dim ${dim}`);
    const totalRows = size / rowBytes;
    const rows = Math.min(totalRows, maxRows);
    const values = kind === 'ivecs' ? new Int32Array(rows * dim) : new Float32Array(rows * dim);
    const chunkRows = Math.max(1, Math.floor((8 << 20) / rowBytes));
    const buf = Buffer.alloc(Math.max(chunkRows * rowBytes, 8192));
    for (let r0 = 0; r0 < rows; r0 += chunkRows) {
      const m = Math.min(chunkRows, rows - r0);
      const want = m * rowBytes;
      let got = 0;
      while (got < want) {
        const k = readSync(fd, buf, got, want - got, r0 * rowBytes + got);
        if (k === 0) throw new RangeError(`${file}: truncated at row ${r0}`);
        got += k;
      }
      for (let i = 0; i < m; i++) {
        const off = i * rowBytes;
        const d = buf.readInt32LE(off);
        if (d !== dim) throw new RangeError(`${file}: row ${r0 + i} has dimension ${d}, the first row ${dim}`);
        const dst = (r0 + i) * dim;
        if (kind === 'bvecs') {
          for (let j = 0; j < dim; j++) values[dst + j] = buf[off + 4 + j];
        } else {
          // Buffer.alloc of this size owns its ArrayBuffer at offset 0 and rows are 4-byte multiples: aligned views.
          const Row = kind === 'fvecs' ? Float32Array : Int32Array;
          values.set(new Row(buf.buffer, buf.byteOffset + off + 4, dim), dst);
        }
      }
    }
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

/** int32 rows of a .ivecs file (ground-truth neighbour ids). */
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
