import { describe, expect, it } from 'vitest';
import { expandMatrix, Progress, PRESETS, SCHEMA_VERSION, type CellResult } from '../src/index.js';

const jobs = expandMatrix([{ ...PRESETS.quick.blocks[0], peers: [] }]);
const ok = (job: (typeof jobs)[number]): CellResult => ({
  schemaVersion: SCHEMA_VERSION,
  id: 'x',
  library: 'hnswlab',
  status: 'ok',
  spec: job.spec,
  startedAt: '',
  wallSeconds: 1,
  search: [{ ef: 10, recall: 0.97, qps: 1, p50Ms: 1, p99Ms: 1, meanMs: 1, distanceEvalsPerQuery: 1, passes: 1 }],
});

function run(isTTY: boolean): string {
  let text = '';
  const p = new Progress(jobs, { isTTY, columns: 200, write: (s: string) => (text += s) });
  for (const job of jobs) {
    p.start(job);
    p.update({ stage: 'build', repeat: 1 });
    p.finish(job, ok(job));
  }
  p.end();
  return text;
}

describe('progress', () => {
  it('prints one plain line per finished cell when not on a terminal', () => {
    const text = run(false);
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^\[1\/2\] js\/sequential clustered n=2000 .*: ok .*best recall 0\.970 \(ETA /);
    expect(lines[1]).toMatch(/^\[2\/2\] js\/batched/);
    expect(text).not.toContain('\r');
  });

  it('redraws a bar with the stage, the current cell and an ETA on a terminal', () => {
    const saved = process.env.CI;
    delete process.env.CI;
    const text = run(true);
    if (saved !== undefined) process.env.CI = saved;
    expect(text).toContain('\r\x1b[K[------------------------] 0/2 ETA ? · build 1 · js/sequential');
    expect(text).toMatch(/\] 1\/2 ETA \d/);
    expect(text).toContain('✓ js/batched');
  });
});
