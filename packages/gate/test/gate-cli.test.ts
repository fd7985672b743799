import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The real CLI in child processes (the planted slowdown patches the core of the process it runs in),
// on the js kernel against a baseline taken here: the deterministic gate's specificity and sensitivity.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hnswlab-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gate(args: string[], env: Record<string, string> = {}) {
  const childEnv = { ...process.env, ...env };
  if (!env.HNSWLAB_GATE_SELFTEST_SLOWDOWN) delete childEnv.HNSWLAB_GATE_SELFTEST_SLOWDOWN;
  const r = spawnSync(process.execPath, [cli, ...args, '--kernels', 'js', '--baselines', dir, '--quiet'], {
    env: childEnv,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('hnswlab-gate deterministic suite, end to end', () => {
  it('baselines (measuring twice and finding the figures identical), then passes the unchanged tree twice', () => {
    const b = gate(['baseline', '--suite', 'deterministic']);
    expect(b.err).toBe('');
    expect(b.code).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'deterministic.json'), 'utf8'));
    expect(file.entries.map((e: { id: string }) => e.id)).toContain('uniform-l2-d32-n2000/js');
    for (let i = 0; i < 2; i++) {
      const c = gate(['check', '--suite', 'deterministic', '--markdown', join(dir, 'verdict.md')]);
      expect(c.code).toBe(0);
      expect(c.out).not.toContain('REGRESSION');
      expect(c.out).toMatch(/gate: pass \(15 pass\)/);
    }
  });

  it('fails, naming distanceEvalsPerInsert, when one extra evaluation per expansion is planted', () => {
    const c = gate(['check', '--suite', 'deterministic', '--json', join(dir, 'evals.json')], { HNSWLAB_GATE_SELFTEST_SLOWDOWN: 'evals:1' });
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/REGRESSION distanceEvalsPerInsert \[js · uniform-l2-d32-n2000\]: baseline [\d.]+ → now [\d.]+ \(\+\d+\.\d\d%/);
    const rows: { figure: string; verdict: string }[] = JSON.parse(readFileSync(join(dir, 'evals.json'), 'utf8')).rows;
    const regressed = new Set(rows.filter((r) => r.verdict === 'regression').map((r) => r.figure));
    expect([...regressed].sort()).toEqual(['distanceEvalsPerInsert', 'distanceEvalsPerQuery']);
  });

  it('refuses to baseline with a slowdown planted', () => {
    const b = gate(['baseline', '--suite', 'deterministic'], { HNSWLAB_GATE_SELFTEST_SLOWDOWN: 'evals:1' });
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/refusing to baseline/);
  });
});
