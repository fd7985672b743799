import type { DistanceKernel, DistanceProbe } from '@hnswlab/core';
import { plantSlowdowns } from '@hnswlab/core/testing';
import { cpuSeconds } from './cpu-clock.js';

/**
 * The deliberate regressions the self-test plants, read from one environment variable that only
 * `hnswlab-gate selftest` sets. They patch the core's real code path (Searcher, Inserter) from the
 * outside, in this process only, and only when the variable is set: with it unset nothing is
 * installed, so the gate and the product pay nothing for them.
 */
export const SLOWDOWN_ENV = 'HNSWLAB_GATE_SELFTEST_SLOWDOWN';

/**
 * - `evals:N`: N extra distance evaluations per expanded node, computed and counted (a search that
 *   re-evaluates a node it already knows): moves the deterministic counters.
 * - `kernel:P`: the kernel does P% more of its work: every ⌈100/P⌉-th distance call runs twice (the
 *   extra one over the same ids, not counted), so the extra work carries its share of call overhead.
 *   Applies to kernels passed through {@link slowKernel}: the timing suite's builds and the
 *   instruction suite's cells.
 * - `insert:P`: inserting takes P% more CPU time (a busy wait on the process's CPU clock, sized every
 *   32 inserts from the CPU time they took).
 * - `scale:N`: the visited set is cleared by a loop over the whole array (N times) on every search
 *   step instead of bumping an epoch: O(n) work per step, the super-linear kind of bug the scale ratio
 *   catches. A plain loop, as such a bug would be written (a `fill` is a memset that hides most of it
 *   from an instruction count at small n).
 * `@target` limits one to arms whose kernel or strategy is `target` (default: every hnswlab arm).
 */
export type SlowdownKind = 'evals' | 'kernel' | 'insert' | 'scale';

export interface Slowdown {
  kind: SlowdownKind;
  amount: number;
  target: string | null;
}

/** What an arm or cell is, for target matching. */
export interface ArmIdentity {
  library: string;
  kernel: string;
  strategy: string;
}

/** Parse e.g. `kernel:15@batched,scale`; throws on anything else, so a typo never silently plants nothing. */
export function parseSlowdown(text: string): Slowdown[] {
  const out: Slowdown[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(evals|kernel|insert|scale)(?::(\d+(?:\.\d+)?))?(?:@([\w.-]+))?$/.exec(part);
    if (!m)
      throw new RangeError(
        `${SLOWDOWN_ENV}: cannot read '${part}' (expected evals:N, kernel:P, insert:P or scale, each optionally @target)`,
      );
    const kind = m[1] as SlowdownKind;
    const amount = m[2] === undefined ? (kind === 'evals' || kind === 'scale' ? 1 : NaN) : Number(m[2]);
    if (!(amount > 0)) throw new RangeError(`${SLOWDOWN_ENV}: '${part}' needs a positive amount`);
    out.push({ kind, amount, target: m[3] ?? null });
  }
  return out;
}

export function describeSlowdown(list: readonly Slowdown[]): string {
  const what: Record<SlowdownKind, (a: number) => string> = {
    evals: (a) => `${a} extra counted distance evaluation(s) per expansion`,
    kernel: (a) => `${a}% more distance computations per kernel call`,
    insert: (a) => `every insert ${a}% slower`,
    scale: (a) => `visited set cleared in O(n) per search step${a > 1 ? ` (${a} passes)` : ''}`,
  };
  return list.map((s) => `${what[s.kind](s.amount)}${s.target ? ` on ${s.target} arms` : ''}`).join('; ');
}

// Live switches the patched methods read; set per arm by enterArm().
const state = { evals: 0, kernelEvery: 0, kernelCalls: 0, insertFraction: 0, scale: 0, sink: 0, inserts: 0, mark: 0 };
let planted: readonly Slowdown[] = [];

/** The slowdowns installed in this process (empty when the variable is unset). */
export function activeSlowdowns(): readonly Slowdown[] {
  return planted;
}

/** Read the variable and, if set, patch the core. Returns what was planted. Idempotent. */
export function installSlowdownFromEnv(env: NodeJS.ProcessEnv = process.env): readonly Slowdown[] {
  const text = env[SLOWDOWN_ENV];
  if (!text || planted.length > 0) return planted;
  planted = parseSlowdown(text);
  enterArm(null);
  return planted;
}

/** Switch the planted slowdowns on for the arm about to run (those whose target matches it), off for the rest. */
export function enterArm(arm: ArmIdentity | null): void {
  state.evals = 0;
  state.kernelEvery = 0;
  state.kernelCalls = 0;
  state.insertFraction = 0;
  state.scale = 0;
  state.inserts = 0;
  state.mark = planted.length ? cpuSeconds() : 0;
  for (const s of planted) {
    const hits =
      arm === null
        ? s.target === null
        : arm.library === 'hnswlab' &&
          (s.target === null || s.target === arm.kernel || s.target === arm.strategy || s.target === 'hnswlab');
    if (!hits) continue;
    if (s.kind === 'evals') state.evals += s.amount;
    else if (s.kind === 'kernel') state.kernelEvery = Math.max(1, Math.round(100 / s.amount));
    else if (s.kind === 'insert') state.insertFraction += s.amount / 100;
    else state.scale += s.amount;
  }
  if (planted.length > 0) patchCore();
}

/** Inserts between two reads of the CPU clock (a read costs ~20 µs; an insert ~50–500 µs). */
const INSERT_BLOCK = 32;

/** After every insert: every INSERT_BLOCK inserts, busy-wait the planted fraction of the CPU time they took. */
function slowInsert(): void {
  if (++state.inserts < INSERT_BLOCK) return;
  state.inserts = 0;
  const t = cpuSeconds();
  const until = t + (t - state.mark) * state.insertFraction;
  while (cpuSeconds() < until) state.sink++;
  state.mark = cpuSeconds();
}

/** Hand the arm's slowdowns to the core's test-only hooks (@hnswlab/core/testing), which patch only what is planted. */
function patchCore(): void {
  plantSlowdowns({ evalsPerExpansion: state.evals, visitedClears: state.scale, afterInsert: state.insertFraction > 0 ? slowInsert : null });
}

/**
 * The kernel as it is; with `kernel:P` planted, the kernel's probe classes are patched in place (once
 * per class, for every metric) so that every ⌈100/P⌉-th distance call of each kind runs once more
 * before the real one (which then overwrites the scratch with the same values): P% more kernel work,
 * call overhead included. Patched on the classes, not wrapped per object: a wrapper per probe made
 * every probe call site polymorphic and cost ~20% more instructions by itself, which would plant far
 * more than P%. Only while an arm the slowdown targets runs (`enterArm`); idle, the patch costs a
 * load and a compare per call.
 */
export function slowKernel(kernel: DistanceKernel): DistanceKernel {
  if (!planted.some((s) => s.kind === 'kernel')) return kernel;
  for (const metric of ['l2', 'ip', 'cosine'] as const) {
    patchProbeClass(kernel.createSpace({ dim: 8, metric, capacity: 1 }).createProbe(1));
  }
  return kernel;
}

const PROBE_METHODS = ['toRows', 'toRow', 'rowToRows', 'firstNearer'] as const;
const patchedProbeMethods = new WeakMap<object, Set<string>>();

function patchProbeClass(probe: DistanceProbe): void {
  for (const name of PROBE_METHODS) {
    let holder: object | null = Object.getPrototypeOf(probe) as object | null;
    while (holder && !Object.prototype.hasOwnProperty.call(holder, name)) holder = Object.getPrototypeOf(holder) as object | null;
    if (!holder)
      throw new Error(
        `${SLOWDOWN_ENV}: the kernel's probe has no ${name}() on its prototype chain: update packages/gate/src/selftest-slowdown.ts`,
      );
    const done = patchedProbeMethods.get(holder) ?? new Set<string>();
    if (done.has(name)) continue;
    done.add(name);
    patchedProbeMethods.set(holder, done);
    const slots = holder as Record<string, (a: number, b: number, c: number) => number | void>;
    const original = slots[name];
    // Fixed arity (extra arguments are ignored by the two- and one-argument methods), so the optimiser inlines it.
    slots[name] = function (this: DistanceProbe, a: number, b: number, c: number): number | void {
      if (state.kernelEvery !== 0 && ++state.kernelCalls >= state.kernelEvery) {
        state.kernelCalls = 0;
        state.sink += original.call(this, a, b, c) ?? 0;
      }
      return original.call(this, a, b, c);
    };
  }
}
