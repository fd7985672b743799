import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PHASE_CLASSES, PHASE_FUNCTIONS } from '@hnswlab/core';
import { createKernel } from '@hnswlab/kernels-js';
import {
  FUSED_METHOD_PHASES,
  FUSED_METHODS,
  KERNEL_METHODS,
  PHASE_ROOTS,
  PHASES,
  WASM_PHASE_FUNCTIONS,
  wasmNamesFromFiles,
} from '@hnswlab/flame';
import { loadKernel } from '@hnswlab/harness';

// A rename in the core must fail here, not silently move time into "harness overhead".
function method(qualified: string): unknown {
  const [cls, name] = qualified.split('.');
  const C = PHASE_CLASSES[cls];
  expect(C, `class ${cls} of '${qualified}' is not in PHASE_CLASSES`).toBeDefined();
  return (C.prototype as Record<string, unknown>)[name];
}

describe('phase map', () => {
  it('names an existing method for every entry of PHASE_FUNCTIONS, with a known phase', () => {
    const entries = Object.entries(PHASE_FUNCTIONS);
    expect(entries.length).toBeGreaterThan(0);
    for (const [name, phase] of entries) {
      expect(name, 'keys are Class.method').toMatch(/^\w+\.\w+$/);
      expect(typeof method(name), `${name} is not a method of its class any more`).toBe('function');
      expect(PHASES).toContain(phase);
    }
  });

  it('names existing methods as the build and search roots', () => {
    for (const name of [...PHASE_ROOTS.build, ...PHASE_ROOTS.search]) expect(typeof method(name), name).toBe('function');
  });

  it('covers every insert phase', () => {
    expect(new Set(Object.values(PHASE_FUNCTIONS))).toEqual(new Set(PHASES));
  });

  it('names as kernel methods what a probe really has', async () => {
    const kernel = await createKernel();
    const probe = kernel.createSpace({ dim: 4, metric: 'l2', capacity: 2 }).createProbe(4) as unknown as Record<string, unknown>;
    for (const name of KERNEL_METHODS) expect(typeof probe[name], name).toBe('function');
  });
});

// The same for the wasm kernel's fused traversal: a renamed AssemblyScript function must fail here.
const wasm = await loadKernel('wasm').then(
  (kernel) => ({ kernel, reason: null }),
  (err: Error) => ({ kernel: null, reason: err.message }),
);

describe('wasm phase map', () => {
  if (!wasm.kernel) {
    it.skip(`skipped: the wasm kernel does not load here: ${wasm.reason}`, () => {});
    return;
  }
  const kernel = wasm.kernel;
  it("names a function of the wasm kernel's module for every entry of WASM_PHASE_FUNCTIONS", () => {
    const dir = dirname(fileURLToPath(kernel.descriptor.module));
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => join(dir, f));
    const names = [...(wasmNamesFromFiles(files)?.values() ?? [])].map((n) => n.replace(/<.*$/, ''));
    for (const [name, phase] of Object.entries(WASM_PHASE_FUNCTIONS)) {
      expect(names, `${name} is not a function of the module any more`).toContain(name);
      expect(PHASES).toContain(phase);
    }
  });
});

// The fused wrappers' method names carry phases (FUSED_METHOD_PHASES) and mark a whole insert: a
// renamed method of the native traversal must fail here, not silently move time out of its phase.
const native = await loadKernel('native').then(
  (kernel) => ({ kernel, reason: null }),
  (err: Error) => ({ kernel: null, reason: err.message }),
);

describe('fused traversal methods', () => {
  it('names only fused-traversal methods in FUSED_METHOD_PHASES', () => {
    for (const name of Object.keys(FUSED_METHOD_PHASES)) expect(FUSED_METHODS.has(name), name).toBe(true);
    expect(FUSED_METHODS.has('insert')).toBe(true);
  });
  if (!native.kernel) {
    it.skip(`skipped: the native kernel does not load here: ${native.reason}`, () => {});
    return;
  }
  const kernel = native.kernel;
  it('names methods the native traversal has', async () => {
    const mod = (await import(kernel.descriptor.module)) as { NativeTraversal: { prototype: Record<string, unknown> } };
    for (const name of [...Object.keys(FUSED_METHOD_PHASES), 'insert'])
      expect(typeof mod.NativeTraversal.prototype[name], `NativeTraversal.${name}`).toBe('function');
  });
});
