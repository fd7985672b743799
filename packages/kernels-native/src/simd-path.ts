/** A code path of the native kernel: AVX-512F, AVX2 + FMA, or portable scalar C++. */
export type SimdPath = 'avx512' | 'avx2' | 'scalar';

export const SIMD_PATHS: readonly SimdPath[] = ['avx512', 'avx2', 'scalar'];
