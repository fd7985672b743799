import { readFileSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { forceGc, loadKernel, runCell, type CellProgress, type CellSpec } from '@hnswlab/harness';
import { enterArm, installSlowdownFromEnv, slowKernel } from './selftest-slowdown.js';

// One instruction-suite cell in this process, run by the instruction suite under callgrind (which
// dumps its counters at each mark): node dist/instruction-child.js <request.json>. It builds and
// searches through the harness's runCell like any bench cell, marking the phase boundaries runCell
// reports, and writes what it saw to the request's `out` file. Not a public entry point.

/** What the parent asks for. */
export interface ChildRequest {
  spec: CellSpec;
  /** Stop right after the counted build (the cell's search is not wanted). */
  buildOnly: boolean;
  /** Where the result JSON goes. */
  out: string;
}

/** What the child reports: the marks in order (callgrind's parts are cut at them), or why it could not run. */
export interface ChildResult {
  status: 'ok' | 'unavailable' | 'failed';
  reason?: string;
  kernelName?: string;
  marks: string[];
}

const request = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ChildRequest;
const marks: string[] = [];
function finish(result: Omit<ChildResult, 'marks'>): never {
  writeFileSync(request.out, JSON.stringify({ ...result, marks }));
  process.exit(0);
}
// os.getPriority is uv_os_getpriority, the function callgrind dumps before (valgrind.ts MARK_FUNCTION).
const mark = (label: string) => {
  marks.push(label);
  getPriority(0);
};
// Every phase starts on an empty young generation: otherwise a collection that falls a few bytes
// before or after a boundary (an environment string one byte longer) moves millions of instructions
// between phases (measured: up to 0.4% of a cell). The collection itself lies between the marks
// `end:<label>` and `<label>`, in no counted phase.
const boundary = (label: string) => {
  mark(`end:${label}`);
  forceGc();
  mark(label);
};

installSlowdownFromEnv();
const spec = request.spec;
const { kernel, strategy } = spec;
let kernelName: string;
try {
  // Loaded before the cell (runCell reuses it): the kernel's load is no part of any counted phase.
  // slowKernel patches its probe classes when a kernel slowdown is planted, and does nothing otherwise.
  kernelName = slowKernel(await loadKernel(kernel)).name;
} catch (err) {
  finish({ status: 'unavailable', reason: (err as Error).message.replace(/^unavailable: /, '') });
}

const onProgress = (p: CellProgress) => {
  if (p.stage === 'build') {
    boundary(`build${p.repeat}`);
    if (request.buildOnly && p.repeat === 2) finish({ status: 'ok', kernelName });
  } else if (p.stage === 'search' && p.ef !== undefined) boundary('search');
  else if (p.stage === 'done') boundary('done');
};
enterArm({ library: 'hnswlab', kernel, strategy });
const result = await runCell(spec, { onProgress });
enterArm(null);
finish(result.status === 'ok' ? { status: 'ok', kernelName } : { status: result.status, reason: result.reason, kernelName });
