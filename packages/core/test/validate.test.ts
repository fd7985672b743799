import { describe, expect, it } from 'vitest';
import { checkId, checkPositiveInt, checkVectors, MAX_SQUARED_NORM } from '../dist/validate.js';

describe('validation', () => {
  it('names what is wrong with a vector: type, length, non-finite component, norm, zero under a normalising metric', () => {
    expect(() => checkVectors([1, 2], 2, false, 'vector')).toThrow(/vector must be a Float32Array, got Array/);
    expect(() => checkVectors(new Float64Array(2), 2, false, 'vector')).toThrow(/got Float64Array/);
    expect(() => checkVectors(new Float32Array(3), 2, false, 'vector')).toThrow(/3 components: expected dim = 2/);
    expect(() => checkVectors(new Float32Array(5), 2, false, 'vectors', true)).toThrow(/expected a positive multiple of dim = 2/);
    expect(() => checkVectors(new Float32Array(0), 2, false, 'vectors', true)).toThrow(/0 components/);
    expect(() => checkVectors(Float32Array.of(1, 2, 3, Number.NaN), 2, false, 'vectors', true)).toThrow(
      /vectors row 1 has a non-finite component at 1 \(NaN\)/,
    );
    expect(() => checkVectors(Float32Array.of(0, 0), 2, true, 'query')).toThrow(/query is a zero vector/);
    expect(checkVectors(Float32Array.of(0, 0), 2, false, 'query')).toBeInstanceOf(Float32Array);
  });

  it('refuses vectors whose distances would overflow float32, and accepts the largest that fit', () => {
    const edge = Math.sqrt(MAX_SQUARED_NORM / 2) * 0.999;
    expect(() => checkVectors(Float32Array.of(edge, edge), 2, false, 'vector')).not.toThrow();
    expect(() => checkVectors(Float32Array.of(4e19, 0), 2, false, 'vector')).toThrow(/squared norm 1\.60e\+39.*would overflow float32/);
  });

  it('ids: integers in [0, 2^32 − 1], and a string says it is a string', () => {
    expect(checkId(0)).toBe(0);
    expect(checkId(0xffffffff)).toBe(0xffffffff);
    expect(() => checkId(2 ** 32)).toThrow(/from 0 to 4294967295, got 4294967296/);
    expect(() => checkId(-1)).toThrow(/got -1/);
    expect(() => checkId(1.5)).toThrow(/got 1.5/);
    expect(() => checkId('7')).toThrow(/got the string "7"/);
    expect(() => checkId(7n)).toThrow(/got the bigint 7n/);
  });

  it('positive integers', () => {
    expect(checkPositiveInt('k', 3)).toBe(3);
    expect(() => checkPositiveInt('k', 0)).toThrow(/k must be an integer ≥ 1, got 0/);
    expect(() => checkPositiveInt('seed', -1, 0)).toThrow(/seed must be an integer ≥ 0/);
    expect(() => checkPositiveInt('ef', '10')).toThrow(/got the string "10"/);
  });
});
