import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase } from './bench-case.js';
import { median } from '@hnswlab/lab-kit';
import { summarise, type Statistic } from './stats.js';

const SOURCE = fileURLToPath(new URL('../native/reference.cc', import.meta.url));
const BUILD_DIR = fileURLToPath(new URL('../build', import.meta.url));

/** The flags of the reference: the CPU's own ISA, no fast-math (the reductions are reordered only where `omp simd` says so). */
export const REFERENCE_FLAGS = ['-O3', '-march=native', '-fopenmp-simd', '-std=c++17'];

export interface ReferenceTiming extends BenchCase {
  /** The faster of the two plain loops: 'simple' (one omp simd reduction) or 'lanes' (partial-sum array). */
  readonly loop: 'simple' | 'lanes';
  /** The chosen statistic of the faster loop's samples. */
  readonly nsPerCall: number;
  readonly medianNsPerCall: number;
  readonly samplesNs: readonly number[];
  readonly otherLoopNsPerCall: number;
  readonly checksum: number;
}

export interface CompiledReference {
  readonly binary: string;
  readonly compiler: string;
  readonly flags: readonly string[];
}

/** Compile native/reference.cc with g++ (or $CXX); throws with the compiler's message when it cannot. */
export function compileReference(): CompiledReference {
  const cxx = process.env.CXX || 'g++';
  mkdirSync(BUILD_DIR, { recursive: true });
  const binary = join(BUILD_DIR, 'kernel-reference');
  const run = spawnSync(cxx, [...REFERENCE_FLAGS, '-o', binary, SOURCE], { encoding: 'utf8' });
  if (run.error) throw new Error(`cannot run ${cxx}: ${run.error.message} (install g++ or set CXX)`);
  if (run.status !== 0) throw new Error(`${cxx} failed to compile the reference: ${run.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
  const version = spawnSync(cxx, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? cxx;
  return { binary, compiler: version.trim(), flags: REFERENCE_FLAGS };
}

/** Time every case in the reference binary: `samples` samples of about `sampleMs` each, per loop, alternating the loops. */
export function runReference(
  ref: CompiledReference,
  cases: readonly BenchCase[],
  { sampleMs, samples, seed, statistic }: { sampleMs: number; samples: number; seed: number; statistic: Statistic },
): ReferenceTiming[] {
  const args = [String(sampleMs), String(samples), String(seed), ...cases.map((c) => `${c.metric}:${c.dim}:${c.n}`)];
  const raw = JSON.parse(execFileSync(ref.binary, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })) as Array<
    BenchCase & { checksum: number; simple: number[]; lanes: number[] }
  >;
  return raw.map((r) => {
    const simple = summarise(r.simple, statistic),
      lanes = summarise(r.lanes, statistic);
    const best = simple <= lanes ? 'simple' : 'lanes';
    const samplesNs = best === 'simple' ? r.simple : r.lanes;
    return {
      metric: r.metric,
      dim: r.dim,
      n: r.n,
      loop: best,
      nsPerCall: Math.min(simple, lanes),
      medianNsPerCall: median(samplesNs),
      samplesNs,
      otherLoopNsPerCall: Math.max(simple, lanes),
      checksum: r.checksum,
    };
  });
}
