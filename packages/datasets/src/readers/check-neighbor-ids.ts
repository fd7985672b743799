import { FileFormatError } from '../file-format-error.js';

/**
 * Check an exact-neighbour table (row-major, `queries` rows of `k` ids, as a .ivecs or an HDF5
 * `neighbors` gives it) against a base of `baseRows` vectors: enough values, every id a base row.
 * An id out of range would otherwise score recall 0 with status ok.
 */
export function checkNeighborIds(file: string, field: string, ids: ArrayLike<number>, queries: number, k: number, baseRows: number): void {
  if (!(k >= 1)) throw new FileFormatError(file, `${field} per query`, String(k), 'at least 1 neighbour id');
  if (ids.length < queries * k)
    throw new FileFormatError(file, `${field} length`, `${ids.length} ids`, `${queries * k} (${queries} queries × ${k})`);
  for (let i = 0; i < queries * k; i++) {
    const id = ids[i];
    if (!(Number.isInteger(id) && id >= 0 && id < baseRows)) {
      const row = Math.floor(i / k);
      throw new FileFormatError(file, `${field} row ${row}, column ${i - row * k}`, String(id), `a base row id in 0..${baseRows - 1}`);
    }
  }
}
