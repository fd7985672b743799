export { gateFails, type Verdict, type VerdictRow } from './verdict.js';
export { median, quantile, mad, robustSigma, medianStandardError } from './robust-stats.js';
export { mannWhitneyU, normalCdf, type MannWhitneyResult } from './mann-whitney.js';
export {
  BASELINE_VERSION,
  baselinePath,
  readBaseline,
  writeBaseline,
  type Arm,
  type BaselineFile,
  type DeterministicBaselineFile,
  type DeterministicEntry,
  type DeterministicFigure,
  type FigureBaseline,
  type TimingBaselineFile,
  type TimingEntry,
  type Tolerance,
} from './baseline-file.js';
export { machineInfo, describeMachine, sameMachineKind, type MachineInfo } from './machine-info.js';
export {
  DETERMINISTIC_CELLS,
  DETERMINISTIC_FIGURES,
  FIGURE_NAMES,
  runDeterministicSuite,
  type DeterministicCell,
  type DeterministicMeasurement,
} from './deterministic-suite.js';
export { judgeDeterministic, compareFigure } from './judge-deterministic.js';
export { timingPairs, measurePair, SCALE_SMALL_N, SCALE_LARGE_N, type TimingPair, type TimingOptions } from './timing-suite.js';
export { judgeTiming, betweenRunSigma, ALPHA, NOISE_Z, type TimingJudgement } from './judge-timing.js';
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
export { discover, ALL_KERNELS, KNOWN_STRATEGIES, type Discovery } from './discover.js';
export { runCheck, type CheckOptions, type CheckReport, type Suite } from './gate-check.js';
export { runBaseline, compareRuns, type BaselineOptions } from './gate-baseline.js';
export { runSelftest, type SelftestOptions, type SelftestCase, type SelftestReport } from './gate-selftest.js';
export { repoRoot, defaultBaselineDir, defaultOutDir } from './repo-paths.js';
