import type { Boundary, DistanceKernel, HnswIndexOptions } from '@hnswlab/core';
import type { CellSpec } from './cell-spec.js';

/**
 * The HnswIndex options of a cell or track: its build parameters, the kernel and boundary it runs
 * with, and its store (with keepFullPrecision where the spec sets it; absent: f32, the index's default).
 */
export function indexOptions(
  spec: Pick<CellSpec, 'metric' | 'M' | 'efConstruction' | 'seed'> & Partial<Pick<CellSpec, 'store' | 'keepFullPrecision'>>,
  dim: number,
  kernel: DistanceKernel,
  boundary: Boundary | undefined,
): HnswIndexOptions {
  return {
    dim,
    metric: spec.metric,
    M: spec.M,
    efConstruction: spec.efConstruction,
    kernel,
    seed: spec.seed,
    ...(boundary && { boundary }),
    ...(spec.store && { store: spec.store }),
    ...(spec.keepFullPrecision !== undefined && { keepFullPrecision: spec.keepFullPrecision }),
  };
}
