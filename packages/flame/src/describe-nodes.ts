import type { Phase } from '@hnswlab/core';
import type { Bucket } from './attribution.js';
import type { CallFrame, CpuProfile, CpuProfileNode } from './cpu-profile.js';
import { frameBucket, fusedPhase, isFusedInsertFrame, wasmPhase } from './frame-bucket.js';
import type { SourceIndex } from './source-index.js';
import { wasmFrameName } from './wasm-names.js';

/** What attribution needs to know about one node of a profile's call tree. */
export interface NodeInfo {
  key: string;
  name: string;
  file: string;
  line: number;
  bucket: Bucket | 'idle';
  timerPhase: Phase | null;
  onPath: boolean;
  /** Distinct function keys on the stack, for inclusive time. */
  stackKeys: string[];
  /** Share of the node's self ticks at lines outside its own body, or null when unknown. */
  inlinedFraction: number | null;
  /** The node is the wrapper of a whole fused insert (its self time spans every phase). */
  fusedInsert: boolean;
}

/** Short script location for tables: the part after `packages/` or the last `node_modules/`. */
export function shortFile(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? '' : '(native)';
  if (!url.startsWith('file://')) return url;
  const path = decodeURIComponent(url.slice('file://'.length));
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length);
  const pk = path.lastIndexOf('/packages/');
  if (pk >= 0) return path.slice(pk + '/packages/'.length);
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Name, bucket and phase of every node of a profile. A kernel or GC frame is in that bucket, and so is
 * everything it calls; otherwise a node is in the phase of the outermost listed frame on its stack
 * (the nearest listed caller for frames not listed), else harness overhead. `onPath` marks nodes
 * under a phase root.
 */
export function describeNodes(
  profile: CpuProfile,
  sources: SourceIndex,
  phaseFunctions: Readonly<Record<string, Phase>>,
  roots: ReadonlySet<string>,
  wasmNames?: ReadonlyMap<number, string>,
): { nodes: Map<number, NodeInfo>; byKey: Map<string, NodeInfo> } {
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const out = new Map<number, NodeInfo>();
  const describe = (id: number): NodeInfo => {
    const done = out.get(id);
    if (done) return done;
    const node = byId.get(id)!;
    const frame = node.callFrame;
    const parentId = parent.get(id);
    const up = parentId === undefined ? undefined : describe(parentId);
    const fn = sources.lookup(frame.url, frame.lineNumber, frame.columnNumber);
    const wasmName = wasmFrameName(frame, wasmNames);
    const bare = wasmName ? `wasm:${wasmName}` : frame.functionName || '(anonymous)';
    const name =
      fn?.owner && fn.qualifiedName.endsWith(`.${bare}`) ? fn.qualifiedName : fn?.owner && bare === '(anonymous)' ? fn.qualifiedName : bare;
    const file = shortFile(frame);
    const key = `${name} ${file}:${frame.lineNumber}`;
    const own = frameBucket(frame, name, phaseFunctions);
    // A fused kernel's frame stays kernel time but can name the phase it runs in (frame-bucket.ts).
    const listed: Phase | null =
      own === 'kernel'
        ? (wasmPhase(name) ?? fusedPhase(frame, name) ?? null)
        : own === undefined || own === 'gc' || own === 'harness'
          ? null
          : own;
    // The outermost listed frame sets the phase, as the core's timers are started by the outer code:
    // gatherUnvisited is neighbor search under searchLayer but navigation under greedy.
    const timerPhase = up?.timerPhase ?? listed;
    let bucket: Bucket | 'idle';
    if (frame.functionName === '(idle)') bucket = 'idle';
    else if (own === 'kernel' || own === 'gc' || up?.bucket === 'kernel') bucket = own === 'gc' ? 'gc' : 'kernel';
    else bucket = timerPhase ?? 'harness';
    const onPath = roots.has(name) || (up?.onPath ?? false);
    const isRoot = frame.functionName === '(root)';
    const stackKeys = up && !isRoot ? (up.stackKeys.includes(key) ? up.stackKeys : [...up.stackKeys, key]) : isRoot ? [] : [key];
    let inlinedFraction: number | null = null;
    if (fn && node.positionTicks && node.positionTicks.length > 0) {
      let all = 0,
        outside = 0;
      for (const { line, ticks } of node.positionTicks) {
        all += ticks;
        if (line < fn.startLine || line > fn.endLine) outside += ticks;
      }
      inlinedFraction = all > 0 ? outside / all : null;
    }
    const fusedInsert = isFusedInsertFrame(frame, name);
    const info: NodeInfo = {
      key,
      name,
      file,
      line: frame.lineNumber + 1,
      bucket,
      timerPhase,
      onPath,
      stackKeys,
      inlinedFraction,
      fusedInsert,
    };
    out.set(id, info);
    return info;
  };
  const byKey = new Map<string, NodeInfo>();
  for (const node of profile.nodes) {
    const info = describe(node.id);
    if (!byKey.has(info.key)) byKey.set(info.key, info);
  }
  return { nodes: out, byKey };
}
