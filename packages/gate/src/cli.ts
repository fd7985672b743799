#!/usr/bin/env node
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_KERNELS } from './discover.js';
import { runBaseline } from './gate-baseline.js';
import { runCheck, type Suite } from './gate-check.js';
import { runSelftest } from './gate-selftest.js';
import { defaultBaselineDir, defaultOutDir } from './repo-paths.js';
import { installSlowdownFromEnv } from './selftest-slowdown.js';

const USAGE = `hnswlab-gate <command> [options]

commands
  check      run the gate against bench/baselines/ (default: both suites); exit 1 on a regression
  baseline   measure and write bench/baselines/<suite>.json (review and commit it)
  selftest   prove the gate: no alarm on the unchanged tree, an alarm naming the figure for planted slowdowns

options
  --suite deterministic|timing|all   which suite (check, baseline; default all)
  --kernels js,wasm,native           kernels to try (default all three; one that does not load is reported skipped)
  --only ID,...                      keep figures whose id contains one of these (e.g. strategy:batched,scale)
  --baselines DIR                    baseline folder (default <repo>/bench/baselines)
  --repeats N                        interleaved repeats per timing pair (default 9)
  --max-repeats N                    repeats a pair may reach while unknown (default 21)
  --runs N                           baseline: timing runs (default 3); selftest: deterministic runs (default 5)
  --timing-runs N                    selftest: unchanged timing runs (default 2, --full 5; 0 skips the timing part)
  --slowdowns P,...                  selftest: insert slowdowns of the batched arm to sweep, percent (default 10,20, --full 5,10,15,20;
                                     those of 20 and more must be caught, smaller ones are reported)
  --kernel-slowdown P                selftest: kernel-loop slowdown (more distance work) that must be caught, percent (default 30)
  --full                             selftest: the longer proof (5 timing runs, slowdowns 5,10,15,20)
  --out DIR                          selftest: scratch and report folder (default bench-out/gate/selftest)
  --markdown FILE                    where the markdown verdict goes (default bench-out/gate/verdict.md)
  --json FILE                        also write the verdicts as JSON
  --allow-other-machine              judge timing against a baseline from another CPU / Node major
  --fail-on-unknown                  exit 1 on unknown verdicts too
  --quiet                            no progress lines`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      suite: { type: 'string', default: 'all' },
      kernels: { type: 'string', default: ALL_KERNELS.join(',') },
      only: { type: 'string' },
      baselines: { type: 'string' },
      repeats: { type: 'string', default: '9' },
      'max-repeats': { type: 'string', default: '21' },
      runs: { type: 'string' },
      'timing-runs': { type: 'string' },
      slowdowns: { type: 'string' },
      full: { type: 'boolean', default: false },
      'kernel-slowdown': { type: 'string', default: '30' },
      markdown: { type: 'string' },
      json: { type: 'string' },
      out: { type: 'string' },
      'allow-other-machine': { type: 'boolean', default: false },
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
  const log = values.quiet ? () => {} : (line: string) => console.error(`[gate] ${line}`);
  const suites: Suite[] = values.suite === 'all' ? ['deterministic', 'timing'] : [suiteOf(values.suite)];
  const kernels = list(values.kernels);
  const only = values.only ? list(values.only) : undefined;
  const baselines = resolve(values.baselines ?? defaultBaselineDir());
  const repeats = int('repeats', values.repeats);
  const maxRepeats = Math.max(repeats, int('max-repeats', values['max-repeats']));

  if (command === 'check') {
    installSlowdownFromEnv();
    const markdownFile = resolve(values.markdown ?? join(defaultOutDir(), 'verdict.md'));
    const report = await runCheck({
      suites,
      baselines,
      kernels,
      only,
      repeats,
      maxRepeats,
      allowOtherMachine: values['allow-other-machine'],
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
      only,
      runs: int('runs', values.runs ?? '3'),
      repeats,
      command: `hnswlab-gate ${argv.join(' ')}`,
      log,
    });
    for (const f of written) console.log(`wrote ${f}`);
    return 0;
  }
  if (command === 'selftest') {
    const out = resolve(values.out ?? join(defaultOutDir(), 'selftest'));
    const report = await runSelftest({
      runs: int('runs', values.runs ?? '5'),
      timingRuns: Number(values['timing-runs'] ?? (values.full ? '5' : '2')),
      slowdowns: list(values.slowdowns ?? (values.full ? '5,10,15,20' : '10,20'))
        .map(Number)
        .sort((a, b) => a - b),
      kernelSlowdown: Number(values['kernel-slowdown']),
      kernels,
      baselines,
      out,
      repeats,
      maxRepeats,
      log,
    });
    console.log(report.markdown);
    console.log(`self-test report: ${join(out, 'selftest.md')}`);
    return report.ok ? 0 : 1;
  }
  console.error(`unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

function list(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function int(name: string, s: string): number {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${name} must be a positive integer, got '${s}'`);
  return v;
}

function suiteOf(s: string): Suite {
  if (s === 'deterministic' || s === 'timing') return s;
  throw new RangeError(`--suite must be deterministic, timing or all, got '${s}'`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`hnswlab-gate: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
