import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { machine } from 'node:os';

/**
 * Valgrind as the instruction suite runs it: the command, its version, and the prefix that turns off
 * address-space randomisation for it (empty where `setarch -R` is refused, e.g. a container whose
 * seccomp profile forbids personality(ADDR_NO_RANDOMIZE)).
 */
export interface ValgrindTool {
  command: string;
  /** e.g. `valgrind-3.19.0`. */
  version: string;
  /** `['setarch', 'x86_64', '-R']`, or [] where that cannot run. */
  noAslr: string[];
}

/** Valgrind, or why the instruction suite cannot run here (its figures are then `unknown`, never `pass`). */
export function findValgrind(command = 'valgrind'): { tool: ValgrindTool; reason?: undefined } | { tool?: undefined; reason: string } {
  const v = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) {
    const why = v.error ? ((v.error as NodeJS.ErrnoException).code ?? v.error.message) : `exit ${v.status}`;
    return {
      reason: `valgrind is not installed (${command} --version: ${why}); install it (apt-get install -y valgrind) to count instructions`,
    };
  }
  const setarch = ['setarch', machine(), '-R'];
  const probe = spawnSync(setarch[0], [...setarch.slice(1), 'true'], { encoding: 'utf8' });
  return { tool: { command, version: v.stdout.trim(), noAslr: probe.status === 0 ? setarch : [] } };
}

/**
 * The node flags that make a run repeat its instruction count, each with the reason it is there.
 * Measured on this repository's cells: without them two runs of one cell differ by up to 0.1% (Sparkplug,
 * Liftoff tier-up, GC timing); with them, `setarch -R` and a forced collection at each phase boundary,
 * by tens to a few hundred parts per million.
 */
export const REPEATABLE_NODE_FLAGS: readonly { flag: string; why: string }[] = [
  {
    flag: '--predictable',
    why: 'V8 without background threads or timers: no concurrent compiler or marker, no memory reducer, no idle-time GC',
  },
  {
    flag: '--single-threaded',
    why: 'implied by --predictable, spelled out: the compiler and the collector run on the main thread, at points set by the program',
  },
  { flag: '--hash-seed=1', why: 'string hashes fixed: dictionaries, Maps and Sets lay out and collide the same way every run' },
  { flag: '--random-seed=1', why: "Math.random and V8's own generator (heap address hints) draw the same numbers every run" },
  {
    flag: '--predictable-gc-schedule',
    why: 'fixed heap sizes and growing factors: collections come at the same allocation points, not when a timer or the measured GC speed says',
  },
  {
    flag: '--no-sparkplug',
    why: 'Sparkplug batch compilation fired at points that varied between runs (measured ±300 ppm of a cell with it, ±30 ppm without); optimised code, what the figures are about, is unaffected',
  },
  {
    flag: '--no-liftoff',
    why: 'WebAssembly compiled by TurboFan up front: Liftoff code tiered up at points that varied (a wasm cell moved 0.1% between runs with it, 70 ppm without); hot wasm runs TurboFan code either way',
  },
];

/**
 * The native function the child calls (through `os.getPriority`) to mark a phase boundary; callgrind
 * dumps its counters before every call of it, so one process yields one count per phase. Node calls
 * it nowhere else; the child checks that the number of dumps equals the number of marks.
 */
export const MARK_FUNCTION = 'uv_os_getpriority';

/**
 * Callgrind rather than cachegrind: valgrind 3.19's cachegrind cannot split a run (client requests
 * to start and stop counting arrived in 3.22, and JavaScript cannot issue them anyway), while
 * callgrind's `--dump-before` gives a count per phase from a function call the child makes at each
 * boundary. No cache simulation (callgrind's default): instruction counts only.
 */
export function valgrindArgs(outFile: string): string[] {
  return ['--tool=callgrind', `--dump-before=${MARK_FUNCTION}`, '--dump-instr=no', '--dump-line=no', `--callgrind-out-file=${outFile}`];
}

/**
 * The instructions of each part of a callgrind run split by `--dump-before`: element i counts from
 * the (i−1)-th mark (or the start) to the i-th; the last element counts from the last mark to the exit.
 */
export function readCallgrindParts(outFile: string): number[] {
  const parts: number[] = [];
  for (let i = 1; existsSync(`${outFile}.${i}`); i++) parts.push(summaryOf(`${outFile}.${i}`));
  if (existsSync(outFile)) parts.push(summaryOf(outFile));
  return parts;
}

function summaryOf(file: string): number {
  const m = /^(?:summary|totals):\s*(\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${file}: no summary line (is it a callgrind output file?)`);
  return Number(m[1]);
}

/**
 * The ISA level valgrind presents to the program: valgrind on amd64 answers CPUID with one of a few
 * canned CPUs picked by what the host can do, and has no AVX-512, so V8's and glibc's code choices
 * under it depend on this level only, not on the host's model.
 */
export function valgrindIsaLevel(cpuinfo = readCpuinfo()): string {
  if (process.arch !== 'x64') return process.arch;
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '').split(/\s+/));
  const has = (...f: string[]) => f.every((x) => flags.has(x));
  // /proc/cpuinfo calls LZCNT `abm`.
  if (has('avx2', 'bmi1', 'bmi2', 'fma', 'abm', 'movbe')) return 'x86-64-v3';
  if (has('avx')) return 'x86-64-avx';
  if (has('sse4_2', 'popcnt', 'ssse3')) return 'x86-64-v2';
  return 'x86-64';
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}
