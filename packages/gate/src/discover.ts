import { listStrategies } from '@hnswlab/core';
import { loadKernel, loadPeer, loadStrategies, PEER_NAMES } from '@hnswlab/harness';

/** What can run on this machine, and why the rest cannot. */
export interface Discovery {
  kernels: string[];
  strategies: string[];
  peers: ('hnswlib-node' | 'usearch')[];
  /** `kernel:wasm`, `strategy:@hnswlab/strategies`, `peer:hnswlib-node` → why it is missing. */
  missing: Map<string, string>;
}

/**
 * Every strategy the gate measures, sequential first: the registry's (core's, and those of
 * @hnswlab/strategies once it loads), so a newly registered strategy is gated without an edit here.
 * `why` says why @hnswlab/strategies did not load.
 */
export async function gateStrategies(): Promise<{ names: string[]; why?: string }> {
  const why = await loadStrategies();
  return { names: ['sequential', ...listStrategies().filter((s) => s !== 'sequential')], why };
}

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
  // the timing suite pairs each strategy but sequential with sequential
  const { names, why } = await gateStrategies();
  found.strategies = names.filter((s) => s !== 'sequential');
  if (why) found.missing.set('strategy:@hnswlab/strategies', `@hnswlab/strategies did not load: ${why}`);
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
