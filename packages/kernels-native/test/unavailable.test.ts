import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAddon } from '../dist/load-addon.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

// A copy of the package whose C++ does not compile: the build script must still exit 0, and the
// loader must then explain why and what to install. The real build output is never touched.
describe('when the addon cannot be built', () => {
  const root = mkdtempSync(join(tmpdir(), 'hnswlab-native-broken-'));
  // These tests read the loader's own reasons, which HNSWLAB_NATIVE_DISABLE would replace.
  const disabled = process.env.HNSWLAB_NATIVE_DISABLE;
  beforeAll(() => {
    delete process.env.HNSWLAB_NATIVE_DISABLE;
  });
  afterAll(() => {
    if (disabled !== undefined) process.env.HNSWLAB_NATIVE_DISABLE = disabled;
    rmSync(root, { recursive: true, force: true });
  });

  it('the build script exits 0, warns, writes build/UNAVAILABLE.txt, and the loader rejects with that reason', () => {
    cpSync(join(PACKAGE, 'scripts'), join(root, 'scripts'), { recursive: true });
    mkdirSync(join(root, 'native'));
    writeFileSync(
      join(root, 'native', 'binding.gyp'),
      JSON.stringify({ targets: [{ target_name: 'hnswlab_native', sources: ['broken.cc'] }] }),
    );
    writeFileSync(join(root, 'native', 'broken.cc'), '#error this addon is broken on purpose\n');
    if (existsSync(join(PACKAGE, 'node_modules'))) symlinkSync(join(PACKAGE, 'node_modules'), join(root, 'node_modules'), 'dir');

    const run = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/WARNING: the native addon was not built: node-gyp rebuild failed: .*error/i);
    expect(run.stderr).toMatch(/needs a C\+\+17 compiler \(g\+\+ or clang\+\+\), make and python3/);
    const reason = readFileSync(join(root, 'build', 'UNAVAILABLE.txt'), 'utf8');
    expect(reason).toMatch(/^node-gyp rebuild failed: /);
    expect(() => loadAddon(root)).toThrow(/@hnswlab\/kernels-native is unavailable: .*g\+\+.*make and python3/s);
  });

  it('a package that was never built says so', () => {
    const empty = mkdtempSync(join(tmpdir(), 'hnswlab-native-empty-'));
    try {
      expect(() => loadAddon(empty)).toThrow(/never built .*Install a C\+\+17 compiler/s);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
