import type { WorkCounters } from './contracts.js';

/** The fields of {@link Counters}, in one list, so copying, adding and zeroing never miss one. */
const FIELDS = [
  'distanceEvals',
  'nodesVisited',
  'inserts',
  'kernelCalls',
  'navigation',
  'neighborSearch',
  'connectionManagement',
  'storage',
  'lockSpins',
  'lockWait',
] as const;

export type CounterValues = Record<(typeof FIELDS)[number], number>;

/**
 * Work counters and phase timers of one thread. Increments are plain field adds; phase timing reads
 * the clock only when `timing` is on, so switching it off leaves nothing on the hot path but a branch.
 */
export class Counters implements WorkCounters, CounterValues {
  distanceEvals = 0;
  nodesVisited = 0;
  inserts = 0;
  /** Calls across the kernel boundary. */
  kernelCalls = 0;
  navigation = 0;
  neighborSearch = 0;
  connectionManagement = 0;
  storage = 0;
  /** Failed lock attempts, and seconds spent waiting for locks (parallel builds only). */
  lockSpins = 0;
  lockWait = 0;

  constructor(public timing = true) {}

  add(other: Partial<CounterValues>): void {
    for (const f of FIELDS) this[f] += other[f] ?? 0;
  }

  /** A plain copy, to post from a worker or to restore. */
  values(): CounterValues {
    const out = {} as CounterValues;
    for (const f of FIELDS) out[f] = this[f];
    return out;
  }

  /** Put back values taken with {@link values}. */
  restore(v: CounterValues): void {
    for (const f of FIELDS) this[f] = v[f];
  }

  reset(): void {
    for (const f of FIELDS) this[f] = 0;
  }
}

/** Seconds from a high-resolution clock. */
export function now(): number {
  return performance.now() / 1000;
}
