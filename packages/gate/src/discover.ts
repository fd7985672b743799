import { listStrategies } from '@hnswlab/core';
import { loadKernel, loadPeer, loadStrategies, PEER_NAMES } from '@hnswlab/harness';

/** What can run on this machine, and why the rest cannot. */
export interface Discovery {
  kernels: string[];
  strategies: string[];
  peers: ('hnswlib-node' | 'usearch')[];
  /** `kernel:wasm`, `strategy:parallel`, `peer:hnswlib-node` → why it is missing. */
  missing: Map<string, string>;
}

/** The strategies the timing suite pairs with sequential when they are registered. */
export const KNOWN_STRATEGIES = ['batched', 'parallel', 'segmented', 'rounds'] as const;
/** Every strategy the gate measures (for --strategies). */
export const ALL_STRATEGIES: readonly string[] = ['sequential', ...KNOWN_STRATEGIES];

/** Try each asked-for kernel, the strategies package and the peers; a failure is kept with its reason, never dropped. */
export async function discover(kernels: readonly string[]): Promise<Discovery> {
  const found: Discovery = { kernels: [], strategies: [], peers: [], missing: new Map() };
  for (const k of kernels) {
    try {
      await loadKernel(k);
      found.kernels.push(k);
    } catch (err) {
      found.missing.set(`kernel:${k}`, (err as Error).message.replace(/^unavailable: /, ''));
    }
  }
  const why = await loadStrategies();
  const registered = listStrategies();
  for (const s of KNOWN_STRATEGIES) {
    if (registered.includes(s)) found.strategies.push(s);
    else found.missing.set(`strategy:${s}`, `strategy '${s}' is not registered${why ? ` (@hnswlab/strategies: ${why})` : ''}`);
  }
  for (const p of PEER_NAMES) {
    try {
      await loadPeer(p);
      found.peers.push(p);
    } catch (err) {
      found.missing.set(`peer:${p}`, (err as Error).message.replace(/^unavailable: /, ''));
    }
  }
  return found;
}
