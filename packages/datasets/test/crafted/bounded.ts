/**
 * Run a reader on a crafted file and measure what it cost: wall time, and the larger of the growth of
 * the process's peak RSS, of external memory (ArrayBuffers and WebAssembly memories, counted until
 * they are collected, so an allocation made before a throw still shows) and of the JS heap.
 */
export interface Bounded<T> {
  readonly value?: T;
  readonly error?: unknown;
  readonly ms: number;
  readonly bytes: number;
}

export async function bounded<T>(run: () => T | Promise<T>): Promise<Bounded<T>> {
  const m0 = process.memoryUsage();
  const peak0 = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  let value: T | undefined;
  let error: unknown;
  try {
    value = await run();
  } catch (err) {
    error = err;
  }
  const ms = performance.now() - t0;
  const m1 = process.memoryUsage();
  const peak1 = process.resourceUsage().maxRSS * 1024;
  const bytes = Math.max(peak1 - peak0, m1.external - m0.external, m1.arrayBuffers - m0.arrayBuffers, m1.heapUsed - m0.heapUsed);
  return error === undefined ? { value, ms, bytes } : { error, ms, bytes };
}

/** The bounds every crafted case must meet: generous for a shared 2-core machine, far below the defects' 12 s and 2-4 GB. */
export const CASE_MS = 2000;
export const CASE_BYTES = 64 << 20;
