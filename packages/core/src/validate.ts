import type { Metric } from './contracts.js';

// Every check runs before anything is written, so a rejected call leaves the index as it was.

export const METRICS: readonly Metric[] = ['l2', 'cosine', 'ip'];

export function checkMetric(metric: unknown): Metric {
  if (!METRICS.includes(metric as Metric)) {
    throw new TypeError(`unknown metric ${JSON.stringify(metric)}: use one of ${METRICS.join(', ')}`);
  }
  return metric as Metric;
}

export function checkPositiveInt(name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Checks vectors of `dim` floats: the right length (exactly dim, or a positive multiple of it when
 * `batch`), finite components, and non-zero under cosine.
 */
export function checkVectors(data: unknown, dim: number, metric: Metric, what: string, batch = false): Float32Array {
  if (!(data instanceof Float32Array)) {
    throw new TypeError(`${what} must be a Float32Array, got ${describe(data)}`);
  }
  if (batch ? data.length === 0 || data.length % dim !== 0 : data.length !== dim) {
    throw new RangeError(`${what} has ${data.length} components: expected ${batch ? 'a positive multiple of ' : ''}dim = ${dim}`);
  }
  const rows = data.length / dim;
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    const base = r * dim;
    for (let j = 0; j < dim; j++) {
      const x = data[base + j];
      if (!Number.isFinite(x)) {
        throw new RangeError(`${what}${rows > 1 ? ` row ${r}` : ''} has a non-finite component at ${j} (${x})`);
      }
      norm += x * x;
    }
    if (metric === 'cosine' && norm === 0) {
      throw new RangeError(`${what}${rows > 1 ? ` row ${r}` : ''} is a zero vector, which has no direction under cosine`);
    }
  }
  return data;
}

/** Ids must be integers in [0, 2^32 − 1]. */
export function checkId(id: unknown): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new RangeError(`id must be an integer from 0 to 4294967295, got ${String(id)}`);
  }
  return id;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return typeof v;
}
