// The row-lock protocol of @hnswlab/core (locks.ts) on the same shared words: 0 free, 1 held, 2 held
// with sleepers; taken by a compare-and-swap 0 -> 1, then 64 more tries, then as the JavaScript sleeper
// does (exchange to 2 until the exchange finds 0). A JavaScript sleeper sits in Atomics.wait, which
// C++ cannot wake (V8 keeps its own waiter list), so it re-checks every millisecond; a C++ waiter
// never sleeps on a futex either: it yields the CPU between exchanges. Release is an exchange to 0;
// a JavaScript sleeper wakes on its next 1 ms check. lockSpins and lockWait count as locks.ts counts.
#pragma once

#include <chrono>
#include <cstdint>
#include <thread>

namespace hnswlab {

constexpr int kSpinsBeforeYield = 64;

/** Seconds on a monotonic clock (phase timers and lock waits). */
inline double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/** One compare-and-swap 0 -> 1; `seen` gets the value found (0 when it succeeded). */
inline bool tryLock(int32_t* word, int32_t* seen) {
  int32_t expected = 0;
  const bool ok = __atomic_compare_exchange_n(word, &expected, 1, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  *seen = expected;
  return ok;
}

/** Take the lock word; a contended take adds its tries to `spins` and its wait to `waitSeconds`. */
inline void lockWord(int32_t* word, double* spins, double* waitSeconds) {
  int32_t v;
  if (tryLock(word, &v)) return;
  const double t0 = nowSeconds();
  int32_t tries = 0;
  for (; tries < kSpinsBeforeYield && v != 0; tries++) tryLock(word, &v);
  if (v != 0) {
    if (v != 2) v = __atomic_exchange_n(word, 2, __ATOMIC_SEQ_CST);
    while (v != 0) {
      std::this_thread::yield();
      v = __atomic_exchange_n(word, 2, __ATOMIC_SEQ_CST);
    }
  }
  *spins += tries + 1;
  *waitSeconds += nowSeconds() - t0;
}

/** Release a word taken by lockWord. A JavaScript sleeper (value 2) notices within its 1 ms slice. */
inline void unlockWord(int32_t* word) { __atomic_exchange_n(word, 0, __ATOMIC_SEQ_CST); }

}  // namespace hnswlab
