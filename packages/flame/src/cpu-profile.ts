import { readFileSync } from 'node:fs';

/** Where a profiled function is, as V8 reports it (line and column 0-based, of the function's start). */
export interface CallFrame {
  functionName: string;
  scriptId: string | number;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** One node of the call tree of a V8 CPU profile (`node --cpu-prof`, DevTools' `.cpuprofile`). */
export interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
  /** Self ticks per source line (1-based); V8 reports lines of inlined callees here too, from their own scripts. */
  positionTicks?: { line: number; ticks: number }[];
}

/** A V8 CPU profile: the call tree, then one node id per sample and the microseconds between samples. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Read and sanity-check a `.cpuprofile` file. */
export function readCpuProfile(path: string): CpuProfile {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  if (!Array.isArray(profile.nodes) || !Array.isArray(profile.samples) || !Array.isArray(profile.timeDeltas)) {
    throw new Error(`${path} is not a V8 CPU profile (needs nodes, samples and timeDeltas)`);
  }
  return profile;
}
