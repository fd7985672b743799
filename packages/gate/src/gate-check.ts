import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { readBaseline, type TimingProcess } from './baseline-file.js';
import { describeContention } from './contention.js';
import { DETERMINISTIC_CELLS, runDeterministicSuite } from './deterministic-suite.js';
import { discover, type Discovery } from './discover.js';
import { instructionCells, INSTRUCTION_STRATEGIES, type InstructionCell } from './instruction-cells.js';
import { runInstructionSuite, type InstructionMeasurement, type InstructionSuiteRun } from './instruction-suite.js';
import { judgeDeterministic } from './judge-deterministic.js';
import { cellFigures, judgeInstructions } from './judge-instructions.js';
import { judgeTiming } from './judge-timing.js';
import { describeMachine, machineInfo, otherHostReason, type MachineInfo } from './machine-info.js';
import { armCodePath } from './measure.js';
import { alarmLines, renderMarkdown, renderText, summarize } from './render-verdicts.js';
import { median, UsageError } from '@hnswlab/lab-kit';
import { activeSlowdowns, describeSlowdown } from './selftest-slowdown.js';
import type { Suite } from './suite.js';
import { measurePairProcess, measurePairProcesses, timingPairs, type TimingPair } from './timing-suite.js';
import { gateFails, type VerdictRow } from './verdict.js';

export interface CheckOptions {
  suites: readonly Suite[];
  /** Folder of deterministic.json, instructions.json and timing.json. */
  baselines: string;
  /** Kernels to try ('js', 'wasm', 'native'); one that does not load is reported skipped (or missing, when required). */
  kernels: readonly string[];
  /** Strategies to measure (default: every one the suite knows). */
  strategies?: readonly string[];
  /** Kernels that must load (HNSWLAB_REQUIRE_KERNELS): one that does not fails the gate with its reason. */
  requireKernels?: readonly string[];
  /** Keep only figures whose id contains one of these (e.g. `strategy:batched`, `scale`, `/js`); matching nothing is a usage error. */
  only?: readonly string[];
  /** Timing: interleaved repeats per process. */
  repeats: number;
  /** Timing: fresh processes per pair before the first verdict. */
  processes: number;
  /** Timing: processes a pair may reach while its verdict is unknown. */
  maxProcesses: number;
  /** Instructions: the valgrind command (default `valgrind`). */
  valgrind?: string;
  /** Instructions: cells under valgrind at once (default: the cores, at most 4). */
  jobs?: number;
  /** Gate timing against a baseline from another host or boot (otherwise such a baseline only reports). */
  allowOtherHost?: boolean;
  failOnUnknown?: boolean;
  markdownFile?: string;
  jsonFile?: string;
  log?: (line: string) => void;
}

/** What a gate run decided, with what it ran on. */
export interface CheckReport {
  rows: VerdictRow[];
  failed: boolean;
  machine: MachineInfo;
  slowdown: string | null;
  /** Each timing pair's processes of this run. */
  samples: Record<string, TimingProcess[]>;
  /** Seconds each suite took. */
  seconds: Partial<Record<Suite, number>>;
  markdown: string;
  text: string;
}

/** Run the asked-for suites against their baselines; never throws for a regression (see `failed`). */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const log = options.log ?? (() => {});
  const machine = machineInfo();
  const planted = activeSlowdowns();
  const slowdown = planted.length ? describeSlowdown(planted) : null;
  if (slowdown) log(`!! self-test slowdown planted in this process: ${slowdown}`);
  const keep = (id: string) => !options.only?.length || options.only.some((o) => id.includes(o));
  const strategyWanted = (s: string) => !options.strategies || options.strategies.includes(s);
  const rows: VerdictRow[] = [];
  const samples: Record<string, TimingProcess[]> = {};
  const seconds: CheckReport['seconds'] = {};
  const found = await discover(options.kernels);

  for (const k of options.requireKernels ?? []) {
    const why = found.missing.get(`kernel:${k}`) ?? (options.kernels.includes(k) ? undefined : 'not in --kernels');
    if (why === undefined) continue;
    rows.push({
      suite: options.suites[0],
      id: `kernel:${k}`,
      figure: 'required kernel',
      subject: k,
      baseline: null,
      now: null,
      changePercent: null,
      allowed: '',
      verdict: 'missing',
      note: `HNSWLAB_REQUIRE_KERNELS names '${k}', which is unavailable: ${why}`,
    });
  }

  if (options.suites.includes('deterministic')) {
    const baseline = readBaseline(options.baselines, 'deterministic');
    const t0 = performance.now();
    const cells = DETERMINISTIC_CELLS.filter((c) => strategyWanted(c.spec.strategy));
    const measured = await runDeterministicSuite(options.kernels, cells, (m) =>
      log(`deterministic ${m.id}: ${m.status}${m.reason ? ` (${m.reason})` : ''}`),
    );
    rows.push(...judgeDeterministic(baseline, measured).filter((r) => keep(r.id)));
    seconds.deterministic = (performance.now() - t0) / 1000;
    log(`deterministic suite: ${seconds.deterministic.toFixed(1)} s`);
  }
  if (options.suites.includes('instructions')) {
    const baseline = readBaseline(options.baselines, 'instructions');
    const t0 = performance.now();
    const run = await measureInstructions(options, found, keep, strategyWanted, log);
    rows.push(...judgeInstructions(baseline, run).filter((r) => keep(r.id)));
    seconds.instructions = (performance.now() - t0) / 1000;
    log(`instruction suite: ${seconds.instructions.toFixed(1)} s`);
  }
  if (options.suites.includes('timing')) {
    const t0 = performance.now();
    rows.push(...(await checkTiming(options, found, machine, keep, strategyWanted, samples, log)));
    seconds.timing = (performance.now() - t0) / 1000;
    log(`timing suite: ${seconds.timing.toFixed(1)} s`);
  }
  if (options.only?.length && rows.every((r) => r.verdict === 'missing')) {
    throw new UsageError(`--only ${options.only.join(',')} matched no figure of the ${options.suites.join(', ')} suite(s)`);
  }

  const failed = gateFails(rows, options.failOnUnknown);
  const context = [
    `machine: ${describeMachine(machine)}`,
    `commit: ${machine.commit ?? 'unknown'}${machine.dirty ? ' (uncommitted changes)' : ''}`,
    `baselines: ${options.baselines}`,
    `suites: ${Object.entries(seconds)
      .map(([s, t]) => `${s} ${t.toFixed(0)} s`)
      .join(', ')}`,
  ];
  if (slowdown) context.unshift(`**self-test slowdown planted: ${slowdown}**`);
  const markdown = renderMarkdown(rows, `hnswlab perf gate: ${failed ? 'FAIL' : 'pass'}`, context);
  const text = [renderText(rows), '', ...alarmLines(rows), `gate: ${failed ? 'FAIL' : 'pass'} (${summarize(rows)})`].join('\n');
  const report: CheckReport = { rows, failed, machine, slowdown, samples, seconds, markdown, text };
  if (options.markdownFile) write(options.markdownFile, markdown);
  if (options.jsonFile) write(options.jsonFile, `${JSON.stringify({ ...report, markdown: undefined, text: undefined }, null, 2)}\n`);
  return report;
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** The default number of cells under valgrind at once: the cores, at most 4 (each holds ~300 MB). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The instruction cells this run asks for, with `--only` applied to their figures' ids. */
export function selectInstructionCells(
  kernels: readonly string[],
  keep: (id: string) => boolean,
  strategyWanted: (s: string) => boolean,
): InstructionCell[] {
  return instructionCells(
    kernels,
    INSTRUCTION_STRATEGIES.filter((s) => strategyWanted(s)),
  ).filter((c) => cellFigures({ cell: c }).some((f) => keep(`${c.id}/${f}`)));
}

async function measureInstructions(
  options: CheckOptions,
  found: Discovery,
  keep: (id: string) => boolean,
  strategyWanted: (s: string) => boolean,
  log: (line: string) => void,
): Promise<InstructionSuiteRun> {
  const cells = selectInstructionCells(options.kernels, keep, strategyWanted);
  // A kernel that does not load here is not worth a valgrind start: its cells are reported with the reason.
  const unavailable: InstructionMeasurement[] = cells
    .filter((c) => found.missing.has(`kernel:${c.kernel}`))
    .map((cell) => ({ cell, kernelName: null, status: 'unavailable', reason: found.missing.get(`kernel:${cell.kernel}`), seconds: 0 }));
  const run = await runInstructionSuite({
    cells: cells.filter((c) => !found.missing.has(`kernel:${c.kernel}`)),
    valgrind: options.valgrind,
    jobs: options.jobs ?? defaultJobs(),
    log,
  });
  if (run.reason) log(`instructions: ${run.reason}`);
  return { ...run, measurements: [...run.measurements, ...unavailable] };
}

async function checkTiming(
  options: CheckOptions,
  found: Discovery,
  machine: MachineInfo,
  keep: (id: string) => boolean,
  strategyWanted: (s: string) => boolean,
  samples: Record<string, TimingProcess[]>,
  log: (line: string) => void,
): Promise<VerdictRow[]> {
  const baseline = readBaseline(options.baselines, 'timing');
  const pairs = timingPairs(found).filter((p) => keep(p.id) && (p.family !== 'strategy' || strategyWanted(p.candidate.strategy)));
  const rows: VerdictRow[] = [];
  const measuredIds = new Set(pairs.map((p) => p.id));
  for (const [id, reason] of found.missing) {
    if (id === 'kernel:js' || !keep(id) || measuredIds.has(id)) continue;
    rows.push(timingRow({ id, figure: id, subject: id }, { verdict: 'skipped', note: reason }));
  }
  const foreign = baseline ? otherHostReason(baseline.machine, machine) : null;
  if (foreign && !options.allowOtherHost) log(`timing: the baseline is from ${foreign}: its verdicts report, never fail`);
  const measured = await measurePairProcesses(pairs, options.processes, options.repeats, (pair, round, p) =>
    log(
      `timing ${pair.id} process ${round}/${options.processes}: median ratio ${median(p.ratios).toFixed(4)} (${describeContention(p.contention)})`,
    ),
  );
  for (const pair of pairs) {
    const entry = baseline?.entries.find((e) => e.id === pair.id);
    const codePaths = `${await armCodePath(pair.candidate)} ÷ ${await armCodePath(pair.reference)}`;
    const head = { id: pair.id, figure: pair.figure, subject: `${pair.id} (${codePaths})` };
    const got = measured.get(pair.id)!;
    if (got instanceof Error) {
      rows.push(timingRow(head, { verdict: 'unknown', note: `not measured: ${got.message.split('\n')[0]}` }));
      continue;
    }
    let processes = got;
    const nowMedian = () => median(processes.map((p) => median(p.ratios)));
    samples[pair.id] = processes;
    if (!entry) {
      rows.push(timingRow(head, { now: nowMedian(), verdict: 'new', note: 'no baseline entry: run pnpm bench:baseline --suite timing' }));
      continue;
    }
    if (!samePair(entry, pair)) {
      rows.push(
        timingRow(head, {
          baseline: entry.median,
          now: nowMedian(),
          verdict: 'stale',
          note: 'the pair definition changed since the baseline: re-baseline (pnpm bench:baseline --suite timing)',
        }),
      );
      continue;
    }
    if (entry.codePaths !== codePaths) {
      rows.push(
        timingRow(head, {
          baseline: entry.median,
          now: nowMedian(),
          verdict: 'unknown',
          note: `the baseline ran ${entry.codePaths}: baseline this pair on this machine`,
        }),
      );
      continue;
    }
    let j = judgeTiming(entry, processes);
    while (j.verdict === 'unknown' && j.morePossible && processes.length < options.maxProcesses) {
      log(`timing ${pair.id}: ${j.note}; one more process`);
      processes = [...processes, await measurePairProcess(pair, options.repeats)];
      samples[pair.id] = processes;
      j = judgeTiming(entry, processes);
    }
    log(
      `timing ${pair.id}: ratio ${j.nowMedian.toFixed(4)} vs ${j.baselineMedian.toFixed(4)} (${j.changePercent.toFixed(2)}%) → ${j.verdict}`,
    );
    let verdict: VerdictRow['verdict'] = j.verdict;
    let note = j.note;
    if (foreign && !options.allowOtherHost && verdict !== 'pass') {
      verdict = 'unknown';
      note = `${j.verdict} by the numbers, but the baseline is from ${foreign}: report only (timing is gated against a baseline taken on this host in this boot, as the workflow does); ${note}`;
    }
    rows.push(
      timingRow(head, {
        baseline: j.baselineMedian,
        now: j.nowMedian,
        changePercent: j.changePercent,
        allowed: `±${j.bandPercent.toFixed(1)}%`,
        verdict,
        note,
      }),
    );
  }
  return rows;
}

function samePair(entry: { candidate: unknown; reference: unknown; clock: string }, pair: TimingPair): boolean {
  return (
    JSON.stringify([entry.candidate, entry.reference]) === JSON.stringify([pair.candidate, pair.reference]) && entry.clock === pair.clock
  );
}

function timingRow(
  head: Pick<VerdictRow, 'id' | 'figure' | 'subject'>,
  rest: Partial<VerdictRow> & Pick<VerdictRow, 'verdict' | 'note'>,
): VerdictRow {
  return { suite: 'timing', baseline: null, now: null, changePercent: null, allowed: '', ...head, ...rest };
}
