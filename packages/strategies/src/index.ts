export { parallel } from './parallel.js';
export { segmented } from './segmented.js';
export { rounds } from './rounds.js';
export { mergeIndexes } from './merge-indexes.js';
export { registerAll } from './register-all.js';
export { closeWorkers } from './worker-pool.js';
export { lastBatchReport, type BatchReport, type StageReport } from './batch-report.js';
export { computeJoinSet } from './join-set.js';
export type { StrategyOptions } from './strategy-options.js';
