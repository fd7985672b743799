export { HnswIndex, type AddBatchOptions, type HnswIndexOptions } from './hnsw-index.js';
export { BruteForceIndex } from './brute-force-index.js';
export { registerStrategy, listStrategies, resolveStrategy } from './strategy-registry.js';
export { registerMerger, type IndexMerger, type MergeOptions, type MergeReport } from './merger-registry.js';
export { sequential } from './strategies/sequential.js';
export { batched } from './strategies/batched.js';
export { PHASE_FUNCTIONS, PHASE_CLASSES } from './phase-map.js';
export { METRICS } from './validate.js';
export type { GraphReport } from './check.js';
export type {
  DistanceKernel,
  DistanceProbe,
  IndexStats,
  InsertOptions,
  InsertStrategy,
  KernelDescriptor,
  Metric,
  Phase,
  SearchResult,
  SpaceHandle,
  SpaceOptions,
  VectorSpace,
} from './contracts.js';
