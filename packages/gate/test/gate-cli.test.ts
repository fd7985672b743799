import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STORES } from '@hnswlab/core';
import { afterAll, describe, expect, it } from 'vitest';

// The real CLI in child processes (the planted slowdown patches the core of the process it runs in),
// on the js kernel against a baseline taken here: the deterministic gate's specificity and sensitivity,
// its usage errors, the baseline file's integrity and the required-kernel rule.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hnswlab-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gate(args: string[], env: Record<string, string> = {}, baselines = dir) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const k of ['HNSWLAB_GATE_SELFTEST_SLOWDOWN', 'HNSWLAB_REQUIRE_KERNELS', 'HNSWLAB_NATIVE_DISABLE']) if (!env[k]) delete childEnv[k];
  const r = spawnSync(process.execPath, [cli, ...args, '--baselines', baselines, '--quiet'], { env: childEnv, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const detJs = ['--suite', 'deterministic', '--kernels', 'js', '--strategies', 'sequential'];

describe('hnswlab-gate deterministic suite, end to end', () => {
  it('baselines (measuring twice and finding the figures identical), then passes the unchanged tree twice', () => {
    const b = gate(['baseline', ...detJs]);
    expect(b.err).toBe('');
    expect(b.code).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'deterministic.json'), 'utf8'));
    expect(file.entries.map((e: { id: string }) => e.id)).toContain('uniform-l2-d32-n2000/sequential/js');
    expect(file.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (let i = 0; i < 2; i++) {
      const c = gate(['check', ...detJs, '--markdown', join(dir, 'verdict.md')]);
      expect(c.code).toBe(0);
      expect(c.out).not.toContain('REGRESSION');
      // 5 figures of the 3 sequential cells and of one cell per quantised store (the js kernel lists them all)
      expect(c.out).toContain(`gate: pass (${(3 + STORES.length - 1) * 5} pass)`);
    }
  });

  it('fails, naming distanceEvalsPerInsert, when one extra evaluation per expansion is planted', () => {
    const c = gate(['check', ...detJs, '--json', join(dir, 'evals.json')], { HNSWLAB_GATE_SELFTEST_SLOWDOWN: 'evals:1' });
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/REGRESSION distanceEvalsPerInsert \[js · uniform-l2-d32-n2000\]: baseline [\d.]+ → now [\d.]+ \(\+\d+\.\d\d%/);
    const rows: { figure: string; verdict: string }[] = JSON.parse(readFileSync(join(dir, 'evals.json'), 'utf8')).rows;
    const regressed = new Set(rows.filter((r) => r.verdict === 'regression').map((r) => r.figure));
    expect([...regressed].sort()).toEqual(['distanceEvalsPerInsert', 'distanceEvalsPerQuery']);
  });

  it('refuses to baseline with a slowdown planted', () => {
    const b = gate(['baseline', ...detJs], { HNSWLAB_GATE_SELFTEST_SLOWDOWN: 'evals:1' });
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/refusing to baseline/);
  });
});

describe('hnswlab-gate threaded strategies: gated on counters, tolerance from their spread', () => {
  it('baselines parallel over several runs with a widened tolerance and passes the unchanged tree', () => {
    const tdir = mkdtempSync(join(dir, 'threaded-'));
    const args = ['--suite', 'deterministic', '--kernels', 'js', '--strategies', 'parallel,rounds'];
    expect(gate(['baseline', ...args], {}, tdir).code).toBe(0);
    const file = JSON.parse(readFileSync(join(tdir, 'deterministic.json'), 'utf8'));
    const parallel = file.entries.find((e: { id: string }) => e.id === 'uniform-l2-d32-n2000/parallel/js');
    const rounds = file.entries.find((e: { id: string }) => e.id === 'uniform-l2-d32-n2000/rounds/js');
    expect(parallel.figures.distanceEvalsPerInsert.runs).toHaveLength(5);
    expect(parallel.figures.distanceEvalsPerInsert.tolerance.relative).toBeGreaterThanOrEqual(0.02);
    // rounds is deterministic by design: one value, the exact tolerance.
    expect(rounds.figures.distanceEvalsPerInsert.runs).toBeUndefined();
    const c = gate(['check', ...args], {}, tdir);
    expect(c.code).toBe(0);
    expect(c.out).not.toMatch(/REGRESSION|improvement/);
  });
});

describe('hnswlab-gate usage errors (exit 2, never a pass having checked nothing)', () => {
  it.each([
    [['--kernels', 'nosuch'], /unknown kernel 'nosuch' \(known: js, wasm, native\)/],
    [['--strategies', 'nosuch'], /unknown strategy 'nosuch'/],
    [['--suite', 'nosuch'], /unknown suite 'nosuch'/],
    [['--suite', 'deterministic', '--kernels', 'js', '--strategies', 'sequential', '--only', 'nosuch'], /--only nosuch matched no figure/],
    [['--repeats', '0'], /--repeats must be a positive integer/],
  ])('check %j', (args, message) => {
    const c = gate(['check', ...args]);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(message);
    expect(c.out).not.toMatch(/gate: pass/);
  });

  it('an unknown command', () => {
    const c = gate(['chek']);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/unknown command 'chek'/);
  });
});

describe('hnswlab-gate baseline integrity', () => {
  const broken = (edit: (text: string) => string) => {
    const bdir = mkdtempSync(join(dir, 'broken-'));
    copyFileSync(join(dir, 'deterministic.json'), join(bdir, 'deterministic.json'));
    writeFileSync(join(bdir, 'deterministic.json'), edit(readFileSync(join(bdir, 'deterministic.json'), 'utf8')));
    return { bdir, file: join(bdir, 'deterministic.json') };
  };

  it('refuses a hand-edited value (checksum), naming the file and the legitimate way to re-baseline', () => {
    const { bdir, file } = broken((t) =>
      t.replace(/("distanceEvalsPerInsert": \{\s*"value": )([\d.]+)/, (_, a: string, v: string) => `${a}${Number(v) * 1.1}`),
    );
    const c = gate(['check', ...detJs], {}, bdir);
    expect(c.code).toBe(2);
    expect(c.err).toContain(file);
    expect(c.err).toMatch(/checksum mismatch.*pnpm bench:baseline --suite deterministic/);
  });

  it('names the file when its JSON is broken', () => {
    const { bdir, file } = broken((t) => t.slice(0, t.length / 2));
    const c = gate(['check', ...detJs], {}, bdir);
    expect(c.code).toBe(2);
    expect(c.err).toContain(`${file}: not valid JSON`);
  });
});

describe('HNSWLAB_REQUIRE_KERNELS', () => {
  it('turns an unavailable required kernel into a failure with its reason; without it the kernel is skipped', () => {
    const env = { HNSWLAB_NATIVE_DISABLE: '1' };
    const args = ['check', '--suite', 'deterministic', '--kernels', 'js,native', '--strategies', 'sequential'];
    const skipped = gate(args, env);
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(/skipped/);
    const required = gate(args, { ...env, HNSWLAB_REQUIRE_KERNELS: 'js,native' });
    expect(required.code).toBe(1);
    expect(required.out).toMatch(/MISSING required kernel \[native\].*HNSWLAB_NATIVE_DISABLE/);
  });

  it('refuses an unknown name in the variable', () => {
    const c = gate(['check', ...detJs], { HNSWLAB_REQUIRE_KERNELS: 'js,nosuch' });
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/unknown kernel in HNSWLAB_REQUIRE_KERNELS 'nosuch'/);
  });
});

describe('hnswlab-gate instruction suite without valgrind', () => {
  it('reports every figure unknown, never pass, and does not fail the gate', () => {
    const c = gate([
      'check',
      '--suite',
      'instructions',
      '--kernels',
      'js',
      '--valgrind',
      '/nonexistent/valgrind',
      '--json',
      join(dir, 'novalgrind.json'),
    ]);
    expect(c.code).toBe(0);
    const rows: { verdict: string; note: string }[] = JSON.parse(readFileSync(join(dir, 'novalgrind.json'), 'utf8')).rows;
    expect(rows.length).toBe(3);
    for (const r of rows) {
      expect(r.verdict).toBe('unknown');
      expect(r.note).toMatch(/valgrind is not installed/);
    }
  });
});
