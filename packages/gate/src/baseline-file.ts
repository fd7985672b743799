import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CellSpec } from '@hnswlab/harness';
import type { MachineInfo } from './machine-info.js';

/** Version of the baseline JSON; a file of another version is refused with a message to re-baseline. */
export const BASELINE_VERSION = 1;

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
}

/** One cell × kernel of the deterministic suite. */
export interface DeterministicEntry {
  /** `<cell>/<kernel>`. */
  id: string;
  cell: string;
  /** The kernel as asked for ('js', 'wasm', 'native'). */
  kernel: string;
  /** The code path that ran ('js', 'wasm-simd128', 'native-avx512'): another path is another baseline. */
  kernelName: string;
  /** Everything that decides the figures: dataset, n, dim, metric, M, efConstruction, ef, k, seed, queries, strategy. */
  spec: Omit<CellSpec, 'kernel' | 'repeat'>;
  /** Hash of the cell's base and query vectors: another hash means other data, and the entry is stale. */
  datasetHash: string;
  figures: Record<DeterministicFigure, FigureBaseline>;
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

/** A same-run ratio: candidate seconds per insert ÷ reference seconds per insert (lower is better). */
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
  /** The ratio of every interleaved repeat, one array per baseline run (runs are minutes apart). */
  runs: number[][];
  /** Median of every sample. */
  median: number;
  /** The smallest change worth a verdict; the noise band can only widen it. */
  tolerance: { relative: number };
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

export interface TimingBaselineFile extends FileHeader {
  suite: 'timing';
  entries: TimingEntry[];
}

export type BaselineFile = DeterministicBaselineFile | TimingBaselineFile;

/** Where a suite's baseline lives in `dir`. */
export function baselinePath(dir: string, suite: BaselineFile['suite']): string {
  return join(dir, `${suite}.json`);
}

/** Read a suite's baseline, or null when there is none yet. Throws on a file of another version or suite. */
export function readBaseline<S extends BaselineFile['suite']>(dir: string, suite: S): Extract<BaselineFile, { suite: S }> | null {
  const file = baselinePath(dir, suite);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = JSON.parse(text) as BaselineFile;
  if (parsed.version !== BASELINE_VERSION)
    throw new Error(
      `${file} has baseline version ${String(parsed.version)}, this gate reads ${BASELINE_VERSION}: re-run pnpm bench:baseline`,
    );
  if (parsed.suite !== suite) throw new Error(`${file} holds suite '${parsed.suite}', expected '${suite}'`);
  return parsed as Extract<BaselineFile, { suite: S }>;
}

/** Write a baseline (pretty, stable key order as built, trailing newline) atomically. */
export function writeBaseline(dir: string, file: BaselineFile): string {
  const path = baselinePath(dir, file.suite);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}
