import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBaseline, writeBaseline } from './baseline-file.js';
import { median } from './robust-stats.js';
import { SLOWDOWN_ENV } from './selftest-slowdown.js';
import type { VerdictRow } from './verdict.js';

export interface SelftestOptions {
  /** Unchanged-tree runs of the deterministic gate (specificity). */
  runs: number;
  /** Unchanged-tree runs of the timing gate against the self-test's own timing baseline (false-alarm count); 0 skips timing. */
  timingRuns: number;
  /** Percent slowdowns of the batched strategy's inserts to sweep, smallest first (sensitivity). */
  slowdowns: readonly number[];
  /** Kernel-loop slowdown (percent more distance work) that must be caught. */
  kernelSlowdown: number;
  kernels: readonly string[];
  /** The committed baselines (the deterministic gate's). */
  baselines: string;
  /** Scratch: the self-test's timing baseline, every run's JSON, the report. */
  out: string;
  /** Timing repeats per pair (check and baseline). */
  repeats: number;
  maxRepeats: number;
  log?: (line: string) => void;
}

/** One self-test case: what it planted, what it expected and what the gate said. */
export interface SelftestCase {
  kind: 'specificity' | 'sensitivity';
  suite: 'deterministic' | 'timing';
  planted: string | null;
  /** The figure that must be named (sensitivity), or null. */
  expect: string | null;
  exitCode: number;
  /** Figures with a regression verdict. */
  alarms: string[];
  /** Change of the expected figure, percent. */
  changePercent: number | null;
  verdictOfExpected: string | null;
  unknowns: number;
  ok: boolean;
  /** Informational cases (slowdowns below what the gate promises) never fail the self-test. */
  required: boolean;
  seconds: number;
  /** The child's JSON report. */
  report: string;
}

export interface SelftestReport {
  cases: SelftestCase[];
  ok: boolean;
  deterministicFalseAlarms: number;
  timingFalseAlarms: number;
  timingUnknowns: number;
  smallestCaughtInsertSlowdown: number | null;
  markdown: string;
}

const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));
/** The timing pairs the self-test uses: one strategy ratio (the planted target) and the scale ratio. */
const TIMING_ONLY = 'strategy:batched,scale:js';
/**
 * Planted insert slowdowns at or above this must be caught for the self-test to pass; smaller ones
 * are swept and reported. 10% is caught on a quiet machine, but on a loaded shared 2-core machine the
 * noise band can exceed it (the gate then says unknown, never regression), so requiring it would make
 * the self-test flaky rather than the gate better.
 */
export const REQUIRED_PERCENT = 20;
/**
 * The planted super-linear bug: 8 passes over the visited array per search step. At n≈2000 that is a
 * few microseconds per insert, at n≈11000 five times more: the shape of the predecessor's 60× case,
 * sized to stand clear of this machine's noise at the scale pair's modest n.
 */
const SCALE_BUG = 'scale:8';

interface Expectation {
  /** Deterministic: a figure name; timing: a pair id. */
  figure: string;
  required: boolean;
}

/**
 * Prove the gate: (a) specificity, the unchanged tree raises no alarm in repeated runs; (b) sensitivity,
 * each planted regression makes the gate exit non-zero naming the right figure. Every run is a child
 * process of the real CLI, so the planted code exists only in those children. The timing part takes
 * its own fresh baseline first, so it tests the gate's statistics on this machine as it is now.
 */
export async function runSelftest(o: SelftestOptions): Promise<SelftestReport> {
  const log = o.log ?? (() => {});
  mkdirSync(o.out, { recursive: true });
  const cases: SelftestCase[] = [];
  const ctx = { o, log };
  const kernels = ['--kernels', o.kernels.join(',')];
  const det = ['check', '--suite', 'deterministic', '--baselines', o.baselines, ...kernels];

  for (let i = 1; i <= o.runs; i++) cases.push(...(await runCase(ctx, 'deterministic', null, [], det, `det-unchanged-${i}`)));
  const values = cases.map((c) =>
    JSON.stringify(
      readRows(c.report)
        .filter((r) => r.suite === 'deterministic')
        .map((r) => r.now),
    ),
  );
  const identical = values.every((v) => v === values[0]);
  log(`deterministic figures identical across ${o.runs} runs: ${identical}`);
  cases.push(
    ...(await runCase(ctx, 'deterministic', 'evals:1', [{ figure: 'distanceEvalsPerInsert', required: true }], det, 'det-evals-1')),
  );

  if (o.timingRuns > 0) {
    const timingDir = join(o.out, 'baselines');
    const rep = ['--repeats', String(o.repeats), '--max-repeats', String(o.maxRepeats)];
    const t0 = performance.now();
    const code = await runCli(
      ['baseline', '--suite', 'timing', '--only', TIMING_ONLY, '--runs', '3', '--baselines', timingDir, ...kernels, ...rep],
      {},
      log,
    );
    if (code !== 0) throw new Error(`the self-test could not take its timing baseline (exit ${code})`);
    log(`timing baseline for the self-test: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const tim = (only: string) => ['check', '--suite', 'timing', '--only', only, '--baselines', timingDir, ...kernels, ...rep];
    for (let i = 1; i <= o.timingRuns; i++) {
      const [c] = await runCase(ctx, 'timing', null, [], tim(TIMING_ONLY), `timing-unchanged-${i}`);
      cases.push(c);
      // An unchanged run is history: the sensitivity checks judge against it too, so the drift between
      // runs is estimated from more than the baseline's own runs (rustc-perf's band comes from history).
      appendRuns(timingDir, c.report);
    }
    let scaleDone = false;
    for (const p of o.slowdowns) {
      const batched = { figure: 'strategy:batched', required: p >= REQUIRED_PERCENT };
      // The scale bug rides along with the required slowdown: it moves only the scale pair (both batched-pair arms pay it alike).
      if (!scaleDone && p >= REQUIRED_PERCENT) {
        scaleDone = true;
        cases.push(
          ...(await runCase(
            ctx,
            'timing',
            `insert:${p}@batched,${SCALE_BUG}`,
            [batched, { figure: 'scale:js', required: true }],
            tim(TIMING_ONLY),
            `timing-insert-${p}-scale`,
          )),
        );
      } else {
        cases.push(...(await runCase(ctx, 'timing', `insert:${p}@batched`, [batched], tim('strategy:batched'), `timing-insert-${p}`)));
      }
    }
    if (!scaleDone)
      cases.push(...(await runCase(ctx, 'timing', SCALE_BUG, [{ figure: 'scale:js', required: true }], tim('scale:js'), 'timing-scale')));
    cases.push(
      ...(await runCase(
        ctx,
        'timing',
        `kernel:${o.kernelSlowdown}@batched`,
        [{ figure: 'strategy:batched', required: true }],
        tim('strategy:batched'),
        `timing-kernel-${o.kernelSlowdown}`,
      )),
    );
  }

  const spec = (suite: string) => cases.filter((c) => c.kind === 'specificity' && c.suite === suite);
  const caught = cases
    .filter((c) => c.expect === 'strategy:batched' && c.planted?.startsWith('insert:') && c.ok)
    .map((c) => Number(/insert:(\d+(?:\.\d+)?)/.exec(c.planted!)![1]));
  const report: Omit<SelftestReport, 'markdown'> = {
    cases,
    ok: identical && cases.every((c) => c.ok || !c.required),
    deterministicFalseAlarms: spec('deterministic').reduce((s, c) => s + c.alarms.length, 0),
    timingFalseAlarms: spec('timing').reduce((s, c) => s + c.alarms.length, 0),
    timingUnknowns: spec('timing').reduce((s, c) => s + c.unknowns, 0),
    smallestCaughtInsertSlowdown: caught.length ? Math.min(...caught) : null,
  };
  const markdown = renderSelftest(report, identical, o);
  writeFileSync(join(o.out, 'selftest.md'), markdown);
  writeFileSync(join(o.out, 'selftest.json'), `${JSON.stringify(report, null, 2)}\n`);
  return { ...report, markdown };
}

/** Run one child gate; one case per expectation (or one specificity case when nothing is planted). */
async function runCase(
  { o, log }: { o: SelftestOptions; log: (line: string) => void },
  suite: SelftestCase['suite'],
  planted: string | null,
  expects: readonly Expectation[],
  args: string[],
  name: string,
): Promise<SelftestCase[]> {
  const json = join(o.out, `${name}.json`);
  const env: NodeJS.ProcessEnv = planted ? { [SLOWDOWN_ENV]: planted } : {};
  const t0 = performance.now();
  const exitCode = await runCli([...args, '--json', json, '--markdown', join(o.out, `${name}.md`)], env, log);
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  const rows = readRows(json);
  const key = (r: VerdictRow) => (r.suite === 'timing' ? r.id : r.figure);
  const alarms = rows
    .filter((r) => r.verdict === 'regression' || r.verdict === 'stale')
    .map((r) => `${r.verdict === 'stale' ? 'stale baseline: ' : ''}${key(r)} [${r.subject}]`);
  const unknowns = rows.filter((r) => r.verdict === 'unknown').length;
  const common = { suite, planted, exitCode, alarms, unknowns, seconds, report: json };
  if (!planted) {
    const ok = exitCode === 0 && alarms.length === 0;
    log(
      `self-test ${name}: exit ${exitCode}, ${alarms.length} alarm(s), ${unknowns} unknown → ${ok ? 'ok' : 'FALSE ALARM'} (${seconds} s)`,
    );
    return [{ ...common, kind: 'specificity', expect: null, changePercent: null, verdictOfExpected: null, ok, required: true }];
  }
  // What the planted change may legitimately move: the expected figures (and, for extra evaluations, the search's evaluation count too).
  const movable = new Set(expects.map((e) => e.figure));
  if (planted.startsWith('evals')) movable.add('distanceEvalsPerQuery');
  const stray = rows.filter((r) => (r.verdict === 'regression' && !movable.has(key(r))) || r.verdict === 'stale');
  return expects.map((e) => {
    const expected = rows.filter((r) => key(r) === e.figure);
    const worst = [...expected].sort((a, b) => (b.changePercent ?? 0) - (a.changePercent ?? 0))[0];
    const changePercent = worst?.changePercent ?? null;
    const verdictOfExpected = expected.length ? [...new Set(expected.map((r) => r.verdict))].join('/') : 'not measured';
    // Named right: every row of the expected figure regressed, and nothing fired that the planted change cannot move.
    const ok = exitCode !== 0 && expected.length > 0 && expected.every((r) => r.verdict === 'regression') && stray.length === 0;
    log(
      `self-test ${name}: ${e.figure} ${verdictOfExpected}${changePercent !== null ? ` at ${changePercent.toFixed(2)}%` : ''}, exit ${exitCode} → ${ok ? 'caught' : e.required ? 'MISSED' : 'not caught (informational)'} (${seconds} s)`,
    );
    return { ...common, kind: 'sensitivity' as const, expect: e.figure, changePercent, verdictOfExpected, ok, required: e.required };
  });
}

/** Add an unchanged check's ratios to the self-test's timing baseline as one more run per pair. */
function appendRuns(dir: string, report: string): void {
  const file = readBaseline(dir, 'timing');
  if (!file) return;
  let samples: Record<string, number[]>;
  try {
    samples = (JSON.parse(readFileSync(report, 'utf8')) as { samples?: Record<string, number[]> }).samples ?? {};
  } catch {
    return;
  }
  for (const e of file.entries) {
    const s = samples[e.id];
    if (!s?.length) continue;
    e.runs.push(s);
    e.median = median(e.runs.flat());
  }
  writeBaseline(dir, file);
}

function readRows(file: string): VerdictRow[] {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { rows: VerdictRow[] }).rows;
  } catch {
    return [];
  }
}

function runCli(args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<number> {
  const childEnv = { ...process.env, ...env };
  if (!env[SLOWDOWN_ENV]) delete childEnv[SLOWDOWN_ENV];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--quiet'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) log(`child hnswlab-gate ${args.join(' ')} exited ${code}:\n${err.slice(-2000)}`);
      resolve(code ?? 1);
    });
  });
}

function renderSelftest(r: Omit<SelftestReport, 'markdown'>, identical: boolean, o: SelftestOptions): string {
  const lines = [
    `## hnswlab perf gate self-test: ${r.ok ? 'pass' : 'FAIL'}`,
    '',
    `- deterministic gate, unchanged tree: ${o.runs} runs, **${r.deterministicFalseAlarms} false alarms**, figures identical across runs: ${identical}`,
  ];
  if (o.timingRuns > 0) {
    lines.push(
      `- timing gate, unchanged tree: ${o.timingRuns} runs, **${r.timingFalseAlarms} false alarms**, ${r.timingUnknowns} unknown verdicts`,
    );
    lines.push(
      `- smallest planted insert slowdown caught (of ${o.slowdowns.join(', ')}%): **${r.smallestCaughtInsertSlowdown === null ? 'none' : `${r.smallestCaughtInsertSlowdown}%`}**`,
    );
  }
  lines.push(
    '',
    '| case | suite | planted | must name | exit | verdict of that figure | change | alarms | result |',
    '|---|---|---|---|---:|---|---:|---|---|',
  );
  for (const c of r.cases) {
    const result = c.ok ? '✅' : c.required ? '❌' : '➖ (informational)';
    lines.push(
      `| ${c.kind} | ${c.suite} | ${c.planted ?? '–'} | ${c.expect ?? '–'} | ${c.exitCode} | ${c.verdictOfExpected ?? '–'} | ${c.changePercent === null ? '–' : `${c.changePercent.toFixed(2)}%`} | ${c.alarms.length ? c.alarms.join('<br>') : 'none'} | ${result} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
