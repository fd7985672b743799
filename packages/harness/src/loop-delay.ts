import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LoopDelay } from './cell-result.js';

/** The event-loop monitor's timer interval, ms: fine enough that a 20 ms stall is 20 ticks late, cheap enough to leave on during a build. */
export const LOOP_RESOLUTION_MS = 1;

const timeout = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Run `op` with perf_hooks.monitorEventLoopDelay on and report how late its timer fired meanwhile.
 * The monitor records the interval between consecutive ticks, so each value here is that interval
 * minus the resolution (an idle loop reads about 0.1 ms, a call that blocks for 2 s one tick of about
 * 2,000 ms).
 *
 * NB: the monitor records nothing for its first tick (it only starts the clock), and reset() stops the
 * clock again. So a fresh monitor is started per operation and `op` starts only after one timer of the
 * same interval fired (libuv fires the monitor's, started first, before it); after `op`, the loop is
 * given turns until the monitor has ticked once more, which records the stall of a call that held
 * the thread throughout (without it such a call would read as no delay at all).
 */
export async function measureLoopDelay<T>(
  op: () => T | Promise<T>,
  resolutionMs = LOOP_RESOLUTION_MS,
): Promise<{ value: T; delay: LoopDelay }> {
  const h = monitorEventLoopDelay({ resolution: resolutionMs });
  h.enable();
  try {
    await timeout(resolutionMs);
    const before = h.count;
    const t0 = performance.now();
    const value = await op();
    const seconds = (performance.now() - t0) / 1000;
    while (h.count === before) await immediate();
    const ms = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
    return {
      value,
      delay: { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max), ticks: h.count, seconds },
    };
  } finally {
    h.disable();
  }
}

/** Call `fn` once per event-loop turn, `count` times (as a server answers one request per turn). */
export async function perTurn(count: number, fn: (i: number) => void): Promise<void> {
  for (let i = 0; i < count; i++) {
    fn(i);
    await immediate();
  }
}
