import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readBaseline, type TimingBaselineFile } from './baseline-file.js';
import { runDeterministicSuite } from './deterministic-suite.js';
import { discover, type Discovery } from './discover.js';
import { judgeDeterministic } from './judge-deterministic.js';
import { judgeTiming } from './judge-timing.js';
import { describeMachine, machineInfo, sameMachineKind, type MachineInfo } from './machine-info.js';
import { armCodePath } from './measure.js';
import { alarmLines, renderMarkdown, renderText, summarize } from './render-verdicts.js';
import { activeSlowdowns, describeSlowdown } from './selftest-slowdown.js';
import { median } from './robust-stats.js';
import { measurePair, timingPairs } from './timing-suite.js';
import { gateFails, type VerdictRow } from './verdict.js';

export type Suite = 'deterministic' | 'timing';

export interface CheckOptions {
  suites: readonly Suite[];
  /** Folder of deterministic.json and timing.json. */
  baselines: string;
  /** Kernels to try ('js', 'wasm', 'native'); one that does not load is reported skipped. */
  kernels: readonly string[];
  /** Keep only figures whose id contains one of these (e.g. `strategy:batched`, `scale`, `/js`). */
  only?: readonly string[];
  /** Interleaved repeats per timing pair before the first verdict. */
  repeats: number;
  /** Repeats a pair may reach while its verdict is unknown. */
  maxRepeats: number;
  /** Compare timing with a baseline taken on another CPU / Node major (verdicts then stay unknown unless pass). */
  allowOtherMachine?: boolean;
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
  /** Each timing pair's ratios of this run. */
  samples: Record<string, number[]>;
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
  const rows: VerdictRow[] = [];
  const samples: Record<string, number[]> = {};
  const found = await discover(options.kernels);

  if (options.suites.includes('deterministic')) {
    const baseline = readBaseline(options.baselines, 'deterministic');
    const t0 = performance.now();
    const measured = await runDeterministicSuite(options.kernels, undefined, (m) =>
      log(`deterministic ${m.cell}/${m.kernel}: ${m.status}${m.reason ? ` (${m.reason})` : ''}`),
    );
    rows.push(...judgeDeterministic(baseline, measured).filter((r) => keep(r.id)));
    log(`deterministic suite: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (options.suites.includes('timing')) {
    const t0 = performance.now();
    rows.push(...(await checkTiming(options, found, machine, keep, samples, log)));
    log(`timing suite: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  const failed = gateFails(rows, options.failOnUnknown);
  const context = [
    `machine: ${describeMachine(machine)}`,
    `commit: ${machine.commit ?? 'unknown'}${machine.dirty ? ' (uncommitted changes)' : ''}`,
    `baselines: ${options.baselines}`,
  ];
  if (slowdown) context.unshift(`**self-test slowdown planted: ${slowdown}**`);
  const markdown = renderMarkdown(rows, `hnswlab perf gate: ${failed ? 'FAIL' : 'pass'}`, context);
  const text = [renderText(rows), '', ...alarmLines(rows), `gate: ${failed ? 'FAIL' : 'pass'} (${summarize(rows)})`].join('\n');
  const report: CheckReport = { rows, failed, machine, slowdown, samples, markdown, text };
  if (options.markdownFile) write(options.markdownFile, markdown);
  if (options.jsonFile) write(options.jsonFile, `${JSON.stringify({ ...report, markdown: undefined, text: undefined }, null, 2)}\n`);
  return report;
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function checkTiming(
  options: CheckOptions,
  found: Discovery,
  machine: MachineInfo,
  keep: (id: string) => boolean,
  samples: Record<string, number[]>,
  log: (line: string) => void,
): Promise<VerdictRow[]> {
  const baseline: TimingBaselineFile | null = readBaseline(options.baselines, 'timing');
  const pairs = timingPairs(found).filter((p) => keep(p.id));
  const rows: VerdictRow[] = [];
  const measuredIds = new Set(pairs.map((p) => p.id));
  for (const [id, reason] of found.missing) {
    if (id === 'kernel:js' || !keep(id) || measuredIds.has(id)) continue;
    rows.push(timingRow({ id, figure: id, subject: id }, { verdict: 'skipped', note: reason }));
  }
  const otherMachine = baseline && !sameMachineKind(baseline.machine, machine) ? describeMachine(baseline.machine) : null;
  for (const pair of pairs) {
    const entry = baseline?.entries.find((e) => e.id === pair.id);
    const codePaths = `${await armCodePath(pair.candidate)} ÷ ${await armCodePath(pair.reference)}`;
    const head = { id: pair.id, figure: pair.figure, subject: `${pair.id} (${codePaths})` };
    let ratios: number[];
    try {
      ratios = await measurePair(pair, options.repeats);
    } catch (err) {
      rows.push(timingRow(head, { verdict: 'skipped', note: `failed: ${(err as Error).message}` }));
      continue;
    }
    if (!entry) {
      samples[pair.id] = ratios;
      rows.push(
        timingRow(head, { now: median(ratios), verdict: 'new', note: 'no baseline entry: run pnpm bench:baseline --suite timing' }),
      );
      continue;
    }
    if (
      JSON.stringify([entry.candidate, entry.reference]) !== JSON.stringify([pair.candidate, pair.reference]) ||
      entry.clock !== pair.clock
    ) {
      samples[pair.id] = ratios;
      rows.push(
        timingRow(head, {
          baseline: entry.median,
          now: median(ratios),
          verdict: 'stale',
          note: 'the pair definition changed since the baseline: re-baseline (pnpm bench:baseline --suite timing)',
        }),
      );
      continue;
    }
    if (entry.codePaths !== codePaths) {
      samples[pair.id] = ratios;
      rows.push(
        timingRow(head, {
          baseline: entry.median,
          now: median(ratios),
          verdict: 'unknown',
          note: `the baseline ran ${entry.codePaths}: baseline this pair on this machine`,
        }),
      );
      continue;
    }
    let j = judgeTiming(entry, ratios);
    while (j.verdict === 'unknown' && ratios.length < options.maxRepeats) {
      const more = Math.min(options.repeats, options.maxRepeats - ratios.length);
      log(`timing ${pair.id}: ${j.note}; ${more} more repeats`);
      ratios = ratios.concat(await measurePair(pair, more, false));
      j = judgeTiming(entry, ratios);
    }
    samples[pair.id] = ratios;
    log(
      `timing ${pair.id}: ratio ${j.nowMedian.toFixed(4)} vs ${j.baselineMedian.toFixed(4)} (${j.changePercent.toFixed(2)}%) → ${j.verdict}`,
    );
    let verdict: VerdictRow['verdict'] = j.verdict;
    let note = `${j.note}; ${ratios.length} repeats`;
    if (otherMachine && !options.allowOtherMachine && verdict !== 'pass') {
      verdict = 'unknown';
      note = `${j.verdict} by the numbers, but the baseline was taken on ${otherMachine}: re-baseline on this machine; ${note}`;
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

function timingRow(
  head: Pick<VerdictRow, 'id' | 'figure' | 'subject'>,
  rest: Partial<VerdictRow> & Pick<VerdictRow, 'verdict' | 'note'>,
): VerdictRow {
  return { suite: 'timing', baseline: null, now: null, changePercent: null, allowed: '', ...head, ...rest };
}
