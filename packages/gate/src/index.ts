export { gateFails, type Verdict, type VerdictRow } from './verdict.js';
export { SUITES, type Suite } from './suite.js';
export { mannWhitneyU, normalCdf, type MannWhitneyResult } from './mann-whitney.js';
export {
  BASELINE_VERSION,
  baselineChecksum,
  baselinePath,
  readBaseline,
  writeBaseline,
  type Arm,
  type BaselineFile,
  type DeterministicBaselineFile,
  type DeterministicEntry,
  type DeterministicFigure,
  type FigureBaseline,
  type InstructionBaselineFile,
  type InstructionEntry,
  type InstructionFigureBaseline,
  type TimingBaselineFile,
  type TimingEntry,
  type TimingProcess,
  type Tolerance,
} from './baseline-file.js';
export { validateBaseline } from './validate-baseline.js';
export { machineInfo, describeMachine, sameMachineKind, sameHostSession, otherHostReason, type MachineInfo } from './machine-info.js';
export { watchContention, describeContention, QUIET, type Contention } from './contention.js';
export { startLoad, type LoadGenerator } from './load-generator.js';
export {
  DETERMINISTIC_CELLS,
  DETERMINISTIC_FIGURES,
  FIGURE_NAMES,
  REPEATABLE_STRATEGIES,
  SPREAD_MULTIPLE,
  THREADED_COUNT_TOLERANCE,
  deterministicId,
  runDeterministicSuite,
  type DeterministicCell,
  type DeterministicMeasurement,
} from './deterministic-suite.js';
export { judgeDeterministic, compareFigure } from './judge-deterministic.js';
export {
  INSTRUCTION_DATA,
  INSTRUCTION_FIGURE_LABELS,
  INSTRUCTION_STRATEGIES,
  instructionCells,
  type InstructionCell,
  type InstructionFigure,
} from './instruction-cells.js';
export {
  instructionEnvironment,
  runInstructionSuite,
  type InstructionEnvironment,
  type InstructionMeasurement,
  type InstructionSuiteOptions,
  type InstructionSuiteRun,
} from './instruction-suite.js';
export { judgeInstructions, environmentDifferences, cellFigures } from './judge-instructions.js';
export {
  findValgrind,
  readCallgrindParts,
  valgrindArgs,
  valgrindIsaLevel,
  MARK_FUNCTION,
  REPEATABLE_NODE_FLAGS,
  type ValgrindTool,
} from './valgrind.js';
export {
  timingPairs,
  measurePairInProcess,
  measurePairProcess,
  measurePairProcesses,
  SCALE_SMALL_N,
  SCALE_LARGE_N,
  type TimingPair,
  type TimingOptions,
} from './timing-suite.js';
export {
  judgeTiming,
  gateability,
  processLogMedians,
  tQuantile995,
  ALPHA,
  MAX_GATED_PROCESS_SIGMA,
  type TimingJudgement,
} from './judge-timing.js';
export { renderText, renderMarkdown, alarmLines, summarize, formatNumber } from './render-verdicts.js';
export {
  SLOWDOWN_ENV,
  parseSlowdown,
  describeSlowdown,
  installSlowdownFromEnv,
  activeSlowdowns,
  enterArm,
  slowKernel,
  type Slowdown,
  type SlowdownKind,
  type ArmIdentity,
} from './selftest-slowdown.js';
export { measureCell, timeArm, timeSegments, armUnavailable, armCodePath } from './measure.js';
export { discover, gateStrategies, type Discovery } from './discover.js';
export { REQUIRE_KERNELS_ENV, requiredKernels } from './require-kernels.js';
export { UsageError, checkNames } from '@hnswlab/lab-kit';
export { runCheck, defaultJobs, selectInstructionCells, type CheckOptions, type CheckReport } from './gate-check.js';
export {
  runBaseline,
  compareRuns,
  instructionFigure,
  INSTRUCTION_TOLERANCE,
  THREADED_RUNS,
  type BaselineOptions,
} from './gate-baseline.js';
export {
  runSelftest,
  judgePlantedCase,
  SELFTEST_DEFAULTS,
  KERNEL_SWEEP,
  REQUIRED_KERNEL_PERCENT,
  type SelftestOptions,
  type SelftestCase,
  type SelftestReport,
  type Expectation,
  type PlantedJudgement,
} from './gate-selftest.js';
export { repoRoot, defaultBaselineDir, defaultOutDir } from './repo-paths.js';
