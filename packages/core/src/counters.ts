import type { Phase } from './contracts.js';

/**
 * Work counters and phase timers of one thread. Increments are plain field adds; phase timing reads
 * the clock only when `timing` is on, so switching it off leaves nothing on the hot path but a branch.
 */
export class Counters {
  distanceEvals = 0;
  nodesVisited = 0;
  inserts = 0;
  navigation = 0;
  neighborSearch = 0;
  connectionManagement = 0;
  storage = 0;
  /** Failed lock attempts, and seconds spent waiting for locks (parallel builds only). */
  lockSpins = 0;
  lockWait = 0;

  constructor(public timing = true) {}

  add(other: CounterValues): void {
    this.distanceEvals += other.distanceEvals;
    this.nodesVisited += other.nodesVisited;
    this.inserts += other.inserts;
    this.navigation += other.navigation;
    this.neighborSearch += other.neighborSearch;
    this.connectionManagement += other.connectionManagement;
    this.storage += other.storage;
    this.lockSpins += other.lockSpins;
    this.lockWait += other.lockWait;
  }

  /** A plain copy, to post from a worker. */
  values(): CounterValues {
    const { distanceEvals, nodesVisited, inserts, navigation, neighborSearch, connectionManagement, storage, lockSpins, lockWait } = this;
    return { distanceEvals, nodesVisited, inserts, navigation, neighborSearch, connectionManagement, storage, lockSpins, lockWait };
  }

  reset(): void {
    this.add({
      distanceEvals: -this.distanceEvals,
      nodesVisited: -this.nodesVisited,
      inserts: -this.inserts,
      navigation: -this.navigation,
      neighborSearch: -this.neighborSearch,
      connectionManagement: -this.connectionManagement,
      storage: -this.storage,
      lockSpins: -this.lockSpins,
      lockWait: -this.lockWait,
    });
  }
}

export type CounterValues = Pick<Counters, 'distanceEvals' | 'nodesVisited' | 'inserts' | Phase | 'lockSpins' | 'lockWait'>;

/** Seconds from a high-resolution clock. */
export function now(): number {
  return performance.now() / 1000;
}
