import { createHash } from 'node:crypto';

/** sha256 over the dimension, base and query bytes, hex, first 16 characters: a cache key for ground truth. */
export function datasetHash(dim: number, base: Float32Array, queries: Float32Array): string {
  const h = createHash('sha256');
  h.update(`dim=${dim};n=${base.length / dim};q=${queries.length / dim};`);
  h.update(new Uint8Array(base.buffer, base.byteOffset, base.byteLength));
  h.update(new Uint8Array(queries.buffer, queries.byteOffset, queries.byteLength));
  return h.digest('hex').slice(0, 16);
}
