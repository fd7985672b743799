import { FileFormatError } from '../file-format-error.js';

/**
 * Refuse the first NaN or ±Infinity in row-major `data` (a bit flip in an exponent, a float16
 * overflow), naming its row and component: the index would refuse it later without naming the file.
 */
export function checkFinite(file: string, what: string, data: Float32Array, dim: number): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is 0 for finite v and NaN otherwise: one test for NaN and both infinities
    if (v - v !== 0) {
      const row = Math.floor(i / dim);
      throw new FileFormatError(file, `${what} row ${row}, component ${i - row * dim}`, String(v), 'a finite number');
    }
  }
}
