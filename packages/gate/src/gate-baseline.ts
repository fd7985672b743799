import {
  BASELINE_VERSION,
  readBaseline,
  writeBaseline,
  type DeterministicEntry,
  type FigureBaseline,
  type TimingEntry,
} from './baseline-file.js';
import { DETERMINISTIC_FIGURES, FIGURE_NAMES, runDeterministicSuite, type DeterministicMeasurement } from './deterministic-suite.js';
import { discover } from './discover.js';
import type { Suite } from './gate-check.js';
import { machineInfo } from './machine-info.js';
import { armCodePath } from './measure.js';
import { median } from './robust-stats.js';
import { measurePair, timingPairs } from './timing-suite.js';

export interface BaselineOptions {
  suites: readonly Suite[];
  baselines: string;
  kernels: readonly string[];
  only?: readonly string[];
  /** Timing: independent runs of the whole pair list (their spread widens the noise band). */
  runs: number;
  /** Timing: interleaved repeats per pair and run. */
  repeats: number;
  /** The command line, recorded in the file. */
  command: string;
  log?: (line: string) => void;
}

const DETERMINISTIC_NOTES =
  "Work counters of seeded sequential builds, per kernel code path. They repeat exactly on one code path, so `hnswlab-gate check` fails on any change beyond each figure's tolerance. A PR that changes them on purpose re-runs `pnpm bench:baseline --suite deterministic` and commits this file with the reason in the PR.";
const TIMING_NOTES =
  "Same-run ratios of seconds per insert (candidate ÷ reference), measured as interleaved repeats; `runs` holds each baseline run's ratios. A check compares its own repeats with these by Mann–Whitney U and a noise band of 3 combined standard errors (including the spread between runs), never below `tolerance`. Valid for the machine recorded here: elsewhere, take a baseline on that machine first.";

/** Measure the asked-for suites and write their baseline files; returns the paths written. */
export async function runBaseline(options: BaselineOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  const machine = machineInfo();
  const header = { version: BASELINE_VERSION, createdAt: new Date().toISOString(), command: options.command, machine } as const;
  const written: string[] = [];
  if (options.suites.includes('deterministic')) {
    // Measured twice: the suite's premise is that these numbers do not move between runs; a baseline that did would gate noise.
    const first = await runDeterministicSuite(options.kernels, undefined, (m) =>
      log(`deterministic ${m.cell}/${m.kernel}: ${m.status}${m.reason ? ` (${m.reason})` : ''}`),
    );
    const second = await runDeterministicSuite(options.kernels);
    const drift = compareRuns(first, second);
    if (drift.length) throw new Error(`the deterministic suite is not deterministic here, refusing to baseline it:\n${drift.join('\n')}`);
    const entries: DeterministicEntry[] = first.filter((m) => m.status === 'ok' && m.figures).map(toEntry);
    const old = readBaseline(options.baselines, 'deterministic');
    // A kernel that cannot load here keeps its old entries: baselining on a machine without it must not drop it.
    for (const e of old?.entries ?? []) {
      const m = first.find((x) => x.kernel === e.kernel && x.cell === e.cell);
      if (m && m.status !== 'ok') {
        log(`keeping the old baseline of ${e.id}: ${m.reason}`);
        entries.push(e);
      }
    }
    for (const m of first.filter((x) => x.status !== 'ok')) log(`not baselined: ${m.cell}/${m.kernel}: ${m.reason}`);
    written.push(writeBaseline(options.baselines, { suite: 'deterministic', ...header, notes: DETERMINISTIC_NOTES, entries }));
  }
  if (options.suites.includes('timing')) {
    const found = await discover(options.kernels);
    for (const [id, reason] of found.missing) log(`timing: no ${id}: ${reason}`);
    const pairs = timingPairs(found).filter((p) => !options.only?.length || options.only.some((o) => p.id.includes(o)));
    const runs = new Map<string, number[][]>(pairs.map((p) => [p.id, []]));
    for (let r = 1; r <= options.runs; r++) {
      for (const pair of pairs) {
        const ratios = await measurePair(pair, options.repeats);
        runs.get(pair.id)!.push(ratios);
        log(`timing run ${r}/${options.runs} ${pair.id}: median ratio ${median(ratios).toFixed(4)}`);
      }
    }
    const entries: TimingEntry[] = [];
    for (const p of pairs) {
      const all = runs.get(p.id)!;
      entries.push({
        id: p.id,
        family: p.family,
        figure: p.figure,
        candidate: p.candidate,
        reference: p.reference,
        codePaths: `${await armCodePath(p.candidate)} ÷ ${await armCodePath(p.reference)}`,
        clock: p.clock,
        runs: all.map((rs) => rs.map((v) => Number(v.toPrecision(6)))),
        median: Number(median(all.flat()).toPrecision(6)),
        tolerance: { relative: p.tolerance },
      });
    }
    written.push(writeBaseline(options.baselines, { suite: 'timing', ...header, notes: TIMING_NOTES, entries }));
  }
  return written;
}

function toEntry(m: DeterministicMeasurement): DeterministicEntry {
  const figures = {} as Record<keyof typeof DETERMINISTIC_FIGURES, FigureBaseline>;
  for (const name of FIGURE_NAMES) {
    const { better, tolerance } = DETERMINISTIC_FIGURES[name];
    figures[name] = { value: m.figures![name], better, tolerance };
  }
  return {
    id: `${m.cell}/${m.kernel}`,
    cell: m.cell,
    kernel: m.kernel,
    kernelName: m.kernelName ?? m.kernel,
    spec: m.spec,
    datasetHash: m.datasetHash ?? 'unknown',
    figures,
  };
}

/** Figures that differ between two runs of the deterministic suite, one line each. */
export function compareRuns(a: readonly DeterministicMeasurement[], b: readonly DeterministicMeasurement[]): string[] {
  const out: string[] = [];
  for (const x of a) {
    const y = b.find((m) => m.cell === x.cell && m.kernel === x.kernel);
    if (!x.figures || !y?.figures) continue;
    for (const name of FIGURE_NAMES) {
      if (x.figures[name] !== y.figures[name]) out.push(`${x.cell}/${x.kernel} ${name}: ${x.figures[name]} then ${y.figures[name]}`);
    }
  }
  return out;
}
