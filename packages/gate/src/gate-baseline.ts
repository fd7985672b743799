import {
  BASELINE_VERSION,
  readBaseline,
  writeBaseline,
  type DeterministicEntry,
  type FigureBaseline,
  type InstructionEntry,
  type InstructionFigureBaseline,
  type TimingEntry,
} from './baseline-file.js';
import {
  DETERMINISTIC_CELLS,
  DETERMINISTIC_FIGURES,
  FIGURE_NAMES,
  REPEATABLE_STRATEGIES,
  runDeterministicSuite,
  SPREAD_MULTIPLE,
  THREADED_COUNT_TOLERANCE,
  type DeterministicMeasurement,
} from './deterministic-suite.js';
import { discover } from './discover.js';
import { defaultJobs, selectInstructionCells } from './gate-check.js';
import { INSTRUCTION_FIGURE_LABELS, type InstructionFigure } from './instruction-cells.js';
import { runInstructionSuite, type InstructionMeasurement } from './instruction-suite.js';
import { gateability } from './judge-timing.js';
import { machineInfo } from './machine-info.js';
import { armCodePath } from './measure.js';
import { median } from '@hnswlab/lab-kit';
import type { Suite } from './suite.js';
import { measurePairProcesses, timingPairs } from './timing-suite.js';

export interface BaselineOptions {
  suites: readonly Suite[];
  baselines: string;
  kernels: readonly string[];
  strategies?: readonly string[];
  only?: readonly string[];
  /** Instructions: runs of every cell (their spread sets each figure's tolerance). */
  runs: number;
  /** Timing: fresh processes per pair. */
  processes: number;
  /** Timing: interleaved repeats per process. */
  repeats: number;
  valgrind?: string;
  jobs?: number;
  /** The command line, recorded in the file. */
  command: string;
  log?: (line: string) => void;
}

/** Runs of a threaded strategy's deterministic cells (their counters vary with thread interleaving). */
export const THREADED_RUNS = 5;

/**
 * Instruction tolerances: never below the floor, widened to a multiple of the measured repeat spread.
 * The floor is what the machine's load can still move: js and native cells repeat within 0.07% busy or
 * quiet, but the wasm insert cell counted 187.5–187.6 thousand instructions on a busy machine against
 * 188.0 thousand on a quiet one (−0.20 to −0.30%, same code): a 0.2% floor cried wolf there under load.
 * A figure whose runs spread more than MAX is reported, not gated.
 */
export const INSTRUCTION_TOLERANCE = { floor: 0.005, spreadMultiple: 10, maxGatedSpread: 0.005 } as const;

const DETERMINISTIC_NOTES =
  'Work counters of seeded builds, per kernel code path. Single-thread builds (and the deterministic `rounds`) repeat exactly, so `hnswlab-gate check` fails on any change beyond each figure’s tolerance; threaded builds keep their baseline runs and a tolerance widened to cover them. The checksum refuses hand edits: a PR that changes the counters on purpose re-runs `pnpm bench:baseline --suite deterministic` and commits this file with the reason in the PR.';
const INSTRUCTION_NOTES =
  'Instructions per insert and per query of seeded single-thread cells, counted by valgrind (callgrind) under the node flags listed in packages/gate/README.md, per kernel code path and environment (node, valgrind, C library, ISA level as valgrind presents it). Each figure keeps its runs; its tolerance is a floor widened to a multiple of their spread. The checksum refuses hand edits: re-measure with `pnpm bench:baseline --suite instructions` (in the environment recorded here) and commit.';
const TIMING_NOTES =
  'Same-process ratios of seconds per insert (candidate ÷ reference), measured in fresh processes (`processes`, each with its interleaved repeats and how busy the machine was). A check compares its own processes with these: the noise model is the spread of process medians. Gated only against a check on the same host in the same boot (machine.host.session) and on a quiet machine; elsewhere it reports. Entries with gated=false are reported, not judged.';

/** Measure the asked-for suites and write their baseline files; returns the paths written. */
export async function runBaseline(options: BaselineOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  const machine = machineInfo();
  const header = { version: BASELINE_VERSION, createdAt: new Date().toISOString(), command: options.command, machine } as const;
  const keep = (id: string) => !options.only?.length || options.only.some((o) => id.includes(o));
  const strategyWanted = (s: string) => !options.strategies || options.strategies.includes(s);
  const written: string[] = [];
  if (options.suites.includes('deterministic')) {
    const entries = await baselineDeterministic(options, strategyWanted, log);
    written.push(writeBaseline(options.baselines, { suite: 'deterministic', ...header, notes: DETERMINISTIC_NOTES, entries }));
  }
  if (options.suites.includes('instructions')) {
    const entries = await baselineInstructions(options, keep, strategyWanted, log);
    written.push(writeBaseline(options.baselines, { suite: 'instructions', ...header, notes: INSTRUCTION_NOTES, entries }));
  }
  if (options.suites.includes('timing')) {
    const found = await discover(options.kernels);
    for (const [id, reason] of found.missing) log(`timing: no ${id}: ${reason}`);
    const pairs = timingPairs(found).filter((p) => keep(p.id) && (p.family !== 'strategy' || strategyWanted(p.candidate.strategy)));
    const measured = await measurePairProcesses(pairs, options.processes, options.repeats, (pair, round, p) =>
      log(`timing ${pair.id} process ${round}/${options.processes}: median ratio ${median(p.ratios).toFixed(4)}`),
    );
    const entries: TimingEntry[] = [];
    for (const p of pairs) {
      const processes = measured.get(p.id)!;
      // A baseline with a hole would gate nothing for that pair without saying so.
      if (processes instanceof Error) throw new Error(`cannot baseline ${p.id}: ${processes.message}`);
      const g = gateability(processes);
      if (!g.gated) log(`timing ${p.id}: not gated: ${g.note}`);
      entries.push({
        id: p.id,
        family: p.family,
        figure: p.figure,
        candidate: p.candidate,
        reference: p.reference,
        codePaths: `${await armCodePath(p.candidate)} ÷ ${await armCodePath(p.reference)}`,
        clock: p.clock,
        processes,
        median: Number(median(processes.map((x) => median(x.ratios))).toPrecision(6)),
        tolerance: { relative: p.tolerance },
        processSigma: Number(g.processSigma.toPrecision(4)),
        gated: g.gated,
        ...(g.note ? { note: g.note } : {}),
      });
    }
    written.push(writeBaseline(options.baselines, { suite: 'timing', ...header, notes: TIMING_NOTES, entries }));
  }
  return written;
}

async function baselineDeterministic(
  options: BaselineOptions,
  strategyWanted: (s: string) => boolean,
  log: (line: string) => void,
): Promise<DeterministicEntry[]> {
  const cells = DETERMINISTIC_CELLS.filter((c) => strategyWanted(c.spec.strategy));
  const repeatable = cells.filter((c) => REPEATABLE_STRATEGIES.includes(c.spec.strategy));
  const threaded = cells.filter((c) => !REPEATABLE_STRATEGIES.includes(c.spec.strategy));
  // Repeatable cells measured twice: the suite's premise is that these numbers do not move between runs; a baseline that did would gate noise.
  const first = await runDeterministicSuite(options.kernels, repeatable, (m) =>
    log(`deterministic ${m.id}: ${m.status}${m.reason ? ` (${m.reason})` : ''}`),
  );
  const second = await runDeterministicSuite(options.kernels, repeatable);
  const drift = compareRuns(first, second);
  if (drift.length) throw new Error(`the deterministic suite is not deterministic here, refusing to baseline it:\n${drift.join('\n')}`);
  const threadedRuns: DeterministicMeasurement[][] = [];
  for (let r = 1; r <= THREADED_RUNS && threaded.length; r++) {
    threadedRuns.push(
      await runDeterministicSuite(options.kernels, threaded, (m) => log(`deterministic ${m.id} run ${r}/${THREADED_RUNS}: ${m.status}`)),
    );
  }
  const entries: DeterministicEntry[] = first.filter((m) => m.status === 'ok' && m.figures).map((m) => toEntry(m));
  for (const m of threadedRuns[0] ?? []) {
    const runs = threadedRuns.map((run) => run.find((x) => x.id === m.id)!);
    if (runs.every((x) => x.status === 'ok' && x.figures)) entries.push(toEntry(m, runs));
  }
  const measured = [...first, ...(threadedRuns[0] ?? [])];
  const old = previousBaseline(options.baselines, 'deterministic', log);
  // Entries of other code paths (another machine's native kernel), of kernels that cannot load here and
  // of cells not measured now stay: baselining on one machine must not drop what only another can measure.
  for (const e of old?.entries ?? []) {
    if (!entries.some((x) => x.id === e.id && x.kernelName === e.kernelName)) {
      log(`deterministic: keeping the old baseline of ${e.id} on ${e.kernelName}`);
      entries.push(e);
    }
  }
  for (const m of measured.filter((x) => x.status !== 'ok')) log(`not baselined: ${m.id}: ${m.reason}`);
  return entries;
}

function toEntry(m: DeterministicMeasurement, runs?: readonly DeterministicMeasurement[]): DeterministicEntry {
  const figures = {} as Record<keyof typeof DETERMINISTIC_FIGURES, FigureBaseline>;
  for (const name of FIGURE_NAMES) {
    const { better, tolerance } = DETERMINISTIC_FIGURES[name];
    if (!runs) {
      figures[name] = { value: m.figures![name], better, tolerance };
      continue;
    }
    const values = runs.map((r) => r.figures![name]);
    const mid = median(values);
    const range = Math.max(...values) - Math.min(...values);
    const widened =
      tolerance.absolute !== undefined
        ? { absolute: Math.max(tolerance.absolute, SPREAD_MULTIPLE * range) }
        : {
            relative: Math.max(
              tolerance.relative ?? 0,
              THREADED_COUNT_TOLERANCE,
              mid !== 0 ? (SPREAD_MULTIPLE * range) / Math.abs(mid) : 0,
            ),
          };
    figures[name] = { value: mid, better, tolerance: round(widened), runs: values };
  }
  return {
    id: m.id,
    cell: m.cell,
    kernel: m.kernel,
    kernelName: m.kernelName ?? m.kernel,
    spec: m.spec,
    datasetHash: m.datasetHash ?? 'unknown',
    figures,
  };
}

const round = (t: { relative?: number; absolute?: number }) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Number(v.toPrecision(3))])) as { relative?: number; absolute?: number };

/** Figures that differ between two runs of the deterministic suite, one line each. */
export function compareRuns(a: readonly DeterministicMeasurement[], b: readonly DeterministicMeasurement[]): string[] {
  const out: string[] = [];
  for (const x of a) {
    const y = b.find((m) => m.id === x.id);
    if (!x.figures || !y?.figures) continue;
    for (const name of FIGURE_NAMES) {
      if (x.figures[name] !== y.figures[name]) out.push(`${x.id} ${name}: ${x.figures[name]} then ${y.figures[name]}`);
    }
  }
  return out;
}

async function baselineInstructions(
  options: BaselineOptions,
  keep: (id: string) => boolean,
  strategyWanted: (s: string) => boolean,
  log: (line: string) => void,
): Promise<InstructionEntry[]> {
  const found = await discover(options.kernels);
  const cells = selectInstructionCells(
    options.kernels.filter((k) => !found.missing.has(`kernel:${k}`)),
    keep,
    strategyWanted,
  );
  for (const k of options.kernels)
    if (found.missing.has(`kernel:${k}`)) log(`instructions: not baselined: ${k}: ${found.missing.get(`kernel:${k}`)}`);
  const runs: InstructionMeasurement[][] = [];
  let environment = null;
  for (let r = 1; r <= options.runs; r++) {
    log(`instructions: run ${r}/${options.runs} of ${cells.length} cells`);
    const run = await runInstructionSuite({ cells, valgrind: options.valgrind, jobs: options.jobs ?? defaultJobs(), log });
    if (!run.environment) throw new Error(`cannot baseline the instruction suite: ${run.reason}`);
    environment = run.environment;
    runs.push(run.measurements);
  }
  const entries: InstructionEntry[] = [];
  for (const cell of cells) {
    const ms = runs.map((run) => run.find((m) => m.cell.id === cell.id)!);
    const bad = ms.find((m) => m.status !== 'ok' || !m.figures);
    if (bad) {
      log(`instructions: not baselined: ${cell.id}: ${bad.status} ${bad.reason ?? ''}`);
      continue;
    }
    const paths = [...new Set(ms.map((m) => m.kernelName))];
    if (paths.length !== 1)
      throw new Error(`${cell.id} ran different code paths across runs (${paths.join(', ')}): refusing to baseline it`);
    const figures: InstructionEntry['figures'] = {};
    for (const f of Object.keys(INSTRUCTION_FIGURE_LABELS) as InstructionFigure[]) {
      const values = ms.map((m) => m.figures![f]).filter((v): v is number => v !== undefined);
      if (values.length === ms.length && values.length > 0) figures[f] = instructionFigure(values);
    }
    entries.push({
      id: cell.id,
      kernel: cell.kernel,
      strategy: cell.strategy,
      kernelName: paths[0]!,
      spec: cell.spec,
      environment: environment!,
      figures,
    });
  }
  // Entries of other code paths (another machine's native kernel) or of kernels that cannot load here stay.
  const old = previousBaseline(options.baselines, 'instructions', log);
  for (const e of old?.entries ?? []) {
    if (!entries.some((x) => x.id === e.id && x.kernelName === e.kernelName)) {
      log(`instructions: keeping the old baseline of ${e.id} on ${e.kernelName}`);
      entries.push(e);
    }
  }
  return entries;
}

/** A figure's baseline from its runs: median, spread, and the tolerance and gating that spread allows. */
export function instructionFigure(values: readonly number[]): InstructionFigureBaseline {
  const value = median(values);
  const spread = value > 0 ? (Math.max(...values) - Math.min(...values)) / value : 0;
  const tolerance = Math.max(INSTRUCTION_TOLERANCE.floor, INSTRUCTION_TOLERANCE.spreadMultiple * spread);
  return {
    value,
    runs: [...values],
    spread: Number(spread.toPrecision(3)),
    tolerance: { relative: Number(tolerance.toPrecision(3)) },
    gated: values.length >= 2 && spread <= INSTRUCTION_TOLERANCE.maxGatedSpread,
  };
}

/**
 * The file being replaced, for the entries this run cannot measure; null when there is none or it
 * cannot be trusted (another version, broken, edited): re-baselining is how such a file is repaired.
 */
function previousBaseline<S extends Suite>(dir: string, suite: S, log: (line: string) => void) {
  try {
    return readBaseline(dir, suite);
  } catch (err) {
    log(`not keeping any old entries: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
}
