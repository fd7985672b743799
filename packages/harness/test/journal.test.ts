// Issue 10, items 7 and 9: the resume journal outlives a failed report write, and a damaged or
// wrongly shaped journal line is skipped with a warning naming it, never a crash.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { SeededRandom } from '@hnswlab/datasets';
import { CASE_BYTES, CASE_MS, bounded } from './bounded.js';
import { Journal, jobKey, planMatrix, runMatrix, type BenchReport, type CellResult, type MatrixBlock } from '../src/index.js';
import { formatJournalLine } from '../src/journal-entry.js';

const SEED = Number(process.env.HNSWLAB_CORPUS_SEED ?? 20_250_610);
const FLIPS = Number(process.env.HNSWLAB_CORPUS_FLIPS ?? 40);
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
let file: string;
let report: BenchReport;
let lines: string[];

beforeAll(async () => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
  dir = mkdtempSync(join(tmpdir(), 'hnswlab-journal-'));
  file = join(dir, 'run.partial.jsonl');
  report = await runMatrix([block], { progress: null, command: 'test', journal: file });
  lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
});

/** Load `text` as a journal: the results by key and the warnings. */
function load(text: string): { done: Map<string, CellResult>; warnings: string[] } {
  const f = join(dir, `load-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(f, text);
  const warnings: string[] = [];
  const done = new Journal(f, (m) => warnings.push(m)).load();
  return { done, warnings: warnings.map((w) => w.replace(f, 'FILE')) };
}

const DELETE = Symbol('delete');

/** Set (or with DELETE remove) the value at a dotted path of parsed JSON. */
function setPath(root: object, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = root as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) o = o[p] as Record<string, unknown>;
  const last = parts[parts.length - 1];
  if (value === DELETE) delete o[last];
  else o[last] = value;
}

const entry = (i: number) =>
  JSON.parse(lines[i].replace(/,"crc32":"[0-9a-f]{8}"\}$/, '}')) as { key: string; block: string; result: CellResult };
const keys = () => lines.map((_, i) => entry(i).key);

describe('the journal', () => {
  it('outlives the run: every job is in it, checksummed, and reads back without a warning', () => {
    const all = [...report.cells, ...report.peers];
    expect(lines).toHaveLength(all.length);
    for (const line of lines) expect(line).toMatch(/,"crc32":"[0-9a-f]{8}"\}$/);
    const { done, warnings } = load(lines.join('\n') + '\n');
    expect(warnings).toEqual([]);
    expect([...done.values()]).toEqual(all);
  });

  it('is removed by settle() only when every job is ok', () => {
    const f = join(dir, 'settle.jsonl');
    writeFileSync(f, lines.join('\n') + '\n');
    const failed = { ...report.cells[0], status: 'failed' as const, reason: 'failed: test' };
    expect(new Journal(f).settle([failed, ...report.cells.slice(1)])).toBe(false);
    expect(existsSync(f)).toBe(true);
    expect(new Journal(f).settle(report.cells)).toBe(true);
    expect(existsSync(f)).toBe(false);
  });

  it('skips a torn last line with a warning naming it', () => {
    const { done, warnings } = load(lines.join('\n') + '\n' + lines[0].slice(0, 50));
    expect(done.size).toBe(lines.length);
    expect(warnings).toEqual([`FILE:${lines.length + 1}: skipped, incomplete or without a checksum; its job runs again`]);
  });

  it.each([
    ['result', null, 'entry.result is null; expected object'],
    ['result.build', DELETE, 'result.build is absent; expected it for status ok'],
    ['result.search', {}, 'result.search is an object; expected array or absent'],
    ['result.search', [], 'result.search is empty; expected a point per ef'],
    ['result.search.0.qps', 'fast', 'result.search[0].qps is "fast"; expected number'],
    ['result.build.phaseShares.storage', DELETE, 'result.build.phaseShares.storage is absent; expected number'],
    ['result.memory.indexBytes', DELETE, 'result.memory.indexBytes is absent; expected object'],
    ['result.schemaVersion', 2, 'result.schemaVersion is 2; expected 1'],
    ['result.status', 'weird', 'result.status is "weird"; expected ok, unavailable or failed'],
    ['result.spec.n', 1, 'entry.key does not match result.spec (library "hnswlab")'],
    ['key', 7, 'entry.key is 7; expected string'],
  ])('skips an entry whose %s is %j even under a valid checksum, naming the line and the field', (path, value, problem) => {
    const e = entry(1);
    setPath(e, path, value);
    const bad = formatJournalLine(e.key, e.block, e.result);
    const { done, warnings } = load([lines[0], bad, ...lines.slice(2)].join('\n') + '\n');
    expect(warnings).toEqual([`FILE:2: skipped, ${problem}; its job runs again`]);
    expect([...done.keys()]).toEqual(keys().filter((_, i) => i !== 1));
  });

  it('skips lines that are not entries at all', () => {
    const { done, warnings } = load(['[1,2,3]', 'hello', lines[0], '{"key":"x"}'].join('\n'));
    expect(done.size).toBe(1);
    expect(warnings).toEqual([
      'FILE:1: skipped, not a journal entry; its job runs again',
      'FILE:2: skipped, not a journal entry; its job runs again',
      'FILE:4: skipped, incomplete or without a checksum; its job runs again',
    ]);
  });

  it('survives a corpus of damaged journals: each damaged line skipped and named, every other entry kept, within 2 s and 64 MiB', async () => {
    const rng = new SeededRandom(SEED);
    const text = lines.join('\n') + '\n';
    const lineOf = (pos: number) => text.slice(0, pos).split('\n').length - 1;
    const failures: string[] = [];
    let cases = 0;
    const check = async (name: string, damaged: string, touched: Set<number>) => {
      cases++;
      const r = await bounded(() => load(damaged));
      if (r.error !== undefined) return failures.push(`${name}: threw ${(r.error as Error).message}`);
      const got = r.value!;
      const kept = keys().filter((_, i) => !touched.has(i));
      if (r.ms > CASE_MS) failures.push(`${name}: took ${Math.round(r.ms)} ms`);
      if (r.bytes > CASE_BYTES) failures.push(`${name}: grew memory by ${(r.bytes / 2 ** 20).toFixed(1)} MiB`);
      if (JSON.stringify([...got.done.keys()]) !== JSON.stringify(kept))
        failures.push(`${name}: kept ${got.done.size} entries, expected ${kept.length}`);
      if (touched.size > 0 && got.warnings.length === 0) failures.push(`${name}: no warning`);
      if (got.warnings.some((w) => !/^FILE:\d+: skipped, /.test(w))) failures.push(`${name}: warned ${JSON.stringify(got.warnings)}`);
    };
    for (let i = 0; i < FLIPS * 4; i++) {
      const bytes = Buffer.from(text);
      const bits = 1 + rng.int(3);
      const touched = new Set<number>();
      for (let j = 0; j < bits; j++) {
        const pos = rng.int(bytes.length);
        bytes[pos] ^= 1 << rng.int(8);
        touched.add(lineOf(pos));
        // a flipped newline joins its line to the next
        if (text[pos] === '\n') touched.add(lineOf(pos) + 1);
      }
      await check(`${bits} bit flips #${i}`, bytes.toString('utf8'), touched);
    }
    for (let cut = 1; cut < text.length; cut += 1 + rng.int(400)) {
      // A cut right before a newline leaves that line whole: it is kept.
      const touched = new Set<number>(text[cut - 1] === '\n' || text[cut] === '\n' ? [] : [lineOf(cut)]);
      for (let l = lineOf(cut) + 1; l < lines.length; l++) touched.add(l);
      await check(`cut at ${cut}`, text.slice(0, cut), touched);
    }
    console.info(`[journal] seed ${SEED}: ${cases} damaged journals, each damaged line skipped with a warning`);
    expect(failures).toEqual([]);
  });

  it('resumes over a damaged journal, re-running only the damaged job', async () => {
    const f = join(dir, 'damaged.partial.jsonl');
    const bad = Buffer.from(lines[1]);
    bad[40] ^= 0x08;
    writeFileSync(f, [lines[0], bad.toString('latin1'), ...lines.slice(2)].join('\n') + '\n');
    const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const resumed = await runMatrix([block], { progress: null, command: 'test', journal: f, resume: true });
      const all = [...resumed.cells, ...resumed.peers];
      const before = [...report.cells, ...report.peers];
      expect(all.map((r, i) => r.startedAt === before[i].startedAt)).toEqual(before.map((_, i) => i !== 1));
      expect(emitted).toHaveBeenCalledTimes(1);
      expect(String(emitted.mock.calls[0][0]).startsWith(`${f}:2: skipped, checksum is `)).toBe(true);
    } finally {
      emitted.mockRestore();
    }
  });
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
