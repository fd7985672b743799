import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearPreparedData, prepareData, SEARCH_PASSES } from '@hnswlab/harness';
import type { ChildRequest, ChildResult } from './instruction-child.js';
import type { InstructionCell, InstructionFigure } from './instruction-cells.js';
import { findValgrind, readCallgrindParts, REPEATABLE_NODE_FLAGS, valgrindArgs, valgrindIsaLevel, type ValgrindTool } from './valgrind.js';

/**
 * What decides whether two instruction counts can be compared: the same node (V8 and its code
 * generator), the same valgrind, the same C library (memcpy, memset and malloc run inside the counts)
 * and the same ISA level as valgrind presents it. Another value of any of these is another baseline.
 */
export interface InstructionEnvironment {
  node: string;
  v8: string;
  valgrind: string;
  glibc: string;
  arch: string;
  isa: string;
}

/** One cell's counts, or why it has none. */
export interface InstructionMeasurement {
  cell: InstructionCell;
  /** The code path that ran (`js`, `wasm-simd128`, `native-avx2`): another path is another baseline. */
  kernelName: string | null;
  status: 'ok' | 'unavailable' | 'failed' | 'no-valgrind';
  reason?: string;
  figures?: Partial<Record<InstructionFigure, number>>;
  /** Instructions of each counted phase: the build (n inserts) and the search (queries × passes). */
  phases?: { build: number; search?: number };
  /** Whether the run had address-space randomisation off (setarch -R); with it on, counts spread a little more. */
  aslrOff?: boolean;
  seconds: number;
}

export interface InstructionSuiteOptions {
  cells: readonly InstructionCell[];
  /** The valgrind command (default `valgrind` on PATH). */
  valgrind?: string;
  /** Cells run at once (valgrind is single-threaded; counts do not depend on this). */
  jobs?: number;
  log?: (line: string) => void;
}

export interface InstructionSuiteRun {
  measurements: InstructionMeasurement[];
  environment: InstructionEnvironment | null;
  /** Set when valgrind is missing: every measurement is then `no-valgrind` with this reason. */
  reason?: string;
}

const CHILD = fileURLToPath(new URL('./instruction-child.js', import.meta.url));

/** The environment of this process as the instruction suite keys it (valgrind's version from `tool`). */
export function instructionEnvironment(tool: ValgrindTool): InstructionEnvironment {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return {
    node: process.version,
    v8: process.versions.v8,
    valgrind: tool.version,
    glibc: header?.glibcVersionRuntime ?? 'none',
    arch: process.arch,
    isa: valgrindIsaLevel(),
  };
}

/** Run every cell under callgrind, `jobs` at a time; never throws for a cell (see each status). */
export async function runInstructionSuite(options: InstructionSuiteOptions): Promise<InstructionSuiteRun> {
  const log = options.log ?? (() => {});
  const found = findValgrind(options.valgrind);
  if (!found.tool) {
    return {
      environment: null,
      reason: found.reason,
      measurements: options.cells.map((cell) => ({ cell, kernelName: null, status: 'no-valgrind', reason: found.reason, seconds: 0 })),
    };
  }
  const tool = found.tool;
  if (tool.noAslr.length === 0) log('instructions: setarch -R is refused here; counting with address-space randomisation on');
  const cache = mkdtempSync(join(tmpdir(), 'hnswlab-ir-cache-'));
  try {
    await prepareGroundTruth(options.cells, cache);
    const measurements: InstructionMeasurement[] = new Array(options.cells.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < options.cells.length; i = next++) {
        measurements[i] = await measureCell(options.cells[i], tool, cache);
        const m = measurements[i];
        const what = m.figures
          ? Object.entries(m.figures)
              .map(([k, v]) => `${k} ${v.toFixed(0)}`)
              .join(', ')
          : m.reason;
        log(`instructions ${m.cell.id} (${m.kernelName ?? '?'}): ${m.status}, ${what} (${m.seconds.toFixed(0)} s)`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 1, options.cells.length)) }, worker));
    return { measurements, environment: instructionEnvironment(tool) };
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * Compute each cell's ground truth here, into `cache`, before any child runs: every child then reads
 * it from there and loads no kernel but its own. Computed in the child, ground truth would load the
 * fastest kernel available (native where it builds), and a js cell's search would run with the core's
 * call sites already fed a native probe: its count moved 0.4% with that, between a machine where the
 * native kernel loads and one where it does not.
 */
async function prepareGroundTruth(cells: readonly InstructionCell[], cache: string): Promise<void> {
  const saved = process.env.HNSWLAB_CACHE;
  process.env.HNSWLAB_CACHE = cache;
  try {
    // Forget what this process prepared before, so the files land in `cache`.
    clearPreparedData();
    const seen = new Set<string>();
    for (const { spec } of cells) {
      const key = JSON.stringify([spec.dataset, spec.n, spec.dim, spec.queries, spec.seed, spec.metric, spec.k]);
      if (seen.has(key)) continue;
      seen.add(key);
      await prepareData(spec);
    }
  } finally {
    clearPreparedData();
    if (saved === undefined) delete process.env.HNSWLAB_CACHE;
    else process.env.HNSWLAB_CACHE = saved;
  }
}

async function measureCell(cell: InstructionCell, tool: ValgrindTool, cache: string): Promise<InstructionMeasurement> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'hnswlab-ir-'));
  const base = { cell, kernelName: null, aslrOff: tool.noAslr.length > 0 };
  const done = (rest: Partial<InstructionMeasurement> & Pick<InstructionMeasurement, 'status'>): InstructionMeasurement => ({
    ...base,
    ...rest,
    seconds: (performance.now() - t0) / 1000,
  });
  try {
    const request: ChildRequest = { spec: cell.spec, buildOnly: !cell.search, out: join(dir, 'result.json') };
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const cg = join(dir, 'callgrind.out');
    const argv = [
      ...tool.noAslr,
      tool.command,
      ...valgrindArgs(cg),
      process.execPath,
      ...REPEATABLE_NODE_FLAGS.map((f) => f.flag),
      CHILD,
      join(dir, 'request.json'),
    ];
    // The suite's cache, holding the ground truth prepared above: every run reads it, none computes it.
    const { code, stderr } = await run(argv, { ...process.env, HNSWLAB_CACHE: cache });
    if (!existsSync(request.out)) {
      return done({ status: 'failed', reason: `the cell under valgrind exited ${code} without a result: ${tail(stderr)}` });
    }
    const result = JSON.parse(readFileSync(request.out, 'utf8')) as ChildResult;
    if (result.status !== 'ok') return done({ status: result.status, kernelName: result.kernelName ?? null, reason: result.reason });
    const parts = readCallgrindParts(cg);
    if (parts.length !== result.marks.length + 1) {
      return done({
        status: 'failed',
        kernelName: result.kernelName ?? null,
        reason: `callgrind cut the run into ${parts.length} parts at ${result.marks.length} marks (${result.marks.join(', ')}): something else called the mark function`,
      });
    }
    // parts[i] runs from mark i−1 (or the start) to mark i.
    const between = (from: string, to: string) => {
      const a = result.marks.indexOf(from);
      const b = result.marks.indexOf(to);
      if (a < 0 || b <= a) throw new Error(`marks ${from} → ${to} missing from ${result.marks.join(', ')}`);
      return parts.slice(a + 1, b + 1).reduce((s, x) => s + x, 0);
    };
    // A phase runs from its mark to the `end:` mark of the next boundary (the collection between is in neither).
    const build = between('build1', 'end:build2');
    const figures: Partial<Record<InstructionFigure, number>> = { instructionsPerInsert: round(build / cell.spec.n) };
    let search: number | undefined;
    if (cell.search) {
      search = between('search', 'end:done');
      figures.instructionsPerQuery = round(search / (cell.spec.queries * (1 + SEARCH_PASSES)));
    }
    return done({ status: 'ok', kernelName: result.kernelName ?? null, figures, phases: { build, search } });
  } catch (err) {
    return done({ status: 'failed', reason: (err as Error).message });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (v: number) => Math.round(v * 10) / 10;

function tail(text: string): string {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() && !/^==\d+==/.test(l))
    .slice(-6);
  return lines.join(' | ').slice(-1500) || '(no output)';
}

function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
