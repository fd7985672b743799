// Issue 10, item 7: the resume journal outlives a failed report write.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobKey, planMatrix, runMatrix, type BenchReport, type CellResult, type MatrixBlock } from '../src/index.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

const block: MatrixBlock = {
  name: 'main',
  kernels: ['js'],
  strategies: ['sequential', 'batched'],
  datasets: ['clustered'],
  sizes: [200],
  dims: [8],
  threads: [1],
  metric: 'l2',
  M: 8,
  efConstruction: 32,
  ef: [10, 20],
  k: 5,
  queries: 10,
  seed: 7,
  repeat: 1,
  peers: ['hnswlib-node'],
};

let dir: string;

beforeAll(() => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
  dir = mkdtempSync(join(tmpdir(), 'hnswlab-journal-'));
});

describe('a failed report write (issue 10, item 7)', () => {
  it('leaves the journal, and --resume then writes the reports from it without re-measuring', () => {
    expect(existsSync(cli), 'build the harness first (pnpm build)').toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'hnswlab-unwritable-'));
    mkdirSync(join(out, 'bench.json')); // a directory where the report goes: the write fails, even as root
    const args = [cli, 'bench', '--kernels', 'js', '--strategies', 'sequential,batched', '--sizes', '200', '--dims', '8'];
    args.push(
      '--queries',
      '10',
      '--ef',
      '10,20',
      '--M',
      '8',
      '--ef-construction',
      '32',
      '--peers',
      'none',
      '--progress',
      'none',
      '--out',
      out,
    );
    const env = { ...process.env, CI: '1' };
    const failed = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    expect(failed.status, failed.stderr).not.toBe(0);
    expect(failed.stderr).toMatch(/EISDIR|illegal operation on a directory/);
    const journal = join(out, 'bench.partial.jsonl');
    expect(existsSync(journal)).toBe(true);
    const measured = readFileSync(journal, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { result: CellResult }).result);
    expect(measured.map((r) => r.status)).toEqual(['ok', 'ok']);

    rmSync(join(out, 'bench.json'), { recursive: true });
    const resumed = spawnSync(process.execPath, [...args, '--resume'], { env, encoding: 'utf8' });
    expect(resumed.status, resumed.stderr).toBe(0);
    const written = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as BenchReport;
    expect(written.cells.map((c) => c.startedAt)).toEqual(measured.map((r) => r.startedAt));
    expect(existsSync(journal)).toBe(false);
  });

  it('runMatrix itself never removes the journal', async () => {
    const f = join(dir, 'kept.partial.jsonl');
    const jobs = await planMatrix([{ ...block, peers: [] }]);
    const r = await runMatrix([{ ...block, peers: [] }], { progress: null, command: 'test', journal: f });
    expect(r.cells.every((c) => c.status === 'ok')).toBe(true);
    const recorded = readFileSync(f, 'utf8').split('\n').filter(Boolean);
    expect(recorded.map((l) => (JSON.parse(l) as { key: string }).key)).toEqual(jobs.map(jobKey));
  });
});
