import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BASELINE_VERSION,
  describeContention,
  instructionCells,
  instructionFigure,
  judgeInstructions,
  otherHostReason,
  readBaseline,
  readCallgrindParts,
  sameHostSession,
  startLoad,
  validateBaseline,
  valgrindIsaLevel,
  watchContention,
  writeBaseline,
  type InstructionBaselineFile,
  type InstructionEnvironment,
  type InstructionMeasurement,
  type MachineInfo,
} from '@hnswlab/gate';

const dir = mkdtempSync(join(tmpdir(), 'hnswlab-gate-baselines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const machine: MachineInfo = {
  cpu: 'AMD EPYC',
  cores: 2,
  memoryGiB: 23.5,
  platform: 'linux',
  arch: 'x64',
  node: 'v20.20.2',
  v8: '11.3',
  commit: null,
  dirty: null,
  host: { name: 'box', session: 'aaaa' },
};
const environment: InstructionEnvironment = {
  node: 'v20.20.2',
  v8: '11.3',
  valgrind: 'valgrind-3.19.0',
  glibc: '2.36',
  arch: 'x64',
  isa: 'x86-64-v3',
};
const [cell] = instructionCells(['js'], ['sequential']);

function instructionFile(): InstructionBaselineFile {
  return structuredClone({
    suite: 'instructions',
    version: BASELINE_VERSION,
    createdAt: '2026-01-01T00:00:00.000Z',
    command: 'test',
    machine,
    notes: '',
    entries: [
      {
        id: cell.id,
        kernel: 'js',
        strategy: 'sequential',
        kernelName: 'js',
        spec: cell.spec,
        environment,
        figures: {
          instructionsPerInsert: instructionFigure([770_437, 770_451]),
          instructionsPerQuery: instructionFigure([516_046, 516_066]),
        },
      },
    ],
  } satisfies InstructionBaselineFile);
}

const measured = (perInsert: number, over: Partial<InstructionMeasurement> = {}): InstructionMeasurement => ({
  cell,
  kernelName: 'js',
  status: 'ok',
  figures: { instructionsPerInsert: perInsert, instructionsPerQuery: 516_050 },
  seconds: 1,
  ...over,
});

describe('baseline files: checksum and strict validation', () => {
  it('round-trips a written file and refuses it once a number is edited', () => {
    writeBaseline(dir, instructionFile());
    expect(readBaseline(dir, 'instructions')?.entries[0].figures.instructionsPerInsert?.value).toBe(770_444);
    const file = join(dir, 'instructions.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('770444', '800000'));
    expect(() => readBaseline(dir, 'instructions')).toThrow(new RegExp(`${file}: checksum mismatch`));
  });

  it('refuses a file of another version, naming it', () => {
    const file = join(dir, 'instructions.json');
    writeFileSync(file, JSON.stringify({ suite: 'instructions', version: 1, entries: [] }));
    expect(() => readBaseline(dir, 'instructions')).toThrow(new RegExp(`${file}: baseline version 1, this gate reads ${BASELINE_VERSION}`));
  });

  // Each invariant the validator claims, broken on purpose.
  const cases: [string, (f: InstructionBaselineFile) => void, RegExp][] = [
    [
      'a missing environment field',
      (f) => delete (f.entries[0].environment as Partial<InstructionEnvironment>).glibc,
      /environment\.glibc: expected a string/,
    ],
    [
      'a value that is not finite',
      (f) => (f.entries[0].figures.instructionsPerInsert!.value = NaN),
      /instructionsPerInsert\.value: expected a finite number/,
    ],
    [
      'a negative tolerance',
      (f) => (f.entries[0].figures.instructionsPerInsert!.tolerance.relative = -0.01),
      /tolerance\.relative: expected ≥ 0/,
    ],
    [
      'an unknown figure',
      (f) => ((f.entries[0].figures as Record<string, unknown>).instructionsPerNothing = {}),
      /instructionsPerNothing: not a known figure/,
    ],
    ['an empty run list', (f) => (f.entries[0].figures.instructionsPerInsert!.runs = []), /runs: expected at least one element/],
    ['a fractional n', (f) => (f.entries[0].spec.n = 1000.5), /spec\.n: expected an integer/],
    [
      'gated that is not a boolean',
      (f) => ((f.entries[0].figures.instructionsPerInsert as { gated: unknown }).gated = 'yes'),
      /gated: expected true or false/,
    ],
  ];
  it.each(cases)('reports %s', (_, breakIt, message) => {
    const f = instructionFile();
    breakIt(f);
    expect(validateBaseline(JSON.parse(JSON.stringify(f)), 'instructions').join('\n')).toMatch(message);
  });

  it('finds nothing wrong with a sound file', () => {
    expect(validateBaseline(JSON.parse(JSON.stringify({ ...instructionFile(), checksum: 'x' })), 'instructions')).toEqual([]);
  });
});

describe('instruction verdicts', () => {
  const run = (m: InstructionMeasurement, env: InstructionEnvironment | null = environment) => ({ measurements: [m], environment: env });

  it('passes the spread of repeat runs and fails a change beyond the tolerance floor', () => {
    const b = instructionFile();
    expect(judgeInstructions(b, run(measured(770_460))).map((r) => r.verdict)).toEqual(['pass', 'pass']);
    const slow = judgeInstructions(b, run(measured(770_444 * 1.01)));
    expect(slow[0].verdict).toBe('regression');
    expect(slow[0].changePercent).toBeCloseTo(1, 5);
    expect(judgeInstructions(b, run(measured(770_444 * 0.99)))[0].verdict).toBe('improvement');
  });

  it('is unknown, never pass, without valgrind, in another environment, or on another code path', () => {
    const b = instructionFile();
    const none = judgeInstructions(
      b,
      run(measured(0, { status: 'no-valgrind', figures: undefined, reason: 'valgrind is not installed' }), null),
    );
    expect(none.map((r) => r.verdict)).toEqual(['unknown', 'unknown']);
    const other = judgeInstructions(b, run(measured(770_444 * 1.05), { ...environment, glibc: '2.39' }));
    expect(other[0].verdict).toBe('unknown');
    expect(other[0].note).toMatch(/glibc 2\.36 → 2\.39/);
    const path = judgeInstructions(b, run(measured(770_444, { kernelName: 'js-other' })));
    expect(path[0].note).toMatch(/holds code path 'js', this run took 'js-other'/);
  });

  it('reports, not gates, a figure whose baseline runs spread too much', () => {
    const b = instructionFile();
    b.entries[0].figures.instructionsPerInsert = instructionFigure([700_000, 770_000]);
    expect(b.entries[0].figures.instructionsPerInsert.gated).toBe(false);
    expect(judgeInstructions(b, run(measured(800_000)))[0].verdict).toBe('unknown');
  });

  it('derives the tolerance from the spread, never below the floor', () => {
    expect(instructionFigure([1000, 1000]).tolerance.relative).toBe(0.005);
    expect(instructionFigure([1000, 1001]).tolerance.relative).toBeCloseTo(0.01, 3);
  });
});

describe('callgrind parts', () => {
  it('reads one count per dump, the final file last', () => {
    const base = join(dir, 'callgrind.out');
    writeFileSync(`${base}.1`, 'events: Ir\nsummary: 100\n');
    writeFileSync(`${base}.2`, 'events: Ir\nsummary: 250\n');
    writeFileSync(base, 'events: Ir\ntotals: 7\n');
    expect(readCallgrindParts(base)).toEqual([100, 250, 7]);
  });

  it('reads the ISA level valgrind will present from the host flags', () => {
    expect(valgrindIsaLevel('flags\t: fpu sse ssse3 fma sse4_2 movbe popcnt avx abm bmi1 avx2 bmi2 avx512f')).toBe(
      process.arch === 'x64' ? 'x86-64-v3' : process.arch,
    );
    expect(valgrindIsaLevel('flags\t: fpu sse ssse3 sse4_2 popcnt')).toBe(process.arch === 'x64' ? 'x86-64-v2' : process.arch);
  });
});

describe('host identity for timing', () => {
  it('gates timing only within one host session', () => {
    expect(sameHostSession(machine, machine)).toBe(true);
    const rebooted = { ...machine, host: { name: 'box', session: 'bbbb' } };
    expect(sameHostSession(machine, rebooted)).toBe(false);
    expect(otherHostReason(machine, rebooted)).toMatch(/another host or boot of box/);
    // Same CPU model, another runner: the old check called this the same machine.
    expect(otherHostReason(machine, { ...machine, host: { name: 'runner-2', session: 'cccc' } })).toMatch(/another host \(box\)/);
    expect(sameHostSession(machine, { ...machine, host: { name: 'box', session: null } })).toBe(false);
  });
});

describe('contention', () => {
  it('sees a busy loop on another core as load', async () => {
    if (process.platform !== 'linux') return;
    const load = startLoad(1);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const watch = watchContention();
      await new Promise((r) => setTimeout(r, 1500));
      const c = watch.stop();
      expect(c.othersCores).toBeGreaterThan(0.5);
      expect(c.quiet).toBe(false);
      expect(describeContention(c)).toMatch(/^others \d\.\d\d of \d+ cores/);
    } finally {
      await load.stop();
    }
  });
});
