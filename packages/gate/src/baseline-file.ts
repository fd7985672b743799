import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CellSpec } from '@hnswlab/harness';
import type { Contention } from './contention.js';
import type { InstructionEnvironment } from './instruction-suite.js';
import type { InstructionFigure } from './instruction-cells.js';
import type { MachineInfo } from './machine-info.js';
import type { Suite } from './suite.js';
import { validateBaseline } from './validate-baseline.js';

/**
 * Version of the baseline JSON; a file of another version is refused with a message to re-baseline.
 * 2: a checksum, instruction baselines, threaded-strategy work counters, timing measured per process.
 */
export const BASELINE_VERSION = 2;

/** The allowed change of a figure before it gets a verdict other than pass. */
export interface Tolerance {
  /** |now − baseline| / |baseline|. */
  relative?: number;
  /** |now − baseline|, in the figure's unit (recall). */
  absolute?: number;
}

/** The deterministic figures of one cell on one kernel. */
export type DeterministicFigure =
  'distanceEvalsPerInsert' | 'nodesVisitedPerInsert' | 'recallAtK' | 'distanceEvalsPerQuery' | 'bytesPerVector';

export interface FigureBaseline {
  value: number;
  /** Which way is better; a change beyond tolerance the other way is a regression. */
  better: 'lower' | 'higher';
  tolerance: Tolerance;
  /**
   * Every baseline run's value, when the figure is not exactly repeatable (work counters of a threaded
   * build, which depend on how the threads interleave): the tolerance was widened to cover their spread.
   */
  runs?: number[];
}

/** One cell × kernel of the deterministic suite. */
export interface DeterministicEntry {
  /** `<cell>/<kernel>` for sequential cells, `<cell>/<strategy>/<kernel>` for the others. */
  id: string;
  cell: string;
  /** The kernel as asked for ('js', 'wasm', 'native'). */
  kernel: string;
  /** The code path that ran ('js', 'wasm-simd128', 'native-avx512'): another path is another baseline. */
  kernelName: string;
  /** Everything that decides the figures: dataset, n, dim, metric, M, efConstruction, ef, k, seed, queries, strategy, threads, and store (absent: f32). */
  spec: Omit<CellSpec, 'kernel' | 'repeat'>;
  /** Hash of the cell's base and query vectors: another hash means other data, and the entry is stale. */
  datasetHash: string;
  figures: Record<DeterministicFigure, FigureBaseline>;
}

/** An instruction figure with the runs it was taken from. */
export interface InstructionFigureBaseline {
  /** Median of `runs`. */
  value: number;
  runs: number[];
  /** (max − min) / median of the runs: the measured repeat spread. */
  spread: number;
  /** The change allowed: a floor, widened to a multiple of the spread. */
  tolerance: { relative: number };
  /** False when the runs spread too much to gate on (the figure is then reported, not judged). */
  gated: boolean;
}

/** One instruction-suite cell on one code path. */
export interface InstructionEntry {
  /** `<data>/<strategy>/<kernel>`; with kernelName the entry's key (one entry per code path). */
  id: string;
  kernel: string;
  strategy: string;
  kernelName: string;
  spec: CellSpec;
  /** What the counts were taken under: another value is another baseline. */
  environment: InstructionEnvironment;
  figures: Partial<Record<InstructionFigure, InstructionFigureBaseline>>;
}

/** One arm of a timing pair: a build measured as seconds per insert. */
export interface Arm {
  /** 'hnswlab', or a peer library of the harness ('hnswlib-node', 'usearch'). */
  library: 'hnswlab' | 'hnswlib-node' | 'usearch';
  kernel: string;
  strategy: string;
  dataset: string;
  n: number;
  dim: number;
  metric: CellSpec['metric'];
  M: number;
  efConstruction: number;
  threads: number;
  seed: number;
}

/** One fresh process's measurement of a timing pair. */
export interface TimingProcess {
  /** The ratio of every interleaved repeat, in run order. */
  ratios: number[];
  /** How busy the rest of the machine was meanwhile. */
  contention: Contention;
}

/** A same-process ratio: candidate seconds per insert ÷ reference seconds per insert (lower is better). */
export interface TimingEntry {
  /** e.g. `strategy:batched`, `kernel:wasm`, `peer:hnswlib-node`, `peer:usearch`, `scale:js`. */
  id: string;
  family: 'kernel' | 'strategy' | 'peer' | 'scale';
  figure: string;
  candidate: Arm;
  reference: Arm;
  /** Code paths that ran, e.g. `wasm-simd128 ÷ js`. */
  codePaths: string;
  /** The clock both arms were timed on: the process's CPU time, or wall time for threaded strategies. */
  clock: 'cpu' | 'wall';
  /** One element per fresh process (the unit of the noise model). */
  processes: TimingProcess[];
  /** Median of the processes' median ratios. */
  median: number;
  /** The smallest change worth a verdict; the noise band can only widen it. */
  tolerance: { relative: number };
  /** Standard deviation of the processes' log median ratios: the process-to-process noise. */
  processSigma: number;
  /** False when processSigma was too large to gate on, or the machine was not quiet: reported, not judged. */
  gated: boolean;
  /** Why an entry is not gated. */
  note?: string;
}

interface FileHeader {
  version: typeof BASELINE_VERSION;
  createdAt: string;
  /** The command that wrote the file. */
  command: string;
  machine: MachineInfo;
  /** How to read and update the file (kept in the file, since it is reviewed like code). */
  notes: string;
}

export interface DeterministicBaselineFile extends FileHeader {
  suite: 'deterministic';
  entries: DeterministicEntry[];
}

export interface InstructionBaselineFile extends FileHeader {
  suite: 'instructions';
  entries: InstructionEntry[];
}

export interface TimingBaselineFile extends FileHeader {
  suite: 'timing';
  entries: TimingEntry[];
}

export type BaselineFile = DeterministicBaselineFile | InstructionBaselineFile | TimingBaselineFile;

/** Where a suite's baseline lives in `dir`. */
export function baselinePath(dir: string, suite: Suite): string {
  return join(dir, `${suite}.json`);
}

/**
 * sha256 of the file's JSON without its checksum field (keys in file order, numbers as JSON writes
 * them). Not a signature: anyone can recompute it. It makes a hand edit (a number nudged to make a
 * gate pass, a merge that mixed two baselines) fail loudly instead of being trusted; the legitimate
 * way to change a baseline is to re-measure it with `hnswlab-gate baseline`.
 */
export function baselineChecksum(file: object): string {
  const rest: Record<string, unknown> = { ...(file as Record<string, unknown>) };
  delete rest.checksum;
  return `sha256:${createHash('sha256').update(JSON.stringify(rest)).digest('hex')}`;
}

/**
 * Read a suite's baseline, or null when there is none yet. Throws, naming the file, on broken JSON,
 * another version or suite, a checksum that does not match (an edited file), or a value of the wrong
 * shape (a missing figure, a number that is not finite, a negative tolerance).
 */
export function readBaseline<S extends Suite>(dir: string, suite: S): Extract<BaselineFile, { suite: S }> | null {
  const file = baselinePath(dir, suite);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw new Error(`${file}: cannot read it: ${(err as Error).message}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}); restore it (git checkout) or re-baseline: ${rebaseline(suite)}`, {
      cause: err,
    });
  }
  const head = parsed as { version?: unknown; suite?: unknown; checksum?: unknown } | null;
  if (typeof head !== 'object' || head === null || Array.isArray(head)) throw new Error(`${file}: not a baseline object`);
  if (head.version !== BASELINE_VERSION)
    throw new Error(`${file}: baseline version ${String(head.version)}, this gate reads ${BASELINE_VERSION}: ${rebaseline(suite)}`);
  if (head.suite !== suite) throw new Error(`${file}: holds suite '${String(head.suite)}', expected '${suite}'`);
  if (typeof head.checksum !== 'string')
    throw new Error(`${file}: no checksum: the file was not written by hnswlab-gate baseline; ${rebaseline(suite)}`);
  const expected = baselineChecksum(head);
  if (head.checksum !== expected) {
    throw new Error(
      `${file}: checksum mismatch: the file was changed after hnswlab-gate wrote it (hand edits are refused). ` +
        `Restore it (git checkout ${file}) or re-measure it: ${rebaseline(suite)}, and commit the result`,
    );
  }
  const problems = validateBaseline(parsed, suite);
  if (problems.length) throw new Error(`${file}: invalid baseline:\n  ${problems.slice(0, 10).join('\n  ')}`);
  return parsed as Extract<BaselineFile, { suite: S }>;
}

/** Write a baseline with its checksum (pretty, keys in the order built, trailing newline), atomically. */
export function writeBaseline(dir: string, file: BaselineFile): string {
  const path = baselinePath(dir, file.suite);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const rest: Record<string, unknown> = { ...file };
  delete rest.checksum;
  writeFileSync(tmp, `${JSON.stringify({ ...rest, checksum: baselineChecksum(rest) }, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

function rebaseline(suite: Suite): string {
  return `pnpm bench:baseline --suite ${suite}`;
}
