// Lock words (0 free, 1 held, 2 held with sleepers), the protocol of packages/core/src/locks.ts step
// for step on the same shared words, so fused and JavaScript linkers can interleave: compare-and-swap
// 0 → 1; else spin 64 times; else mark 2 and sleep in memory.atomic.wait32 (the same wait queue as
// JavaScript's Atomics.wait), re-checking every 1 ms; unlock wakes one sleeper when the word was 2.
import { now } from './clock';
import { TraversalState } from './traversal-state';

const SPINS_BEFORE_WAIT = 64;
const WAIT_SLICE_NS: i64 = 1_000_000;

/** Take the lock word at byte address `word`; contention is counted into s.lockSpins and s.lockWait. */
// @ts-ignore: decorator
@inline
export function lockWord(s: TraversalState, word: usize): void {
  const v = atomic.cmpxchg<i32>(word, 0, 1);
  if (v != 0) waitForWord(s, word, v);
}

function waitForWord(s: TraversalState, word: usize, v: i32): void {
  const t0 = now();
  let spins = 0;
  for (; spins < SPINS_BEFORE_WAIT && v != 0; spins++) v = atomic.cmpxchg<i32>(word, 0, 1);
  if (v != 0) {
    if (v != 2) v = atomic.xchg<i32>(word, 2);
    while (v != 0) {
      atomic.wait<i32>(word, 2, WAIT_SLICE_NS);
      v = atomic.xchg<i32>(word, 2);
    }
  }
  s.lockSpins += <f64>(spins + 1);
  s.lockWait += now() - t0;
}

/** Release a word taken by lockWord, waking one sleeper if there are any. */
// @ts-ignore: decorator
@inline
export function unlockWord(word: usize): void {
  if (atomic.xchg<i32>(word, 0) == 2) atomic.notify(word, 1);
}
