import { Session } from 'node:inspector/promises';
import { isKernelFrame, type FrameName } from './kernel-frames.js';

/** The sampling interval of the in-process profile behind JsShare.byProfile, µs. */
export const PROFILE_INTERVAL_US = 500;

interface ProfileNode {
  id: number;
  callFrame: FrameName;
  children?: number[];
}

/**
 * Run `op` under V8's sampling profiler in this process (node:inspector, this thread only) and return
 * the share of its non-idle samples that have a kernel frame on the stack (isKernelFrame), and the
 * sample count. GC and `(program)` count as outside the kernel.
 *
 * NB: V8 inlines small JavaScript functions into their callers, and a sample then shows the caller:
 * the js kernel's probe methods can vanish into the JavaScript search, so its kernel share is a lower
 * bound. WebAssembly and native calls are never inlined into JavaScript here (Node 20), so for the wasm
 * and native kernels the line between kernel and JavaScript is where the profile draws it.
 */
export async function kernelShareByProfile(
  op: () => Promise<unknown>,
  intervalUs = PROFILE_INTERVAL_US,
): Promise<{ share: number; samples: number }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    let failed = false,
      failure: unknown;
    try {
      await op();
    } catch (err) {
      failed = true;
      failure = err;
    }
    const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples?: number[] } };
    if (failed) throw failure;
    return kernelShare(profile.nodes, profile.samples ?? []);
  } finally {
    session.disconnect();
  }
}

/** Share of the non-idle samples whose stack holds a kernel frame. */
export function kernelShare(nodes: readonly ProfileNode[], samples: readonly number[]): { share: number; samples: number } {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const inKernel = new Map<number, boolean>();
  const kernel = (id: number): boolean => {
    let v = inKernel.get(id);
    if (v === undefined) {
      const up = parent.get(id);
      v = isKernelFrame(byId.get(id)!.callFrame) || (up !== undefined && kernel(up));
      inKernel.set(id, v);
    }
    return v;
  };
  let counted = 0,
    hits = 0;
  for (const id of samples) {
    const name = byId.get(id)?.callFrame.functionName;
    if (name === undefined || name === '(idle)') continue;
    counted++;
    if (kernel(id)) hits++;
  }
  return { share: counted ? hits / counted : 0, samples: counted };
}
