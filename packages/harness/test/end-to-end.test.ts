import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compareReports,
  htmlReport,
  mergeReports,
  readReport,
  runMatrix,
  summaryMarkdown,
  writeReports,
  type BenchReport,
  type MatrixBlock,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const tiny: MatrixBlock = {
  name: 'main',
  kernels: ['js', 'wasm'],
  strategies: ['sequential', 'batched'],
  datasets: ['clustered'],
  sizes: [300],
  dims: [16],
  threads: [2],
  metric: 'l2',
  M: 8,
  efConstruction: 64,
  ef: [10, 20, 40],
  k: 10,
  queries: 20,
  seed: 5,
  repeat: 1,
  peers: ['hnswlib-node'],
};

let report: BenchReport;
let out: string;

beforeAll(async () => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
  out = mkdtempSync(join(tmpdir(), 'hnswlab-e2e-'));
  report = await runMatrix([tiny, { ...tiny, name: 'scale', kernels: ['js'], strategies: ['batched'], sizes: [200, 400], peers: [] }], {
    progress: null,
    command: 'test',
  });
});

describe('a tiny matrix end to end', () => {
  it('runs 2 kernels × 2 strategies plus the peer, each ok or saying why not', () => {
    const main = report.cells.filter((c) => report.blocks[c.id] === 'main');
    expect(main.map((c) => `${c.spec.kernel}/${c.spec.strategy}`)).toEqual([
      'js/sequential',
      'js/batched',
      'wasm/sequential',
      'wasm/batched',
    ]);
    for (const c of main) {
      if (c.status !== 'ok') console.warn(`[harness] ${c.id}: ${c.reason}`);
      expect(c.status === 'ok' || /^unavailable: /.test(c.reason ?? '')).toBe(true);
    }
    expect(main.filter((c) => c.spec.kernel === 'js').every((c) => c.status === 'ok')).toBe(true);
    expect(report.peers.map((p) => p.library)).toEqual(['hnswlib-node']);
    expect(report.peerStatus.map((p) => p.name)).toEqual(['hnswlib-node']);
    expect(report.analysis.scale).toHaveLength(1);
    // the main block's n=300 cell joins the same series
    expect(report.analysis.scale[0].points.map((p) => p.n)).toEqual([200, 300, 400]);
  });

  it('writes JSON, markdown and HTML that read back', () => {
    const paths = writeReports(report, out);
    const back = readReport(paths.json);
    expect(back.cells.map((c) => c.id)).toEqual(report.cells.map((c) => c.id));
    expect(back.machine.cpus).toBeGreaterThan(0);
    expect(back.node.version).toBe(process.version);
    const md = readFileSync(paths.markdown, 'utf8');
    expect(md).toContain('| js/batched |');
    expect(md).toContain('### scale curve');
    const html = readFileSync(paths.html, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/);
    for (const chart of ['recall-qps', 'build-speed', 'phase-shares', 'memory', 'scale']) expect(html).toContain(`data-chart="${chart}"`);
  });

  it('merges shards into the report of the whole matrix', async () => {
    const shards = [];
    for (const index of [1, 2]) shards.push(await runMatrix([tiny], { progress: null, shard: { index, count: 2 }, command: 'test' }));
    const merged = mergeReports(shards, 'merge');
    const whole = report.cells
      .filter((c) => report.blocks[c.id] === 'main')
      .map((c) => c.id)
      .sort();
    expect(merged.cells.map((c) => c.id).sort()).toEqual(whole);
    expect(merged.shards?.map((s) => s.index)).toEqual([1, 2]);
    expect(summaryMarkdown(merged)).toContain('js/sequential');
    expect(htmlReport(merged)).toContain('data-chart="recall-qps"');
  });

  it('resumes an interrupted run from its journal without re-running finished jobs', async () => {
    const { Journal, planMatrix } = await import('../src/index.js');
    const file = join(out, 'resume.partial.jsonl');
    const block = { ...tiny, kernels: ['js'], peers: [] as MatrixBlock['peers'] };
    const [first] = await planMatrix([block]);
    const earlier = report.cells.find((c) => c.spec.kernel === 'js' && c.spec.strategy === 'sequential' && c.spec.n === 300)!;
    new Journal(file).record(first, earlier);
    const resumed = await runMatrix([block], { progress: null, command: 'test', journal: file, resume: true });
    expect(resumed.cells[0].startedAt).toBe(earlier.startedAt);
    expect(resumed.cells[1].startedAt).not.toBe(earlier.startedAt);
    // the journal outlives the run: the caller settles it once the reports are written
    expect(existsSync(file)).toBe(true);
    expect(new Journal(file).settle(resumed.cells)).toBe(resumed.cells.every((c) => c.status === 'ok'));
    expect(existsSync(file)).toBe(resumed.cells.some((c) => c.status !== 'ok'));
  });

  it('compares two runs figure by figure with ratios; deterministic counts do not move', () => {
    const cmp = compareReports(report, report);
    expect(cmp.changes.length).toBeGreaterThan(0);
    expect(cmp.changes.every((c) => c.direction === 'same')).toBe(true);
    const evals = cmp.changes.find((c) => c.figure === 'dist/insert')!;
    expect(evals.ratio).toBe(1);
  });

  it('runs from the command line: bench with flags straight after the command, then compare and merge', () => {
    expect(existsSync(cli), 'build the harness first (pnpm build)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-cli-'));
    const env = { ...process.env, CI: '1' };
    const bench = spawnSync(
      process.execPath,
      [
        cli,
        '--kernels',
        'js',
        '--strategies',
        'batched',
        '--sizes',
        '300',
        '--dims',
        '16',
        '--ef',
        '10,20',
        '--queries',
        '10',
        '--M',
        '8',
        '--ef-construction',
        '32',
        '--peers',
        'none',
        '--out',
        dir,
      ],
      { env, encoding: 'utf8' },
    );
    expect(bench.status, bench.stderr).toBe(0);
    expect(bench.stdout).toContain('| js/batched |');
    expect(bench.stderr).toMatch(/\[1\/1\] js\/batched/);
    const json = join(dir, 'bench.json');
    expect(readReport(json).command).toContain('--kernels js');
    const cmp = execFileSync(process.execPath, [cli, 'compare', json, json], { encoding: 'utf8' });
    expect(cmp).toContain('build vec/s');
    expect(cmp).toContain('1.00×');
    const merged = spawnSync(process.execPath, [cli, 'merge', json, '--out', join(dir, 'merged')], { encoding: 'utf8' });
    expect(merged.status, merged.stderr).toBe(0);
    expect(existsSync(join(dir, 'merged', 'bench.html'))).toBe(true);
    const bad = spawnSync(process.execPath, [cli, 'bench', '--sizes', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not a number/);
  });

  it('refuses unknown names as usage errors (exit 2) that list the known ones', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    const cases: Array<[string[], RegExp]> = [
      [['bench', '--kernels', 'nosuch'], /unknown kernel 'nosuch' \(known: js, wasm, native, best/],
      [['bench', '--strategies', 'nosuch', '--dims', '8'], /unknown strategy 'nosuch' \(known: sequential, batched/],
      [['bench', '--datasets', 'nosuch'], /unknown dataset 'nosuch' \(known: glove, clustered, uniform/],
      [['bench', '--preset', 'nosuch'], /unknown preset 'nosuch' \(known: quick, default/],
      [['bench', '--frob'], /unknown flag --frob/],
      [['frob'], /unknown command 'frob'/],
      [['merge'], /usage: hnswlab merge/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const help = run('help');
    expect(help.status).toBe(0);
    for (const section of ['commands', 'bench options', 'presets']) expect(help.stdout).toContain(`\n${section}\n`);
  });

  it("runs two shards (as two machines) whose merge has the unsharded run's cells and deterministic figures", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-shards-'));
    const bench = (out: string, machine: string, ...extra: string[]) => {
      const r = spawnSync(
        process.execPath,
        [cli, 'bench', '--preset', 'quick', '--peers', 'hnswlib-node', '--progress', 'none', '--out', out, ...extra],
        {
          encoding: 'utf8',
          env: { ...process.env, HNSWLAB_MACHINE: machine },
        },
      );
      expect(r.status, r.stderr).toBe(0);
    };
    bench(join(dir, 'whole'), 'local');
    bench(join(dir, 's1'), 'runner-a', '--shard', '1/2');
    bench(join(dir, 's2'), 'runner-b', '--shard', '2/2');
    const merged = spawnSync(
      process.execPath,
      [cli, 'merge', join(dir, 's1', 'bench-shard-1-of-2.json'), join(dir, 's2', 'bench-shard-2-of-2.json'), '--out', join(dir, 'merged')],
      { encoding: 'utf8' },
    );
    expect(merged.status, merged.stderr).toBe(0);
    const whole = readReport(join(dir, 'whole', 'bench.json'));
    const m = readReport(join(dir, 'merged', 'bench.json'));
    // deterministic figures: seeded data, seeded level draws, single-thread builds and searches
    const figures = (c: BenchReport['cells'][number]) => ({
      id: c.id,
      status: c.status,
      threads: c.build?.threads,
      evals: c.build?.distanceEvalsPerInsert,
      visited: c.build?.nodesVisitedPerInsert,
      bytes: c.memory?.indexBytes,
      search: c.search?.map((p) => [p.ef, p.recall, p.distanceEvalsPerQuery]),
    });
    const byId = (a: ReturnType<typeof figures>, b: ReturnType<typeof figures>) => a.id.localeCompare(b.id);
    expect(m.cells.map(figures).sort(byId)).toEqual(whole.cells.map(figures).sort(byId));
    expect(m.cells).toHaveLength(2);
    expect(m.cells.every((c) => c.build?.threads === 1)).toBe(true);
    // each shard measured its own hnswlib-node beside its cell; each cell says which runner measured it
    expect(new Set(m.cells.map((c) => c.machine))).toEqual(new Set(['runner-a', 'runner-b']));
    expect(m.peers.map((p) => p.machine).sort()).toEqual(['runner-a', 'runner-b']);
    expect(m.shards?.map((s) => [s.index, s.machine?.label])).toEqual([
      [1, 'runner-a'],
      [2, 'runner-b'],
    ]);
    const md = readFileSync(join(dir, 'merged', 'bench.md'), 'utf8');
    expect(md).toContain('### machines');
    expect(md).toMatch(/\| cell \|.*\| machine \|/);
    const headline = spawnSync(process.execPath, [cli, 'headline', join(dir, 'merged', 'bench.json')], { encoding: 'utf8' });
    expect(headline.status, headline.stderr).toBe(0);
    expect(headline.stdout).toMatch(
      /best build \*\*[\d,]+ vectors\/s\*\* \(js\/(sequential|batched), 1 thread\) = \*\*[\d.]+× hnswlib-node\*\*/,
    );
    expect(headline.stdout).toContain('Measured on 2 machines: runner-a, runner-b');
  });
});
