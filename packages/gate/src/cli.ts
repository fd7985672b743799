#!/usr/bin/env node
import { join, resolve } from 'node:path';
import {
  checkNames,
  flagRows,
  formatHelp,
  HELP_FLAG,
  KERNEL_NAMES,
  names,
  parseFlags,
  runCli,
  UsageError,
  type Flag,
} from '@hnswlab/lab-kit';
import { gateStrategies } from './discover.js';
import { runBaseline } from './gate-baseline.js';
import { runCheck } from './gate-check.js';
import { runSelftest, SELFTEST_DEFAULTS } from './gate-selftest.js';
import { defaultBaselineDir, defaultOutDir } from './repo-paths.js';
import { requiredKernels } from './require-kernels.js';
import { installSlowdownFromEnv } from './selftest-slowdown.js';
import { SUITES, type Suite } from './suite.js';

const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['check', 'run the gate against bench/baselines/ (default: every suite); exit 1 on a regression'],
  ['baseline', 'measure and write bench/baselines/<suite>.json (review and commit it)'],
  ['selftest', 'prove the gate: no alarm on the unchanged tree, quiet and under load; an alarm naming the figure for planted slowdowns'],
];

/** The gate's flags, described once: parsing and the help both come from here. */
const GATE_FLAGS = [
  { name: 'suite', arg: 'LIST', help: `${SUITES.join(',')}|all: which suites, for check and baseline`, default: 'all' },
  {
    name: 'kernels',
    arg: 'LIST',
    help: 'kernels to measure; one that does not load is reported skipped, or fails the gate when HNSWLAB_REQUIRE_KERNELS names it',
    default: KERNEL_NAMES.join(','),
  },
  { name: 'strategies', arg: 'LIST', help: 'strategies to measure (default: every registered one)' },
  { name: 'only', arg: 'LIST', help: 'keep figures whose id contains one of these (e.g. strategy:batched,/js/); must match something' },
  { name: 'baselines', arg: 'DIR', help: 'baseline folder (default <repo>/bench/baselines)' },
  { name: 'repeats', arg: 'N', help: 'timing: interleaved repeats per process', default: '5' },
  { name: 'processes', arg: 'N', help: 'timing: fresh processes per pair', default: '5' },
  { name: 'max-processes', arg: 'N', help: 'timing: processes a pair may reach while unknown', default: '9' },
  { name: 'runs', arg: 'N', help: 'baseline: runs of every instruction cell; their spread sets the tolerance', default: '3' },
  { name: 'valgrind', arg: 'CMD', help: 'instructions: the valgrind command (default valgrind)' },
  { name: 'jobs', arg: 'N', help: 'instructions: cells under valgrind at once (default: cores, at most 4)' },
  {
    name: 'quiet-runs',
    arg: 'N',
    help: `selftest: unchanged-tree gate runs on the machine as it is (default ${SELFTEST_DEFAULTS.quietRuns}, --full ${SELFTEST_DEFAULTS.full.quietRuns})`,
  },
  {
    name: 'loaded-runs',
    arg: 'N',
    help: `selftest: unchanged-tree gate runs under a busy loop on every core (default ${SELFTEST_DEFAULTS.loadedRuns}, --full ${SELFTEST_DEFAULTS.full.loadedRuns})`,
  },
  { name: 'full', help: "selftest: the issue's proof (5 quiet + 5 loaded runs of every suite, all timing pairs)" },
  { name: 'out', arg: 'DIR', help: 'selftest: scratch and report folder (default bench-out/gate/selftest)' },
  { name: 'markdown', arg: 'FILE', help: 'where the markdown verdict goes (default bench-out/gate/verdict.md)' },
  { name: 'json', arg: 'FILE', help: 'also write the verdicts as JSON' },
  { name: 'allow-other-host', help: 'gate timing against a baseline from another host or boot (default: report only)' },
  { name: 'fail-on-unknown', help: 'exit 1 on unknown verdicts too' },
  { name: 'quiet', help: 'no progress lines' },
  HELP_FLAG,
] as const satisfies readonly Flag[];

const USAGE = formatHelp(
  'hnswlab-gate <command> [options]',
  [
    { title: 'commands', rows: COMMANDS },
    { title: 'options', rows: flagRows(GATE_FLAGS) },
  ],
  'Exit status: 0 pass, 1 fail, 2 usage error (an unknown kernel, strategy, suite or --only that matches nothing) or unreadable baseline.',
);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, GATE_FLAGS, true);
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (!COMMANDS.some(([c]) => c === command))
    throw new UsageError(`unknown command '${command}' (known: ${COMMANDS.map(([c]) => c).join(', ')})`);
  const log = values.quiet ? () => {} : (line: string) => console.error(`[gate] ${line}`);
  const suites: Suite[] = values.suite === 'all' ? [...SUITES] : checkNames('suite', names(values.suite), SUITES).map((s) => s as Suite);
  const kernels = checkNames('kernel', names(values.kernels), KERNEL_NAMES);
  const known = values.strategies ? await gateStrategies() : undefined;
  const strategies = known
    ? checkNames(
        known.why ? `strategy (@hnswlab/strategies did not load: ${known.why})` : 'strategy',
        names(values.strategies!),
        known.names,
      )
    : undefined;
  const only = values.only ? names(values.only) : undefined;
  const baselines = resolve(values.baselines ?? defaultBaselineDir());
  const repeats = int('repeats', values.repeats);
  const processes = int('processes', values.processes);
  const maxProcesses = Math.max(processes, int('max-processes', values['max-processes']));
  const jobs = values.jobs ? int('jobs', values.jobs) : undefined;
  const requireKernels = requiredKernels();

  if (command === 'check') {
    installSlowdownFromEnv();
    const markdownFile = resolve(values.markdown ?? join(defaultOutDir(), 'verdict.md'));
    const report = await runCheck({
      suites,
      baselines,
      kernels,
      strategies,
      requireKernels,
      only,
      repeats,
      processes,
      maxProcesses,
      valgrind: values.valgrind,
      jobs,
      allowOtherHost: values['allow-other-host'],
      failOnUnknown: values['fail-on-unknown'],
      markdownFile,
      jsonFile: values.json ? resolve(values.json) : undefined,
      log,
    });
    console.log(report.text);
    console.log(`verdict markdown: ${markdownFile}`);
    return report.failed ? 1 : 0;
  }
  if (command === 'baseline') {
    if (process.env.HNSWLAB_GATE_SELFTEST_SLOWDOWN)
      throw new Error('refusing to baseline with a self-test slowdown planted (HNSWLAB_GATE_SELFTEST_SLOWDOWN is set)');
    const written = await runBaseline({
      suites,
      baselines,
      kernels,
      strategies,
      only,
      runs: int('runs', values.runs),
      processes,
      repeats,
      valgrind: values.valgrind,
      jobs,
      command: `hnswlab-gate ${argv.join(' ')}`,
      log,
    });
    for (const f of written) console.log(`wrote ${f}`);
    return 0;
  }
  const out = resolve(values.out ?? join(defaultOutDir(), 'selftest'));
  const defaults = values.full ? SELFTEST_DEFAULTS.full : SELFTEST_DEFAULTS;
  const report = await runSelftest({
    full: values.full,
    quietRuns: count('quiet-runs', values['quiet-runs'] ?? String(defaults.quietRuns)),
    loadedRuns: count('loaded-runs', values['loaded-runs'] ?? String(defaults.loadedRuns)),
    kernels,
    baselines,
    out,
    repeats,
    processes,
    maxProcesses,
    valgrind: values.valgrind,
    jobs,
    log,
  });
  console.log(report.markdown);
  console.log(`self-test report: ${join(out, 'selftest.md')}`);
  return report.ok ? 0 : 1;
}

function int(name: string, s: string): number {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a positive integer, got '${s}'`);
  return v;
}

function count(name: string, s: string): number {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 0) throw new UsageError(`--${name} must be a whole number, got '${s}'`);
  return v;
}

// A usage error and a broken baseline both exit 2: the gate checked nothing, which is not a pass.
runCli('hnswlab-gate', () => main(process.argv.slice(2)), { failure: 2 });
