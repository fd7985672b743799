// The public surface of @hnswlab/core: the index, the oracle, the contracts, the registries and the
// build primitives strategies are written with.
export {
  HnswIndex,
  type AddBatchOptions,
  type FilterMode,
  type HnswIndexOptions,
  type SearchBatchOptions,
  type SearchOptions,
} from './hnsw-index.js';
export type { BatchSearchResult } from './search-batch.js';
export { BruteForceIndex } from './brute-force-index.js';
export { SearchFilter, type FilterInput } from './filter.js';
export type { BatchReport, StageReport } from './batch-report.js';
export type { GraphReport } from './check.js';
export type { CompactReport } from './compact.js';
export type { MergeOptions, MergeReport } from './merge-index.js';
export { IndexFileError } from './persist/format.js';
export type { LoadOptions } from './persist/read-index.js';
export type { HnswlibOptions } from './persist/read-hnswlib.js';
export { registerStrategy, listStrategies, resolveStrategy } from './strategy-registry.js';
export { registerMetric, listMetrics, metricSpec } from './metrics/registry.js';
export { sequential } from './strategies/sequential.js';
export { batched } from './strategies/batched.js';
export { PHASES, BOUNDARIES, STORES } from './names.js';
export { learnQuantiser } from './stores/quantiser.js';
export { PHASE_FUNCTIONS, PHASE_CLASSES } from './phase-map.js';
export { workerTask } from './workers/task.js';
export { sharedCounter, takeNext } from './workers/shared-counter.js';
export { closeWorkers } from './workers/pool.js';
export { computeJoinSet } from './join-set.js';
export { MAX_SQUARED_NORM } from './validate.js';
export type {
  Boundary,
  BuildContext,
  DistanceKernel,
  DistanceProbe,
  FusedTraversal,
  GraphLayout,
  IndexStats,
  InsertOptions,
  InsertStrategy,
  KernelDescriptor,
  Linker,
  MemoryRegion,
  Metric,
  MetricSpec,
  Phase,
  ProbeOptions,
  Quantiser,
  QuantisedSpace,
  SearchResult,
  SpaceHandle,
  SpaceOptions,
  TraversalOptions,
  VectorSpace,
  VectorStore,
  WorkCounters,
  WorkerBuild,
  WorkerTask,
  Workers,
} from './contracts.js';
