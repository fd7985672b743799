#!/usr/bin/env node
// hnswlab-flame: `run` profiles one bench cell and attributes it; `diff` compares two attributions.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { flagRows, formatHelp, HELP_FLAG, KERNEL_NAMES, parseFlags, runCli, UsageError, type Flag } from '@hnswlab/lab-kit';
import { BOUNDARIES, type Boundary, type Metric } from '@hnswlab/core';
import { DEFAULT_CELL } from '@hnswlab/harness';
import type { Attribution, CellPhase } from './attribution.js';
import { diffAttributions, formatDiff } from './diff-attributions.js';
import { TOOLS, type Tool } from './profilers.js';
import { runFlame } from './run-flame.js';

const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['run [options]', 'profile one bench cell and attribute its time to phases and frames'],
  ['diff A B [--top N] [--json]', 'compare two attributions (attribution.json files or run folders)'],
];

/** The flags of `run`, described once: parsing and the help both come from here. */
const RUN_FLAGS = [
  { name: 'kernel', arg: 'NAME', help: `${KERNEL_NAMES.join(' | ')} or a module specifier`, default: 'js' },
  { name: 'strategy', arg: 'NAME', help: 'a registered insert strategy', default: 'batched' },
  { name: 'boundary', arg: 'NAME', help: `${BOUNDARIES.join(' | ')} (default: the kernel's own)` },
  { name: 'dataset', arg: 'NAME', help: `a bench dataset id (default ${DEFAULT_CELL.dataset})` },
  { name: 'dim', arg: 'N', help: `dimensions of synthetic data (default ${DEFAULT_CELL.dim})` },
  { name: 'n', arg: 'N', help: `base vectors (default ${DEFAULT_CELL.n})` },
  { name: 'tool', arg: 'NAME', help: TOOLS.join(' | '), default: 'cpuprofile' },
  { name: 'phase', arg: 'NAME', help: 'build | search', default: 'build' },
  { name: 'out', arg: 'DIR', help: 'where the profiles and attribution go' },
  { name: 'metric', arg: 'NAME', help: `the metric (default ${DEFAULT_CELL.metric})` },
  { name: 'M', arg: 'N', help: 'links per node' },
  { name: 'ef-construction', arg: 'N', help: 'build beam width' },
  { name: 'ef', arg: 'LIST', help: 'search sweep, e.g. 10,40' },
  { name: 'queries', arg: 'N', help: 'queries per data set' },
  { name: 'threads', arg: 'N', help: 'worker threads for threaded strategies' },
  { name: 'seed', arg: 'N', help: 'data, query and level seed' },
  { name: 'repeat', arg: 'N', help: 'timed builds' },
  { name: 'inlining', help: 'keep V8 inlining (default: off, so frames keep their names)' },
  { name: 'interval-us', arg: 'N', help: 'sampling interval in microseconds (default 250)' },
  { name: 'top', arg: 'N', help: 'rows of the table (default 20)' },
  { name: 'strict', help: "exit 1 when the phase shares miss the core's timers by over ±5 pp" },
  HELP_FLAG,
] as const satisfies readonly Flag[];

const DIFF_FLAGS = [
  { name: 'top', arg: 'N', help: 'rows of the diff', default: '15' },
  { name: 'json', help: 'the diff as JSON' },
  HELP_FLAG,
] as const satisfies readonly Flag[];

const USAGE = formatHelp(
  'hnswlab-flame <command> [options]',
  [
    { title: 'commands', rows: COMMANDS },
    { title: 'run options', rows: flagRows(RUN_FLAGS) },
    { title: 'diff options', rows: flagRows(DIFF_FLAGS) },
  ],
  'Exit status: 0 done, 1 --strict and the shares disagree, 2 a usage error.',
);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'run') return runCommand(rest);
  if (command === 'diff') return diffCommand(rest);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown command '${command}' (known: run, diff)`);
}

async function runCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, RUN_FLAGS);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const tool = values.tool as Tool;
  if (!TOOLS.includes(tool)) throw new UsageError(`--tool must be one of ${TOOLS.join(', ')}, got '${values.tool}'`);
  const phase = values.phase as CellPhase;
  if (phase !== 'build' && phase !== 'search') throw new UsageError(`--phase must be build or search, got '${values.phase}'`);
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isInteger(x)) throw new UsageError(`--${name} must be an integer, got '${v}'`);
    return x;
  };
  const spec = {
    kernel: values.kernel,
    strategy: values.strategy,
    ...(values.boundary !== undefined && { boundary: boundary(values.boundary) }),
    ...(values.dataset !== undefined && { dataset: values.dataset }),
    ...(values.dim !== undefined && { dim: int('dim', values.dim) }),
    ...(values.n !== undefined && { n: int('n', values.n) }),
    ...(values.metric !== undefined && { metric: values.metric as Metric }),
    ...(values.M !== undefined && { M: int('M', values.M) }),
    ...(values['ef-construction'] !== undefined && { efConstruction: int('ef-construction', values['ef-construction']) }),
    ...(values.ef !== undefined && { ef: values.ef.split(',').map((s) => int('ef', s.trim())!) }),
    ...(values.queries !== undefined && { queries: int('queries', values.queries) }),
    ...(values.threads !== undefined && { threads: int('threads', values.threads) }),
    ...(values.seed !== undefined && { seed: int('seed', values.seed) }),
    ...(values.repeat !== undefined && { repeat: int('repeat', values.repeat) }),
  };
  const result = await runFlame({
    spec,
    tool,
    phase,
    outDir: values.out,
    inlining: values.inlining,
    intervalUs: int('interval-us', values['interval-us']),
    top: int('top', values.top),
  });
  console.log(result.table);
  console.log('');
  console.log(`written to ${result.outDir}:`);
  console.log(`  flamegraph       ${result.files.flamegraph ?? '(none)'}`);
  console.log(`  phase flamegraph ${result.files.phaseFlamegraph}`);
  console.log(`  attribution      ${result.files.attribution}`);
  console.log(`  raw profile(s)   ${result.files.profiles.join(', ')}`);
  const g = result.attribution.agreement;
  if (g && !g.ok) {
    console.log(
      `warning: the profile's phase shares differ from the core's timers by ${g.maxDeltaPp.toFixed(1)} pp (over ±${g.tolerancePp}): a busy machine or a cell too small to sample well; run it again or larger`,
    );
    if (values.strict) return 1;
  }
  return 0;
}

function boundary(value: string): Boundary {
  if (!BOUNDARIES.includes(value as Boundary)) throw new UsageError(`--boundary must be one of ${BOUNDARIES.join(', ')}, got '${value}'`);
  return value as Boundary;
}

function readAttribution(path: string): Attribution {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'attribution.json') : path;
  const a = JSON.parse(readFileSync(file, 'utf8')) as Attribution;
  if (typeof a.schema !== 'string' || !a.schema.startsWith('hnswlab-flame/attribution@'))
    throw new Error(`${file} is not an hnswlab-flame attribution.json`);
  return a;
}

function diffCommand(args: string[]): number {
  const { values, positionals } = parseFlags(args, DIFF_FLAGS, true);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('usage: hnswlab-flame diff A B [--top N] [--json]');
  const [a, b] = positionals;
  const before = readAttribution(a),
    after = readAttribution(b);
  const label = (x: Attribution, path: string) => `${x.cell?.id ?? path} [${x.phase}, ${x.tool}, inlining ${x.method.inlining}]`;
  const d = diffAttributions(before, after, label(before, a), label(after, b));
  console.log(values.json ? JSON.stringify(d, null, 2) : formatDiff(d, Number(values.top)));
  return 0;
}

// exitCode, not exit (as before): output still being written finishes first.
runCli('hnswlab-flame', () => main(process.argv.slice(2)), { exit: false });
