// The clock, imported from JavaScript (performance.now() / 1000, the core's now()): read only when
// a traversal times its phases, and on a contended lock (lock wait is always measured, as in the core).

/** Seconds from a high-resolution clock. */
// @ts-ignore: decorator
@external("env", "now")
export declare function now(): f64;
