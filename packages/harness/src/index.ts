export { DEFAULT_CELL, buildTitle, cellLabel, normalizeCellSpec, type CellSpec } from './cell-spec.js';
export {
  PHASES,
  SCHEMA_VERSION,
  type BuildResult,
  type CellDataset,
  type CellResult,
  type EventLoopResult,
  type IndexCacheUse,
  type JsShare,
  type LoopDelay,
  type MemoryResult,
  type PersistenceResult,
  type RerankSweep,
  type SearchPoint,
  type StoreResult,
} from './cell-result.js';
export { runCell, type CellProgress, type RunCellOptions } from './run-cell.js';
export { memoryResult } from './memory-result.js';
export { runPeerCell } from './run-peer-cell.js';
export { loadPeer, PEER_INSTALL_HINT } from './peers/load-peer.js';
export { PEER_NAMES, type Peer, type PeerBuildOptions, type PeerIndex, type PeerName } from './peers/peer.js';
export { KernelUnavailableError, fastestKernel, isKernelName, loadKernel } from './load-kernel.js';
export { loadStrategies, strategyUnavailable, checkStrategyNames } from './load-strategies.js';
export { ModuleUnavailableError, importOptional } from './import-optional.js';
export { forceGc, gcFunction } from './force-gc.js';
export { groundTruth, type GroundTruth } from './ground-truth.js';
export { prepareData, clearPreparedData, type DataKey, type PreparedData } from './prepare-data.js';
export { measureSearch, SEARCH_PASSES, type SearchTarget } from './measure-search.js';
export { cacheDir } from '@hnswlab/datasets';
export { expandMatrix, storeAxis, shardJobs, dataKey, peerKey, jobCost, type Job, type MatrixBlock } from './matrix.js';
export { PRESETS } from './presets.js';
export { runMatrix, planMatrix, bestKernel, peerStatus, assembleReport, type RunMatrixOptions } from './run-matrix.js';
export { parseBenchArgs, type BenchArgs } from './parse-bench-args.js';
export { BENCH_FLAGS, type BenchFlag } from './bench-flags.js';
export { UsageError } from './usage-error.js';
export {
  ALL_ROWS,
  ANN_DATASETS,
  NAMED_DATASETS,
  annDir,
  datasetLabel,
  naturalMetric,
  resolveDatasetId,
  splitDatasets,
} from './dataset-ids.js';
export { offlineBlocks } from './offline-blocks.js';
export { peakRss, resetPeakRss } from './peak-rss.js';
export { HEADLINE_RECALL, headlineLine, headlineMarkdown, headlines, type Headline } from './headline.js';
export { commandLine, gitCommit, machineInfo, type BenchReport, type MachineInfo, type PeerStatus } from './bench-report.js';
export {
  scaleCurves,
  dimCurves,
  logLogSlope,
  SUPERLINEAR_DISTANCE_EXPONENT,
  SUPERLINEAR_TIME_EXPONENT,
  SUPERLINEAR_TIME_MIN_SIZES,
  SUPERLINEAR_PEER_MARGIN,
  type DimCurve,
  type ScaleCurve,
} from './analyze.js';
export { summaryMarkdown, summaryRow, summaryTable, machinesOf, reportBlocks, missingLines, SUMMARY_HEAD } from './summary-markdown.js';
export { htmlReport } from './html-report.js';
export { writeReports } from './write-reports.js';
export { readReport } from './read-report.js';
export { mergeReports } from './merge-reports.js';
export { compareReports, comparisonMarkdown, type Comparison, type FigureChange } from './compare-reports.js';
export { qpsAtRecall, bestRecall, matchingPeer, referenceEf, threadsUsed } from './figures.js';
export { ensureGlove } from './ensure-glove.js';
export { FUSED_METHODS, KERNEL_METHODS, isFusedKernelFrame, isKernelFrame, isWasmFrame, type FrameName } from './kernel-frames.js';
export { kernelShare, kernelShareByProfile, PROFILE_INTERVAL_US } from './kernel-share-profile.js';
export { LOOP_RESOLUTION_MS, measureLoopDelay, perTurn } from './loop-delay.js';
export { IndexCache, baseHash, indexCacheKey, type BuildRecord, type IndexCacheEntry, type IndexCacheKeyParts } from './index-cache.js';
export { codeVersion } from './code-version.js';
export { runTrack, type TrackContext } from './tracks/run-track.js';
export { TRACK_DEFAULTS, TRACK_NAMES, trackLabel, type TrackName, type TrackSpec } from './tracks/track-spec.js';
export { TRACK_FLAGS, trackSpecs } from './tracks/track-args.js';
export {
  batchTable,
  filteredTable,
  streamingSummary,
  streamingTable,
  trackTitle,
  tracksHtml,
  tracksMarkdown,
} from './tracks/track-report.js';
export type {
  BatchSeries,
  BatchTrackResult,
  FilterFigures,
  FilteredPoint,
  FilteredTrackResult,
  StreamingRound,
  StreamingTrackResult,
  TrackResult,
  TrackResultBase,
} from './tracks/track-result.js';
export { diskWriteSeconds, readFileSeconds } from './file-io-rates.js';
export {
  STORE_NOTE,
  STORE_RECALL,
  f32Twin,
  recallLost,
  storeChart,
  storeGroups,
  storeOf,
  storePoint,
  storeTable,
  type StoreGroup,
} from './store-table.js';
export { exactScorer } from './exact-scorer.js';
export { BOUNDARY_NOTE, boundaryGroups, boundaryTable, jsShareText, type BoundaryGroup } from './boundary-table.js';
export { EVENT_LOOP_NOTE, PERSISTENCE_NOTE, cachedNote, delayText, eventLoopTable, persistenceTable } from './serving-tables.js';
export { Progress } from './progress.js';
export { Journal, jobKey } from './journal.js';
