import { readFileSync, writeFileSync } from 'node:fs';
import { loadStrategies } from '@hnswlab/harness';
import { watchContention } from './contention.js';
import { installSlowdownFromEnv } from './selftest-slowdown.js';
import { measurePairInProcess, type TimingChildRequest } from './timing-suite.js';
import type { TimingProcess } from './baseline-file.js';

// One fresh process's measurement of one timing pair: node dist/timing-child.js <request.json>.
// The timing suite starts one per pair and process, so the spread it models is the spread from one
// process to the next (memory layout, JIT decisions, CPU placement), not the repeats within one.
// Not a public entry point.

const request = JSON.parse(readFileSync(process.argv[2], 'utf8')) as TimingChildRequest;
installSlowdownFromEnv();
// The threaded strategies register themselves when @hnswlab/strategies loads.
await loadStrategies();
const watch = watchContention();
const ratios = await measurePairInProcess(request.pair, request.repeats);
const result: TimingProcess = { ratios: ratios.map((v) => Number(v.toPrecision(6))), contention: watch.stop() };
writeFileSync(request.out, JSON.stringify(result));
// Worker pools of the threaded strategies would keep the process alive.
process.exit(0);
