// Every check runs before anything is written, so a rejected call leaves the index as it was.

/**
 * The largest squared norm a vector may have: with ‖a‖², ‖b‖² ≤ this, every l2 distance (≤ 4·max)
 * and every dot product fits in a float32 (3.4e38), so no distance overflows to Infinity.
 */
export const MAX_SQUARED_NORM = 8e37;

export function checkPositiveInt(name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks vectors of `dim` floats: the right length (exactly dim, or a positive multiple of it when
 * `batch`), finite components, a squared norm within {@link MAX_SQUARED_NORM}, and non-zero when
 * the metric normalises.
 */
export function checkVectors(data: unknown, dim: number, normalise: boolean, what: string, batch = false): Float32Array {
  if (!(data instanceof Float32Array)) {
    throw new TypeError(`${what} must be a Float32Array, got ${describeValue(data)}`);
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
    if (norm > MAX_SQUARED_NORM) {
      throw new RangeError(
        `${what}${rows > 1 ? ` row ${r}` : ''} has squared norm ${norm.toExponential(2)}, above ${MAX_SQUARED_NORM.toExponential(0)}: its distances would overflow float32`,
      );
    }
    if (normalise && norm === 0) {
      throw new RangeError(`${what}${rows > 1 ? ` row ${r}` : ''} is a zero vector, which has no direction under this metric`);
    }
  }
  return data;
}

/** Ids must be integers in [0, 2^32 − 1]. */
export function checkId(id: unknown): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new RangeError(`id must be an integer from 0 to 4294967295, got ${describeValue(id)}`);
  }
  return id;
}

/** A value as an error message should show it: strings quoted and named, objects by constructor. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'bigint') return `the bigint ${v}n`;
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  if (typeof v === 'function') return 'a function';
  return String(v);
}
