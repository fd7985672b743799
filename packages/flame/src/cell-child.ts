// The profiled process: runs exactly one bench cell through the harness (the code path the matrix
// runs) and writes its CellResult. Usage: node cell-child.js SPEC.json RESULT.json [--index-cache]
// (--index-cache: load the cell's index from the harness's index cache when it is there, for search profiles).
import { readFileSync, writeFileSync } from 'node:fs';
import { loadKernel, runCell, type CellProgress } from '@hnswlab/harness';

const [specPath, resultPath, flag] = process.argv.slice(2);
if (!specPath || !resultPath) {
  console.error('usage: cell-child.js SPEC.json RESULT.json');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
// Stage times on the clock V8 stamps profile samples with (CLOCK_MONOTONIC, microseconds).
const stages: (CellProgress & { atUs: number })[] = [];
// No event-loop figures: their extra search() calls would sit in a search profile's window.
const result = await runCell(spec, {
  onProgress: (p) => stages.push({ ...p, atUs: Number(process.hrtime.bigint() / 1000n) }),
  eventLoop: false,
  indexCache: flag === '--index-cache',
});
// Where the kernel's code lives, so the parent can name its wasm functions; loadKernel is cached, no second load.
const kernelModule = result.status === 'ok' ? (await loadKernel(spec.kernel)).descriptor.module : null;
writeFileSync(resultPath, JSON.stringify({ result, stages, kernelModule }, null, 2));
if (result.status !== 'ok') {
  console.error(`cell ${result.status}: ${result.reason ?? ''}`);
  process.exitCode = 3;
}
