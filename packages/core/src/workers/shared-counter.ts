/**
 * A shared counter for a dynamic work split: every worker of a stage takes the next index from it.
 * (A failed job is not asked to stop: its workers are terminated.)
 */
export function sharedCounter(start: number): SharedArrayBuffer {
  const ctl = new Int32Array(new SharedArrayBuffer(4));
  ctl[0] = start;
  return ctl.buffer;
}

/** Take the next index below `end` from a {@link sharedCounter}, or −1 when none is left. */
export function takeNext(counter: Int32Array, end: number): number {
  const i = Atomics.add(counter, 0, 1);
  return i < end ? i : -1;
}
