export { caseData, flopsPerDistance, inputChecksum, type BenchCase, type CaseData } from './bench-case.js';
export { compileReference, runReference, REFERENCE_FLAGS, type CompiledReference, type ReferenceTiming } from './cpp-reference.js';
export { formatMarkdown } from './format-markdown.js';
export { loadKernel, type LoadedKernel } from './load-kernels.js';
export { Mulberry32 } from './mulberry32.js';
export {
  ALL_DIMS,
  ALL_METRICS,
  ALL_SIZES,
  FULL_OPTIONS,
  QUICK_OPTIONS,
  runKernelBench,
  TARGET_MIN_DIM,
  TARGETS,
  type BenchCell,
  type KernelBenchOptions,
  type KernelBenchReport,
  type ReferenceCell,
  type TargetCheck,
} from './run-kernel-bench.js';
export { HELP, parseCli } from './parse-cli.js';
export { summarise, type Statistic } from './stats.js';
export { timeKernel, type KernelTiming, type TimingOptions } from './time-kernel.js';
