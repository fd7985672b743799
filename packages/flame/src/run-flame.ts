import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHASE_FUNCTIONS, type Phase } from '@hnswlab/core';
import { buildTitle, loadKernel, normalizeCellSpec, type CellResult, type CellSpec } from '@hnswlab/harness';
import { attributeProfiles } from './attribute-profile.js';
import { PHASES, type Agreement, type Attribution, type AttributionMethod, type CellPhase, type CellSummary } from './attribution.js';
import { readCpuProfile } from './cpu-profile.js';
import { flamegraphHtml } from './flamegraph-html.js';
import { formatAttribution } from './format-attribution.js';
import { toolAvailable, toolCommand, type Tool } from './profilers.js';
import { wasmNamesFromFiles } from './wasm-names.js';

// Line breaks and terminal escape sequences (ESC [ n letter) in a child's output.
// eslint-disable-next-line no-control-regex
const ANSI_OR_NEWLINE = /\r?\n|\r|\u001b\[\d*[A-Za-z]/;

/** Largest accepted gap between the profile's phase shares and the core's timers, percentage points. */
export const AGREEMENT_TOLERANCE_PP = 5;

export interface FlameRunOptions {
  /** The cell, as the matrix spells it; `repeat` defaults to 1 (one build profiled). */
  spec: Partial<CellSpec> & Pick<CellSpec, 'kernel' | 'strategy'>;
  tool?: Tool;
  phase?: CellPhase;
  /** Output folder of this run; default flame-out/<time>-<kernel>-<strategy>-d<dim>-n<n>-<tool>-<phase>. */
  outDir?: string;
  /** Keep V8's inlining on (the flamegraph as production runs it; self time of inlined callees lands on callers). Default false. */
  inlining?: boolean;
  /** Sampling interval, microseconds. Default 250. */
  intervalUs?: number;
  /** Rows of the printed function table. Default 20. */
  top?: number;
  /** Progress lines and the child's output. Default: stderr. */
  log?: (line: string) => void;
}

export interface FlameRunResult {
  outDir: string;
  attribution: Attribution;
  /** The printed table (also in attribution.txt). */
  table: string;
  files: { attribution: string; table: string; cellResult: string; profiles: string[]; flamegraph: string | null; phaseFlamegraph: string };
  cell: CellResult;
}

const childScript = fileURLToPath(new URL('./cell-child.js', import.meta.url));

/**
 * Run one bench cell in a child process under a profiler, then attribute its V8 CPU profile to
 * functions and phases and compare the phase shares with the core's timers from the same run.
 * Writes into one folder: the tool's flamegraph HTML, the raw profiles, a phase-coloured flamegraph,
 * cell-result.json, attribution.json and attribution.txt.
 */
export async function runFlame(options: FlameRunOptions): Promise<FlameRunResult> {
  const tool = options.tool ?? 'cpuprofile';
  const phase = options.phase ?? 'build';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const spec = normalizeCellSpec({ repeat: 1, ...options.spec });
  const missing = toolAvailable(tool);
  if (missing) throw new Error(missing);
  try {
    await loadKernel(spec.kernel);
  } catch (err) {
    throw new Error(`kernel '${spec.kernel}' cannot be profiled here: ${(err as Error).message}`, { cause: err });
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const outDir = resolve(
    options.outDir ??
      join(
        'flame-out',
        `${stamp}-${spec.kernel.replace(/[^\w-]+/g, '_')}-${spec.strategy}${spec.boundary ? `-${spec.boundary}` : ''}-d${spec.dim}-n${spec.n}-${tool}-${phase}`,
      ),
  );
  mkdirSync(outDir, { recursive: true });
  const specPath = join(outDir, 'spec.json');
  const cellPath = join(outDir, 'cell-result.json');
  writeFileSync(specPath, JSON.stringify(spec, null, 2));

  const intervalUs = options.intervalUs ?? 250;
  const profileDir = join(outDir, 'profile');
  const inliningFlags = options.inlining ? [] : ['--no-turbo-inlining'];
  const nodeFlags = [...inliningFlags, '--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-interval=${intervalUs}`];
  const method: AttributionMethod = {
    inlining: options.inlining ? 'enabled' : 'disabled',
    nodeFlags,
    intervalUs,
    description: options.inlining
      ? `inlining ON (as in production): self time of inlined callees (distance loops, heap ops) lands on their callers; see the 'inlined' column; sampled every ${intervalUs} µs`
      : `inlining OFF (--no-turbo-inlining): every call is its own frame, so distance and heap time is not hidden in callers; sampled every ${intervalUs} µs`,
  };
  const what = `${buildTitle(spec)} ${spec.dataset} n=${spec.n} d=${spec.dim}`;
  // A search profile needs a built index, not a build: the harness's index cache supplies one when it can.
  const childFlags = phase === 'search' ? ['--index-cache'] : [];
  const inliningNote = method.inlining === 'disabled' ? '--no-turbo-inlining' : 'inlining on';
  let toolDir: string | null = null;
  let toolCommandLine: string | null = null;
  if (tool !== 'cpuprofile') {
    // V8 stops writing the --prof tick log (what 0x and clinic read) while its CPU profiler runs, so the
    // tool gets a run of its own, with the same V8 flags, and attribution a second run under --cpu-prof.
    const toolCellPath = join(outDir, `${tool}-cell-result.json`);
    const command = toolCommand(tool, outDir, inliningFlags, childScript, [specPath, toolCellPath, ...childFlags]);
    log(`hnswlab-flame: [1/2] ${what} under ${tool} (${inliningNote}) for its flamegraph -> ${relative(process.cwd(), outDir) || '.'}`);
    const code = await run(command.argv, command.env, log);
    if (!existsSync(toolCellPath)) throw new Error(`the cell under ${tool} wrote no result (exit code ${code}); see the output above`);
    toolDir = command.toolDir;
    toolCommandLine = commandLine(command.argv);
  }
  const command = toolCommand('cpuprofile', outDir, nodeFlags, childScript, [specPath, cellPath, ...childFlags]);
  log(
    `hnswlab-flame: ${tool === 'cpuprofile' ? '' : '[2/2] '}${what} under --cpu-prof (${inliningNote}) for attribution -> ${relative(process.cwd(), outDir) || '.'}`,
  );
  const code = await run(command.argv, command.env, log);
  if (!existsSync(cellPath)) throw new Error(`the profiled cell wrote no result (exit code ${code}); see the output above`);
  const { result: cell, kernelModule } = JSON.parse(readFileSync(cellPath, 'utf8')) as { result: CellResult; kernelModule: string | null };
  if (cell.status !== 'ok') throw new Error(`the cell did not run: ${cell.status}: ${cell.reason ?? ''}`);

  const profileFiles = existsSync(profileDir)
    ? readdirSync(profileDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
        .map((f) => join(profileDir, f))
    : [];
  if (profileFiles.length === 0) throw new Error(`no CPU profile was written to ${profileDir}`);
  const profiles = profileFiles.map((file) => ({ file: relative(outDir, file), profile: readCpuProfile(file) }));

  const units =
    phase === 'build'
      ? spec.n * spec.repeat
      : (cell.search ?? []).reduce((s, p) => s + p.passes * (cell.dataset?.queries ?? spec.queries), 0);
  const wasmNames = kernelWasmNames(kernelModule);
  // A fused insert is one call whose inside a profile may not see (the native addon): its time is split
  // by the kernel's own phase timers, which the core's counters hold (navigation, neighbour search,
  // connection management are all the kernel's at this boundary).
  const fusedInsertShares = cell.boundary === 'insert' && cell.build?.phaseSeconds ? kernelPhases(cell.build.phaseSeconds) : undefined;
  const attribution = attributeProfiles(profiles, { phase, method, units, tool, wasmNames, fusedInsertShares });
  attribution.cell = summarise(cell);
  attribution.command = commandLine(command.argv);
  attribution.toolCommand = toolCommandLine;
  if (phase === 'build' && cell.build?.phaseShares) {
    attribution.coreTimers = cell.build.phaseShares;
    attribution.agreement = agreement(attribution.timerView.shares, cell.build.phaseShares);
  }

  const flamegraph = toolDir ? findToolHtml(tool, toolDir) : null;
  if (tool !== 'cpuprofile' && !flamegraph) log(`hnswlab-flame: ${tool} wrote no flamegraph HTML under ${toolDir}`);
  const phaseFlamegraph = join(outDir, 'phase-flamegraph.html');
  writeFileSync(
    phaseFlamegraph,
    flamegraphHtml(profiles, `hnswlab-flame: ${cell.id} (${method.inlining === 'disabled' ? '--no-turbo-inlining' : 'inlining on'})`, {
      phaseFunctions: PHASE_FUNCTIONS,
      wasmNames,
    }),
  );
  let flamegraphPath: string | null = null;
  if (flamegraph) {
    flamegraphPath = join(outDir, 'flamegraph.html');
    copyFileSync(flamegraph, flamegraphPath);
  } else if (tool === 'cpuprofile') {
    flamegraphPath = phaseFlamegraph;
  }
  const table = formatAttribution(attribution, options.top ?? 20);
  const attributionPath = join(outDir, 'attribution.json');
  const tablePath = join(outDir, 'attribution.txt');
  writeFileSync(attributionPath, JSON.stringify(attribution, null, 2));
  writeFileSync(tablePath, `${table}\n`);
  return {
    outDir,
    attribution,
    table,
    cell,
    files: {
      attribution: attributionPath,
      table: tablePath,
      cellResult: cellPath,
      profiles: profileFiles,
      flamegraph: flamegraphPath,
      phaseFlamegraph,
    },
  };
}

/** Per-phase differences in percentage points, and whether all are within the tolerance. */
export function agreement(profile: Record<Phase, number>, timers: Record<Phase, number>, tolerancePp = AGREEMENT_TOLERANCE_PP): Agreement {
  const deltasPp = {} as Record<Phase, number>;
  let maxDeltaPp = 0;
  for (const p of PHASES) {
    deltasPp[p] = 100 * (profile[p] - timers[p]);
    maxDeltaPp = Math.max(maxDeltaPp, Math.abs(deltasPp[p]));
  }
  return { maxDeltaPp, deltasPp, tolerancePp, ok: maxDeltaPp <= tolerancePp };
}

function summarise(cell: CellResult): CellSummary {
  return {
    id: cell.id,
    kernelName: cell.kernelName ?? null,
    spec: { ...cell.spec },
    buildSeconds: cell.build?.seconds ?? null,
    vectorsPerSecond: cell.build?.vectorsPerSecond ?? null,
    distanceEvalsPerInsert: cell.build?.distanceEvalsPerInsert ?? null,
    phaseShares: cell.build?.phaseShares ?? null,
  };
}

/** The phases a fused insert times inside the kernel (storage is the core's, in JavaScript). */
function kernelPhases(seconds: Record<Phase, number>): Partial<Record<Phase, number>> {
  return { navigation: seconds.navigation, neighborSearch: seconds.neighborSearch, connectionManagement: seconds.connectionManagement };
}

/** Names of the wasm functions of the kernel's package (the .wasm files beside its entry module), if it ships any. */
function kernelWasmNames(kernelModule: string | null): Map<number, string> | undefined {
  if (!kernelModule?.startsWith('file:')) return undefined;
  const dir = dirname(fileURLToPath(kernelModule));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => join(dir, f));
  try {
    return wasmNamesFromFiles(files);
  } catch {
    return undefined;
  }
}

const commandLine = (argv: readonly string[]) => argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');

function findToolHtml(tool: Tool, toolDir: string): string | null {
  if (!existsSync(toolDir)) return null;
  const name =
    tool === '0x'
      ? readdirSync(toolDir).find((f) => f === 'flamegraph.html')
      : readdirSync(toolDir).find((f) => f.endsWith('.clinic-flame.html'));
  return name ? join(toolDir, name) : null;
}

function run(argv: string[], env: Record<string, string>, log: (line: string) => void): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    // No terminal for the tools: stdin closed, output piped through the logger, so nothing waits for a key or opens a browser.
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split(ANSI_OR_NEWLINE)) if (line.trim()) log(`  | ${line.trim()}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}
