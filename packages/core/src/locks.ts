import { now, type Counters } from './counters.js';

const SPINS_BEFORE_WAIT = 64;
/**
 * A sleeper re-checks the word this often (ms): a native kernel's unlock cannot wake a JavaScript
 * Atomics.wait, so a sleeper never relies on being woken.
 */
const WAIT_SLICE_MS = 1;

/**
 * Take a lock word (0 free, 1 held, 2 held with sleepers). Spin briefly, then sleep in Atomics.wait:
 * on an oversubscribed machine a descheduled holder would otherwise cost the spinner whole time slices.
 */
export function lockWord(words: Int32Array, at: number, c: Counters): void {
  let v = Atomics.compareExchange(words, at, 0, 1);
  if (v === 0) return;
  const t0 = now();
  let spins = 0;
  for (; spins < SPINS_BEFORE_WAIT && v !== 0; spins++) v = Atomics.compareExchange(words, at, 0, 1);
  if (v !== 0) {
    if (v !== 2) v = Atomics.exchange(words, at, 2);
    while (v !== 0) {
      Atomics.wait(words, at, 2, WAIT_SLICE_MS);
      v = Atomics.exchange(words, at, 2);
    }
  }
  c.lockSpins += spins + 1;
  c.lockWait += now() - t0;
}

/** Release a lock word taken by {@link lockWord}, waking one sleeper if there are any. */
export function unlockWord(words: Int32Array, at: number): void {
  if (Atomics.exchange(words, at, 0) === 2) Atomics.notify(words, at, 1);
}
