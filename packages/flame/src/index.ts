export { attributeProfiles, PHASE_ROOTS, type AttributeOptions } from './attribute-profile.js';
export {
  ATTRIBUTION_SCHEMA,
  BUCKETS,
  PHASES,
  type Agreement,
  type Attribution,
  type AttributionMethod,
  type Bucket,
  type BucketStat,
  type CellPhase,
  type CellSummary,
  type FunctionStat,
  type ProfileWindow,
  type TimerView,
} from './attribution.js';
export { readCpuProfile, type CallFrame, type CpuProfile, type CpuProfileNode } from './cpu-profile.js';
export { describeNodes, type NodeInfo } from './describe-nodes.js';
export { diffAttributions, formatDiff, type AttributionDiff, type BucketChange, type FunctionChange } from './diff-attributions.js';
export { flamegraphHtml } from './flamegraph-html.js';
export { formatAttribution } from './format-attribution.js';
export { FUSED_METHOD_PHASES, WASM_PHASE_FUNCTIONS, frameBucket, fusedPhase, isFusedInsertFrame, wasmPhase } from './frame-bucket.js';
// The kernel-frame rule is the harness's (its JS-side share uses it too); re-exported for flame's users.
export { FUSED_METHODS, KERNEL_METHODS, isKernelFrame, isWasmFrame } from '@hnswlab/harness';
export { TOOLS, toolAvailable, toolCommand, type Tool, type ToolCommand } from './profilers.js';
export { AGREEMENT_TOLERANCE_PP, agreement, runFlame, type FlameRunOptions, type FlameRunResult } from './run-flame.js';
export { SourceIndex, type SourceFunction } from './source-index.js';
export { wasmFrameName, wasmFunctionNames, wasmNamesFromFiles } from './wasm-names.js';
