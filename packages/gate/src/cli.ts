#!/usr/bin/env node
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KERNEL_NAMES } from '@hnswlab/lab-kit';
import { gateStrategies } from './discover.js';
import { runBaseline } from './gate-baseline.js';
import { runCheck } from './gate-check.js';
import { runSelftest, SELFTEST_DEFAULTS } from './gate-selftest.js';
import { defaultBaselineDir, defaultOutDir } from './repo-paths.js';
import { requiredKernels } from './require-kernels.js';
import { installSlowdownFromEnv } from './selftest-slowdown.js';
import { SUITES, type Suite } from './suite.js';
import { checkNames, UsageError } from './usage-error.js';

const USAGE = `hnswlab-gate <command> [options]

commands
  check      run the gate against bench/baselines/ (default: every suite); exit 1 on a regression
  baseline   measure and write bench/baselines/<suite>.json (review and commit it)
  selftest   prove the gate: no alarm on the unchanged tree, quiet and under load; an alarm naming the figure for planted slowdowns

options
  --suite deterministic,instructions,timing|all   which suites (check, baseline; default all)
  --kernels js,wasm,native           kernels to measure (default all three; one that does not load is reported skipped,
                                     or fails the gate when HNSWLAB_REQUIRE_KERNELS names it)
  --strategies sequential,batched,…  strategies to measure (default: every registered one)
  --only ID,...                      keep figures whose id contains one of these (e.g. strategy:batched,/js/); must match something
  --baselines DIR                    baseline folder (default <repo>/bench/baselines)
  --repeats N                        timing: interleaved repeats per process (default 5)
  --processes N                      timing: fresh processes per pair (default 5)
  --max-processes N                  timing: processes a pair may reach while unknown (default 9)
  --runs N                           baseline: runs of every instruction cell (default 3; their spread sets the tolerance)
  --valgrind CMD                     instructions: the valgrind command (default valgrind)
  --jobs N                           instructions: cells under valgrind at once (default: cores, at most 4)
  --quiet-runs N                     selftest: unchanged-tree gate runs on the machine as it is (default ${SELFTEST_DEFAULTS.quietRuns}, --full ${SELFTEST_DEFAULTS.full.quietRuns})
  --loaded-runs N                    selftest: unchanged-tree gate runs under a busy loop on every core (default ${SELFTEST_DEFAULTS.loadedRuns}, --full ${SELFTEST_DEFAULTS.full.loadedRuns})
  --full                             selftest: the issue's proof (5 quiet + 5 loaded runs of every suite, all timing pairs)
  --out DIR                          selftest: scratch and report folder (default bench-out/gate/selftest)
  --markdown FILE                    where the markdown verdict goes (default bench-out/gate/verdict.md)
  --json FILE                        also write the verdicts as JSON
  --allow-other-host                 gate timing against a baseline from another host or boot (default: report only)
  --fail-on-unknown                  exit 1 on unknown verdicts too
  --quiet                            no progress lines

exit status: 0 pass, 1 fail, 2 usage error (an unknown kernel, strategy, suite or --only that matches nothing)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      suite: { type: 'string', default: 'all' },
      kernels: { type: 'string', default: KERNEL_NAMES.join(',') },
      strategies: { type: 'string' },
      only: { type: 'string' },
      baselines: { type: 'string' },
      repeats: { type: 'string', default: '5' },
      processes: { type: 'string', default: '5' },
      'max-processes': { type: 'string', default: '9' },
      runs: { type: 'string', default: '3' },
      valgrind: { type: 'string' },
      jobs: { type: 'string' },
      'quiet-runs': { type: 'string' },
      'loaded-runs': { type: 'string' },
      full: { type: 'boolean', default: false },
      markdown: { type: 'string' },
      json: { type: 'string' },
      out: { type: 'string' },
      'allow-other-host': { type: 'boolean', default: false },
      'fail-on-unknown': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (!['check', 'baseline', 'selftest'].includes(command)) throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
  const log = values.quiet ? () => {} : (line: string) => console.error(`[gate] ${line}`);
  const suites: Suite[] = values.suite === 'all' ? [...SUITES] : checkNames('suite', list(values.suite), SUITES).map((s) => s as Suite);
  const kernels = checkNames('kernel', list(values.kernels), KERNEL_NAMES);
  const known = values.strategies ? await gateStrategies() : undefined;
  const strategies = known
    ? checkNames(
        known.why ? `strategy (@hnswlab/strategies did not load: ${known.why})` : 'strategy',
        list(values.strategies!),
        known.names,
      )
    : undefined;
  const only = values.only ? list(values.only) : undefined;
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

function list(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A usage error and a broken baseline both exit 2: the gate checked nothing, which is not a pass.
    const usage = err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    console.error(`hnswlab-gate: ${err instanceof Error ? err.message : String(err)}${usage ? '\n(hnswlab-gate --help for usage)' : ''}`);
    process.exit(2);
  },
);
