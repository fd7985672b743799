#!/usr/bin/env node
// The `hnswlab` command: bench, merge, compare, report, headline, help. Only dispatch and I/O live here.
import { mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flagRows, formatHelp, parseFlags, runCli, type Flag } from '@hnswlab/lab-kit';
import { dimCurves, scaleCurves } from './analyze.js';
import { commandLine } from './bench-report.js';
import { compareReports, comparisonMarkdown } from './compare-reports.js';
import { ensureGlove } from './ensure-glove.js';
import { Journal } from './journal.js';
import { mergeReports } from './merge-reports.js';
import { BENCH_FLAGS } from './bench-flags.js';
import { TRACK_FLAGS } from './tracks/track-args.js';
import { headlineMarkdown } from './headline.js';
import { checkStrategyNames } from './load-strategies.js';
import { offlineBlocks } from './offline-blocks.js';
import { parseBenchArgs } from './parse-bench-args.js';
import { PRESETS } from './presets.js';
import { UsageError } from './usage-error.js';
import { readReport } from './read-report.js';
import { runMatrix } from './run-matrix.js';
import { summaryMarkdown } from './summary-markdown.js';
import { writeReports } from './write-reports.js';

/** The commands, for the help text: name with its arguments, and what it does. */
const COMMANDS: ReadonlyArray<[string, string]> = [
  ['bench [options]', 'run a matrix (no options: the default preset, under 5 minutes on 2 cores)'],
  ['merge A.json B.json... [--out DIR]', 'join shard reports into one (bench.json, .md, .html in DIR)'],
  ['compare A.json B.json', 'what changed between two runs, with ratios'],
  ['report A.json [--out DIR]', 're-render the markdown and HTML of a report'],
  ['headline A.json...', 'the headline of each data set, as markdown (CI job summaries)'],
  ['bench-kernels [options]', 'the kernel micro-benchmarks (@hnswlab/kernel-bench; its own --help)'],
  ['help', 'this text'],
];

const OUT_FLAG: Flag[] = [{ name: 'out', arg: 'DIR', help: 'where the reports go (default bench-out)' }];

/** The one help text: usage, commands, bench options (from BENCH_FLAGS), presets (from PRESETS). */
function helpText(): string {
  return formatHelp(
    'hnswlab <command> [options]: the hnswlab benchmark harness',
    [
      { title: 'commands', rows: COMMANDS },
      { title: 'bench options', rows: flagRows([...BENCH_FLAGS, ...TRACK_FLAGS]) },
      { title: 'presets', rows: Object.entries(PRESETS).map(([n, p]) => [n, p.description] as const) },
    ],
    `Reports: DIR/bench.json (schema: packages/harness/SCHEMA.md), DIR/bench.md (also on stdout), DIR/bench.html.
Caches (ground truth, GloVe, ann-benchmarks files in ann/, built indexes in index/): $HNSWLAB_CACHE or ~/.cache/hnswlab.
Exit status: 0 done, 1 a cell failed, 2 a usage error (unknown flag, name or file).`,
  );
}

async function bench(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  await checkStrategyNames(args.blocks.flatMap((b) => b.strategies));
  let blocks = args.blocks;
  const notes = [...args.notes];
  if (blocks.some((b) => b.datasets.includes('glove')) || args.tracks.some((t) => t.dataset === 'glove')) {
    const g = ensureGlove(args.install);
    if (!g.ok) {
      process.stderr.write(`${g.reason}\n`);
      // a track on GloVe has no stand-in: it reports itself unavailable with the install command
      blocks = offlineBlocks(blocks, g.reason, notes);
    }
  }
  const progress =
    args.progress === 'none'
      ? null
      : args.progress === 'plain'
        ? { isTTY: false, write: (s: string) => process.stderr.write(s) }
        : process.stderr;
  const name = args.shard ? `bench-shard-${args.shard.index}-of-${args.shard.count}` : 'bench';
  const dir = resolve(args.out);
  mkdirSync(dir, { recursive: true });
  const journal = join(dir, `${name}.partial.jsonl`);
  const report = await runMatrix(blocks, {
    preset: args.preset,
    shard: args.shard,
    progress,
    command: commandLine(),
    journal,
    resume: args.resume,
    indexCache: args.indexCache,
    tracks: args.tracks,
    notes,
  });
  const paths = writeReports(report, dir, name);
  new Journal(journal).settle([...report.cells, ...report.peers]); // only now: a failed write above keeps it for --resume
  process.stdout.write(summaryMarkdown(report));
  process.stderr.write(`\nreports: ${paths.json}\n         ${paths.markdown}\n         ${paths.html}\n`);
  const failed = [...report.cells, ...report.peers, ...(report.tracks ?? [])].filter((c) => c.status === 'failed');
  return failed.length ? 1 : 0;
}

function merge(argv: string[]): number {
  const { values, positionals: rest } = parseFlags(argv, OUT_FLAG, true);
  const out = values.out as string | undefined;
  if (rest.length < 1) throw new UsageError('usage: hnswlab merge A.json B.json... [--out DIR]');
  const merged = mergeReports(rest.map(readReport), commandLine());
  const paths = writeReports(merged, resolve(out ?? 'bench-out'));
  process.stdout.write(summaryMarkdown(merged));
  process.stderr.write(`\nmerged ${rest.length} reports: ${paths.json}\n`);
  return 0;
}

function compare(argv: string[]): number {
  const { positionals: rest } = parseFlags(argv, [], true);
  if (rest.length !== 2) throw new UsageError('usage: hnswlab compare A.json B.json');
  process.stdout.write(comparisonMarkdown(compareReports(readReport(rest[0]), readReport(rest[1])), rest[0], rest[1]));
  return 0;
}

function report(argv: string[]): number {
  const { values, positionals: rest } = parseFlags(argv, OUT_FLAG, true);
  const out = values.out as string | undefined;
  if (rest.length !== 1) throw new UsageError('usage: hnswlab report A.json [--out DIR]');
  const stored = readReport(rest[0]);
  // the analysis is derived data: recompute it with this harness's rules
  const all = [...stored.cells, ...stored.peers];
  const r = { ...stored, analysis: { scale: scaleCurves(all), dims: dimCurves(all) } };
  const paths = writeReports(r, resolve(out ?? 'bench-out'));
  process.stdout.write(summaryMarkdown(r));
  process.stderr.write(`\nwrote ${paths.html}\n`);
  return 0;
}

function headline(argv: string[]): number {
  const { positionals: rest } = parseFlags(argv, [], true);
  if (rest.length < 1) throw new UsageError('usage: hnswlab headline A.json...');
  for (const file of rest) process.stdout.write(headlineMarkdown(readReport(file)));
  return 0;
}

// The kernel micro-benchmarks live in @hnswlab/kernel-bench; `hnswlab bench-kernels` forwards to its CLI.
function benchKernels(argv: string[]): number {
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve('@hnswlab/kernel-bench'));
  } catch (err) {
    throw new Error(`bench-kernels needs @hnswlab/kernel-bench (a dependency of the harness): ${(err as Error).message}`, {
      cause: err,
    });
  }
  const r = spawnSync(process.execPath, [join(dirname(entry), 'cli.js'), ...argv], { stdio: 'inherit' });
  return r.status ?? 1;
}

async function main(argv: string[]): Promise<number> {
  // pnpm passes flags straight after the script name, so `hnswlab --preset glove` means bench too.
  const [first, ...rest] = argv;
  switch (first) {
    case undefined:
      return bench([]);
    case 'bench':
      return bench(rest);
    case 'merge':
      return merge(rest);
    case 'compare':
      return compare(rest);
    case 'report':
      return report(rest);
    case 'headline':
      return headline(rest);
    case 'bench-kernels':
      return benchKernels(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(helpText());
      return 0;
    default:
      if (first.startsWith('--')) return bench(argv);
      throw new UsageError(`unknown command '${first}' (known: ${COMMANDS.map(([c]) => c.split(' ')[0]).join(', ')})`);
  }
}

runCli('hnswlab', () => main(process.argv.slice(2)));
