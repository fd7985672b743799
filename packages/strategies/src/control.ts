/**
 * A shared counter for the dynamic work split: every worker of a stage takes the next index from it.
 * (A failed job is not asked to stop: its workers are terminated, see Job.)
 */
export function control(start: number): SharedArrayBuffer {
  const ctl = new Int32Array(new SharedArrayBuffer(4));
  ctl[0] = start;
  return ctl.buffer;
}

/** Take the next index below `end`, or −1 when none is left. */
export function take(ctl: Int32Array, end: number): number {
  const i = Atomics.add(ctl, 0, 1);
  return i < end ? i : -1;
}
