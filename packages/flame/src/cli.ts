#!/usr/bin/env node
// hnswlab-flame: `run` profiles one bench cell and attributes it; `diff` compares two attributions.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BOUNDARIES, type Boundary, type Metric } from '@hnswlab/core';
import type { Attribution, CellPhase } from './attribution.js';
import { diffAttributions, formatDiff } from './diff-attributions.js';
import { TOOLS, type Tool } from './profilers.js';
import { runFlame } from './run-flame.js';

const USAGE = `usage:
  hnswlab-flame run [--kernel js] [--strategy batched] [--boundary pair|node|layer|insert] [--dataset clustered] [--dim 128] [--n 10000]
                    [--tool cpuprofile|0x|clinic] [--phase build|search] [--out DIR]
                    [--metric l2] [--M 16] [--ef-construction 200] [--ef 10,40] [--queries 200]
                    [--threads 2] [--seed 42] [--repeat 1] [--inlining] [--interval-us 250] [--top 20]
                    [--strict]  (exit 1 when the phase shares miss the core's timers by over ±5 pp)
  hnswlab-flame diff A B [--top 15] [--json]     (A, B: attribution.json files or run folders)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'run') return runCommand(rest);
  if (command === 'diff') return diffCommand(rest);
  console.error(command === undefined || command === '--help' || command === '-h' ? USAGE : `unknown command '${command}'\n${USAGE}`);
  return command === '--help' || command === '-h' ? 0 : 2;
}

async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kernel: { type: 'string', default: 'js' },
      strategy: { type: 'string', default: 'batched' },
      boundary: { type: 'string' },
      dataset: { type: 'string' },
      dim: { type: 'string' },
      n: { type: 'string' },
      tool: { type: 'string', default: 'cpuprofile' },
      phase: { type: 'string', default: 'build' },
      out: { type: 'string' },
      metric: { type: 'string' },
      M: { type: 'string' },
      'ef-construction': { type: 'string' },
      ef: { type: 'string' },
      queries: { type: 'string' },
      threads: { type: 'string' },
      seed: { type: 'string' },
      repeat: { type: 'string' },
      inlining: { type: 'boolean', default: false },
      'interval-us': { type: 'string' },
      top: { type: 'string' },
      strict: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const tool = values.tool as Tool;
  if (!TOOLS.includes(tool)) throw new RangeError(`--tool must be one of ${TOOLS.join(', ')}, got '${values.tool}'`);
  const phase = values.phase as CellPhase;
  if (phase !== 'build' && phase !== 'search') throw new RangeError(`--phase must be build or search, got '${values.phase}'`);
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isInteger(x)) throw new RangeError(`--${name} must be an integer, got '${v}'`);
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
  if (!BOUNDARIES.includes(value as Boundary)) throw new RangeError(`--boundary must be one of ${BOUNDARIES.join(', ')}, got '${value}'`);
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
  const { values, positionals } = parseArgs({
    args,
    options: { top: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const [a, b] = positionals;
  const before = readAttribution(a),
    after = readAttribution(b);
  const label = (x: Attribution, path: string) => `${x.cell?.id ?? path} [${x.phase}, ${x.tool}, inlining ${x.method.inlining}]`;
  const d = diffAttributions(before, after, label(before, a), label(after, b));
  console.log(values.json ? JSON.stringify(d, null, 2) : formatDiff(d, values.top ? Number(values.top) : 15));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`hnswlab-flame: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
