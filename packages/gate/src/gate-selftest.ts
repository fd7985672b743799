import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselinePath, readBaseline } from './baseline-file.js';
import { selectInstructionCells } from './gate-check.js';
import { instructionEnvironment } from './instruction-suite.js';
import { environmentDifferences } from './judge-instructions.js';
import { startLoad, type LoadGenerator } from './load-generator.js';
import { SLOWDOWN_ENV } from './selftest-slowdown.js';
import type { Suite } from './suite.js';
import { findValgrind } from './valgrind.js';
import { REQUIRE_KERNELS_ENV, requiredKernels } from './require-kernels.js';
import type { VerdictRow } from './verdict.js';

export interface SelftestOptions {
  /** The issue's full proof: every instruction cell and every timing pair in each run, and the wider sweep. */
  full: boolean;
  /** Unchanged-tree runs of every suite on the machine as it is. */
  quietRuns: number;
  /** Unchanged-tree runs of every suite with a busy loop on every core. */
  loadedRuns: number;
  kernels: readonly string[];
  /** The committed baselines (deterministic.json, and instructions.json where its environment matches). */
  baselines: string;
  /** Scratch: the self-test's baselines, every run's JSON, the report. */
  out: string;
  /** Timing: repeats per process, processes per pair (check and baseline). */
  repeats: number;
  processes: number;
  maxProcesses: number;
  valgrind?: string;
  jobs?: number;
  log?: (line: string) => void;
}

/** How many unchanged runs the self-test makes by default (CI) and with --full (the issue's proof). */
export const SELFTEST_DEFAULTS = { quietRuns: 1, loadedRuns: 1, full: { quietRuns: 5, loadedRuns: 5 } } as const;

/** Planted kernel slowdowns (percent more kernel work) swept under load; those of REQUIRED_KERNEL_PERCENT and more must be caught. */
export const KERNEL_SWEEP = { ci: [1, 3], full: [0.5, 1, 2, 3] } as const;
export const REQUIRED_KERNEL_PERCENT = 3;

/** What the unchanged-tree and planted runs measure: a CI-sized scope, or everything (--full). */
function scope(o: SelftestOptions) {
  const kernels = ['--kernels', o.kernels.join(',')];
  return {
    kernels,
    // Instruction counts do not depend on load or on the cell; CI proves it on one cell per kernel.
    instructions: o.full ? kernels : [...kernels, '--strategies', 'sequential'],
    // Sensitivity: the js cell moves most for a kernel slowdown; --full plants on every kernel's cell.
    plantedInstructions: o.full ? [...kernels, '--strategies', 'sequential'] : ['--kernels', 'js', '--strategies', 'sequential'],
    timing: o.full ? [] : ['--only', 'strategy:batched,scale:js'],
    sweep: o.full ? KERNEL_SWEEP.full : KERNEL_SWEEP.ci,
  };
}

type Condition = 'quiet' | 'loaded';

/** One self-test case: what it planted, what it expected and what the gate said. */
export interface SelftestCase {
  name: string;
  kind: 'specificity' | 'sensitivity';
  condition: Condition;
  suites: Suite[];
  planted: string | null;
  /** `<suite>:<figure>` (timing: `timing:<pair id>`) that must be named, or null. */
  expect: string | null;
  exitCode: number;
  regressions: string[];
  improvements: string[];
  unknowns: number;
  /** Change of the expected figure (its largest), percent. */
  changePercent: number | null;
  verdictOfExpected: string | null;
  ok: boolean;
  /** Informational cases (slowdowns below what the gate promises) never fail the self-test. */
  required: boolean;
  /** Timing cases the gate declined to judge (busy machine, or noise wider than the change): why; never a failure. */
  inconclusive?: string;
  seconds: number;
  /** The child's JSON report. */
  report: string;
}

export interface SelftestReport {
  cases: SelftestCase[];
  ok: boolean;
  falseAlarms: Record<Condition, { runs: number; regressions: number; improvements: number; unknowns: number }>;
  /** The smallest planted kernel slowdown caught on every cell it was planted in, and the instruction change it made. */
  smallestKernelSlowdownCaught: { percent: number; instructionChangePercent: number } | null;
  problems: string[];
  markdown: string;
}

const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));

export interface Expectation {
  /** `<suite>:<figure>` or `timing:<pair id>`. */
  key: string;
  required: boolean;
}

const rowKey = (r: VerdictRow) => `${r.suite}:${r.suite === 'timing' ? r.id : r.figure}`;

/**
 * Prove the gate: (a) specificity, the unchanged tree raises no alarm (no regression, no improvement)
 * in repeated runs of every suite, on the machine as it is and under a busy loop on every core; (b)
 * sensitivity under that same load, each planted regression makes the gate exit non-zero naming the
 * right figure: one extra distance evaluation per expansion (deterministic), P% more kernel work and an
 * O(n) visited clear (instruction counts). Timing sensitivity is checked on the machine as it is: on a
 * busy machine the timing gate must say unknown, and does. Every run is a child process of the real
 * CLI, so the planted code exists only in those children.
 */
export async function runSelftest(o: SelftestOptions): Promise<SelftestReport> {
  const log = o.log ?? (() => {});
  const dir = join(o.out, 'baselines');
  mkdirSync(dir, { recursive: true });
  const s = scope(o);
  const cases: SelftestCase[] = [];
  const problems: string[] = [];
  const common = [
    '--baselines',
    dir,
    '--repeats',
    String(o.repeats),
    '--processes',
    String(o.processes),
    '--max-processes',
    String(o.maxProcesses),
    ...(o.valgrind ? ['--valgrind', o.valgrind] : []),
    ...(o.jobs ? ['--jobs', String(o.jobs)] : []),
  ];
  const ctx = { o, log, common };

  // Baselines: the committed deterministic one; the committed instruction one where it was counted in
  // this environment, else a fresh one; a fresh timing one (timing is gated only within one host session).
  if (existsSync(baselinePath(o.baselines, 'deterministic')))
    copyFileSync(baselinePath(o.baselines, 'deterministic'), baselinePath(dir, 'deterministic'));
  const instructionsReady = await prepareInstructionBaseline(o, s.instructions, dir, ctx, problems);
  const t0 = performance.now();
  const code = await runCli(['baseline', '--suite', 'timing', ...s.kernels, ...s.timing, ...common], {}, log);
  if (code !== 0) throw new Error(`the self-test could not take its timing baseline (exit ${code})`);
  log(`self-test timing baseline: ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const unchanged = async (condition: Condition, i: number) => {
    // Every deterministic cell (threaded strategies too: their counters must hold under load); the
    // instruction cells of the scope; the timing pairs of the scope.
    cases.push(
      ...(await runCase(ctx, `${condition}-${i}-deterministic`, 'specificity', condition, ['deterministic'], s.kernels, null, [])),
    );
    if (instructionsReady) {
      cases.push(
        ...(await runCase(ctx, `${condition}-${i}-instructions`, 'specificity', condition, ['instructions'], s.instructions, null, [])),
      );
    }
    cases.push(
      ...(await runCase(ctx, `${condition}-${i}-timing`, 'specificity', condition, ['timing'], [...s.kernels, ...s.timing], null, [])),
    );
  };
  for (let i = 1; i <= o.quietRuns; i++) await unchanged('quiet', i);
  const load: LoadGenerator = startLoad();
  try {
    log(`self-test: load generator on (${load.processes} busy loops)`);
    for (let i = 1; i <= o.loadedRuns; i++) await unchanged('loaded', i);
    cases.push(
      // Planted in the gate's child process only: worker strategies insert in threads it does not reach.
      ...(await runCase(
        ctx,
        'loaded-evals-1',
        'sensitivity',
        'loaded',
        ['deterministic'],
        ['--kernels', 'js', '--strategies', 'sequential,batched'],
        'evals:1',
        [{ key: 'deterministic:distanceEvalsPerInsert', required: true }],
      )),
    );
    if (instructionsReady) {
      for (const p of s.sweep) {
        cases.push(
          ...(await runCase(ctx, `loaded-kernel-${p}`, 'sensitivity', 'loaded', ['instructions'], s.plantedInstructions, `kernel:${p}`, [
            { key: 'instructions:instructionsPerInsert', required: p >= REQUIRED_KERNEL_PERCENT },
          ])),
        );
      }
      cases.push(
        ...(await runCase(ctx, 'loaded-scale-1', 'sensitivity', 'loaded', ['instructions'], s.plantedInstructions, 'scale:1', [
          { key: 'instructions:instructionsPerInsert', required: true },
        ])),
      );
    }
  } finally {
    await load.stop();
  }
  // Timing sensitivity without the generator: a planted 20% insert slowdown and an O(n) clear. Each
  // must be caught, or answered unknown where the machine's noise hides it; a pass fails the self-test.
  cases.push(
    ...(await runCase(
      ctx,
      'quiet-timing-insert-20-scale-8',
      'sensitivity',
      'quiet',
      ['timing'],
      [...s.kernels, '--only', 'strategy:batched,scale:js'],
      'insert:20@batched,scale:8',
      [
        { key: 'timing:strategy:batched', required: true },
        { key: 'timing:scale:js', required: true },
      ],
    )),
  );

  const spec = (c: Condition) => cases.filter((x) => x.kind === 'specificity' && x.condition === c);
  const tally = (c: Condition) => ({
    runs: c === 'quiet' ? o.quietRuns : o.loadedRuns,
    regressions: spec(c).reduce((a, x) => a + x.regressions.length, 0),
    improvements: spec(c).reduce((a, x) => a + x.improvements.length, 0),
    unknowns: spec(c).reduce((a, x) => a + x.unknowns, 0),
  });
  const kernelCases = cases.filter((c) => c.planted?.startsWith('kernel:') && c.ok);
  const smallest = kernelCases.sort((a, b) => percentOf(a) - percentOf(b))[0];
  const report: Omit<SelftestReport, 'markdown'> = {
    cases,
    ok: problems.length === 0 && cases.every((c) => c.ok || !c.required || c.inconclusive !== undefined),
    falseAlarms: { quiet: tally('quiet'), loaded: tally('loaded') },
    smallestKernelSlowdownCaught: smallest
      ? { percent: percentOf(smallest), instructionChangePercent: smallest.changePercent ?? NaN }
      : null,
    problems,
  };
  const markdown = renderSelftest(report, o);
  writeFileSync(join(o.out, 'selftest.md'), markdown);
  writeFileSync(join(o.out, 'selftest.json'), `${JSON.stringify(report, null, 2)}\n`);
  return { ...report, markdown };
}

const percentOf = (c: SelftestCase) => Number(/kernel:(\d+(?:\.\d+)?)/.exec(c.planted ?? '')?.[1] ?? NaN);

/**
 * Use the committed instruction baseline when every cell the self-test counts has an entry counted in
 * this environment; otherwise take a fresh one (2 runs) in the self-test's folder. False (with a
 * problem recorded) where valgrind is missing: then the instruction suite cannot be proven.
 */
async function prepareInstructionBaseline(
  o: SelftestOptions,
  scopeArgs: string[],
  dir: string,
  ctx: { log: (line: string) => void; common: string[] },
  problems: string[],
): Promise<boolean> {
  const found = findValgrind(o.valgrind);
  if (!found.tool) {
    problems.push(`the instruction suite cannot be proven here: ${found.reason}`);
    return false;
  }
  const env = instructionEnvironment(found.tool);
  let committed = null;
  try {
    committed = readBaseline(o.baselines, 'instructions');
  } catch (err) {
    ctx.log(`self-test: the committed instruction baseline is unusable: ${(err as Error).message.split('\n')[0]}`);
  }
  const strategies = scopeArgs.includes('--strategies') ? ['sequential'] : ['sequential', 'batched'];
  const cells = selectInstructionCells(
    o.kernels,
    () => true,
    (st) => strategies.includes(st),
  );
  const fits =
    committed !== null &&
    cells.every((c) => committed.entries.some((e) => e.id === c.id && environmentDifferences(e.environment, env).length === 0));
  if (fits) {
    copyFileSync(baselinePath(o.baselines, 'instructions'), baselinePath(dir, 'instructions'));
    ctx.log('self-test: using the committed instruction baseline (counted in this environment)');
    return true;
  }
  ctx.log('self-test: the committed instruction baseline was counted elsewhere (or lacks cells): taking a fresh one, 2 runs');
  const code = await runCli(['baseline', '--suite', 'instructions', '--runs', '2', ...scopeArgs, ...ctx.common], {}, ctx.log);
  if (code !== 0) {
    problems.push(`the self-test could not take its instruction baseline (exit ${code})`);
    return false;
  }
  return true;
}

/** Run one child gate; one case per expectation (or one specificity case when nothing is planted). */
async function runCase(
  { o, log, common }: { o: SelftestOptions; log: (line: string) => void; common: string[] },
  name: string,
  kind: SelftestCase['kind'],
  condition: Condition,
  suites: Suite[],
  args: string[],
  planted: string | null,
  expects: readonly Expectation[],
): Promise<SelftestCase[]> {
  const json = join(o.out, `${name}.json`);
  const env: NodeJS.ProcessEnv = planted ? { [SLOWDOWN_ENV]: planted } : {};
  // A case that narrows --kernels (the planted ones measure js alone) requires only what it measures:
  // the kernels CI requires are proven loadable by the unchanged runs, which measure them all.
  const narrowed = valueOf(args, '--kernels')?.split(',');
  if (narrowed)
    env[REQUIRE_KERNELS_ENV] = requiredKernels()
      .filter((k) => narrowed.includes(k))
      .join(',');
  const t0 = performance.now();
  const exitCode = await runCli(
    ['check', '--suite', suites.join(','), ...args, ...common, '--json', json, '--markdown', join(o.out, `${name}.md`)],
    env,
    log,
  );
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  const rows = readRows(json);
  const label = (r: VerdictRow) => `${r.verdict === 'regression' ? '' : `${r.verdict}: `}${rowKey(r)} [${r.subject}]`;
  const regressions = rows.filter((r) => r.verdict === 'regression' || r.verdict === 'stale' || r.verdict === 'missing').map(label);
  const improvements = rows.filter((r) => r.verdict === 'improvement').map(label);
  const unknowns = rows.filter((r) => r.verdict === 'unknown').length;
  const base = { name, kind, condition, suites, planted, exitCode, regressions, improvements, unknowns, seconds, report: json };
  if (!planted) {
    const ok = exitCode === 0 && regressions.length === 0 && improvements.length === 0;
    log(
      `self-test ${name}: exit ${exitCode}, ${regressions.length} regression(s), ${improvements.length} improvement(s), ${unknowns} unknown → ${ok ? 'ok' : 'FALSE ALARM'} (${seconds} s)`,
    );
    return [{ ...base, expect: null, changePercent: null, verdictOfExpected: null, ok, required: true }];
  }
  return judgePlantedCase(rows, exitCode, planted, expects).map((j) => {
    log(
      `self-test ${name}: ${j.expect} ${j.verdictOfExpected}${j.changePercent !== null ? ` at ${j.changePercent.toFixed(3)}%` : ''}, exit ${exitCode} → ${j.ok ? 'caught' : j.inconclusive ? `inconclusive (${j.inconclusive})` : j.required ? 'MISSED' : 'not caught (informational)'} (${seconds} s)`,
    );
    return { ...base, ...j };
  });
}

/** What a planted case's child gate said about each expected figure. */
export interface PlantedJudgement {
  expect: string;
  changePercent: number | null;
  verdictOfExpected: string;
  ok: boolean;
  required: boolean;
  inconclusive?: string;
}

/**
 * Whether a child gate run with a planted slowdown named it right: exit non-zero, every row of the
 * expected figure a regression, and nothing fired that the planted change cannot move (a stray
 * regression, or any stale or missing row). A wall-clock figure the gate declined to judge is
 * inconclusive, not missed.
 */
export function judgePlantedCase(
  rows: readonly VerdictRow[],
  exitCode: number,
  planted: string,
  expects: readonly Expectation[],
): PlantedJudgement[] {
  // What the planted change may legitimately move besides the expected figures.
  const movable = new Set(expects.map((e) => e.key));
  if (planted.startsWith('evals')) movable.add('deterministic:distanceEvalsPerQuery');
  if (/kernel|scale|evals/.test(planted)) movable.add('instructions:instructionsPerQuery').add('instructions:instructionsPerInsert');
  const stray = rows.filter(
    (r) => (r.verdict === 'regression' && !movable.has(rowKey(r))) || r.verdict === 'stale' || r.verdict === 'missing',
  );
  return expects.map((e) => {
    const expected = rows.filter((r) => rowKey(r) === e.key);
    const smallest = [...expected].sort((a, b) => (a.changePercent ?? 0) - (b.changePercent ?? 0))[0];
    const changePercent = smallest?.changePercent ?? null;
    const verdictOfExpected = expected.length ? [...new Set(expected.map((r) => r.verdict))].join('/') : 'not measured';
    const ok = exitCode !== 0 && expected.length > 0 && expected.every((r) => r.verdict === 'regression') && stray.length === 0;
    // A wall-clock ratio the gate declined to judge (busy machine, or process noise wider than the
    // planted change after every allowed process) is an honest answer, not a miss: only a pass or an
    // improvement of a planted timing slowdown is. Instruction counts carry sensitivity where timing cannot.
    const declined = !ok && e.key.startsWith('timing:') && stray.length === 0 && expected.find((r) => r.verdict === 'unknown');
    return {
      expect: e.key,
      changePercent,
      verdictOfExpected,
      ok,
      required: e.required,
      ...(declined ? { inconclusive: `the timing gate answered unknown: ${declined.note}` } : {}),
    };
  });
}

/** The value after `flag` in a child's arguments, if it is there. */
function valueOf(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
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
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) log(`child hnswlab-gate ${args.join(' ')} exited ${code}:\n${err.slice(-2000)}`);
      resolve(code ?? 1);
    });
  });
}

function renderSelftest(r: Omit<SelftestReport, 'markdown'>, o: SelftestOptions): string {
  const fa = (c: Condition) => {
    const t = r.falseAlarms[c];
    return `${t.runs} run(s) of ${o.full ? 'every suite (all cells and pairs)' : 'every suite (CI scope)'}: **${t.regressions} regressions, ${t.improvements} improvements**, ${t.unknowns} unknown verdicts`;
  };
  const k = r.smallestKernelSlowdownCaught;
  const lines = [
    `## hnswlab perf gate self-test: ${r.ok ? 'pass' : 'FAIL'}${o.full ? ' (--full)' : ''}`,
    '',
    `- unchanged tree, machine as it is: ${fa('quiet')}`,
    `- unchanged tree, busy loop on every core: ${fa('loaded')}`,
    `- smallest planted kernel slowdown caught under load: **${k ? `${k.percent}% more kernel work = +${k.instructionChangePercent.toFixed(2)}% instructions per insert` : 'none'}**`,
    ...r.problems.map((p) => `- ❌ ${p}`),
    '',
    '| case | condition | planted | must name | exit | verdict of that figure | change | regressions | improvements | result |',
    '|---|---|---|---|---:|---|---:|---|---|---|',
  ];
  for (const c of r.cases) {
    const result = c.ok ? '✅' : c.inconclusive ? `➖ ${c.inconclusive}` : c.required ? '❌' : '➖ (informational)';
    lines.push(
      `| ${c.name} | ${c.condition} | ${c.planted ?? '–'} | ${c.expect ?? '–'} | ${c.exitCode} | ${c.verdictOfExpected ?? '–'} | ${c.changePercent === null ? '–' : `${c.changePercent.toFixed(3)}%`} | ${c.regressions.length ? c.regressions.join('<br>') : 'none'} | ${c.improvements.length ? c.improvements.join('<br>') : 'none'} | ${result} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
