#!/usr/bin/env node
// The `hnswlab` command: bench, merge, compare, report, help. Only dispatch and I/O live here.
import { mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { findWorkspaceEntry } from './import-optional.js';
import { dimCurves, scaleCurves } from './analyze.js';
import { commandLine } from './bench-report.js';
import { compareReports, comparisonMarkdown } from './compare-reports.js';
import { ensureGlove } from './ensure-glove.js';
import { Journal } from './journal.js';
import { mergeReports } from './merge-reports.js';
import { BENCH_FLAGS, parseBenchArgs } from './parse-bench-args.js';
import { PRESETS } from './presets.js';
import { readReport } from './read-report.js';
import { runMatrix } from './run-matrix.js';
import { summaryMarkdown } from './summary-markdown.js';
import { writeReports } from './write-reports.js';

const HELP = `hnswlab: the hnswlab benchmark harness

  hnswlab bench [flags]              run a matrix (no flags: the default preset, under 5 minutes on 2 cores)
  hnswlab merge A.json B.json... [--out DIR]   join shard reports into one (bench.json/.md/.html in DIR)
  hnswlab compare A.json B.json      what changed between two runs, with ratios
  hnswlab report A.json [--out DIR]  re-render the markdown and HTML of a report
  hnswlab bench-kernels [flags]      the kernel micro-benchmarks (@hnswlab/kernel-bench)

bench flags:
${BENCH_FLAGS.map(([f, d]) => `  ${f.padEnd(22)} ${d}`).join('\n')}

presets:
${Object.entries(PRESETS)
  .map(([n, p]) => `  ${n.padEnd(10)} ${p.description}`)
  .join('\n')}

Reports: DIR/bench.json (schema: packages/harness/SCHEMA.md), DIR/bench.md (also on stdout), DIR/bench.html.
Caches (ground truth, GloVe): $HNSWLAB_CACHE or ~/.cache/hnswlab.
`;

function outFlag(args: string[]): { out: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i];
    else if (args[i].startsWith('--out=')) out = args[i].slice(6);
    else if (args[i] !== '--') rest.push(args[i]);
  }
  return { out, rest };
}

async function bench(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  if (args.blocks.some((b) => b.datasets.includes('glove'))) {
    const g = ensureGlove(args.install);
    if (!g.ok) process.stderr.write(`${g.reason}\n`);
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
  const report = await runMatrix(args.blocks, {
    preset: args.preset,
    shard: args.shard,
    progress,
    command: commandLine(),
    journal,
    resume: args.resume,
  });
  const paths = writeReports(report, dir, name);
  new Journal(journal).settle([...report.cells, ...report.peers]); // only now: a failed write above keeps it for --resume
  process.stdout.write(summaryMarkdown(report));
  process.stderr.write(`\nreports: ${paths.json}\n         ${paths.markdown}\n         ${paths.html}\n`);
  const failed = [...report.cells, ...report.peers].filter((c) => c.status === 'failed');
  return failed.length ? 1 : 0;
}

function merge(argv: string[]): number {
  const { out, rest } = outFlag(argv);
  if (rest.length < 1) throw new RangeError('usage: hnswlab merge A.json B.json... [--out DIR]');
  const merged = mergeReports(rest.map(readReport), commandLine());
  const paths = writeReports(merged, resolve(out ?? 'bench-out'));
  process.stdout.write(summaryMarkdown(merged));
  process.stderr.write(`\nmerged ${rest.length} reports: ${paths.json}\n`);
  return 0;
}

function compare(argv: string[]): number {
  const { rest } = outFlag(argv);
  if (rest.length !== 2) throw new RangeError('usage: hnswlab compare A.json B.json');
  process.stdout.write(comparisonMarkdown(compareReports(readReport(rest[0]), readReport(rest[1])), rest[0], rest[1]));
  return 0;
}

function report(argv: string[]): number {
  const { out, rest } = outFlag(argv);
  if (rest.length !== 1) throw new RangeError('usage: hnswlab report A.json [--out DIR]');
  const stored = readReport(rest[0]);
  // the analysis is derived data: recompute it with this harness's rules
  const all = [...stored.cells, ...stored.peers];
  const r = { ...stored, analysis: { scale: scaleCurves(all), dims: dimCurves(all) } };
  const paths = writeReports(r, resolve(out ?? 'bench-out'));
  process.stdout.write(summaryMarkdown(r));
  process.stderr.write(`\nwrote ${paths.html}\n`);
  return 0;
}

// The kernel micro-benchmarks live in @hnswlab/kernel-bench; `hnswlab bench-kernels` forwards to its CLI.
function benchKernels(argv: string[]): number {
  const entry = findWorkspaceEntry('@hnswlab/kernel-bench');
  if (!entry) throw new Error('bench-kernels needs the @hnswlab/kernel-bench package of the workspace');
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
    case 'bench-kernels':
      return benchKernels(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      if (first.startsWith('--')) return bench(argv);
      process.stderr.write(`unknown command '${first}'\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`hnswlab: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
