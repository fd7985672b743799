import { describe, expect, it } from 'vitest';
import { attributeProfiles, diffAttributions, formatDiff, type AttributionMethod, type CpuProfile } from '@hnswlab/flame';

const method: AttributionMethod = { inlining: 'disabled', nodeFlags: [], intervalUs: 1000, description: 'test' };
const phaseFunctions = { 'Searcher.searchLayer': 'neighborSearch', 'Inserter.selectNeighbors': 'connectionManagement' } as const;

/** insert → searchLayer → toRow (kernel) for `kernelMs`, searchLayer self for `searchMs`, selectNeighbors for `selectMs`. */
function run(kernelMs: number, searchMs: number, selectMs: number, units: number) {
  const frame = (functionName: string) => ({ functionName, scriptId: 0, url: '', lineNumber: -1, columnNumber: -1 });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2] },
      { id: 2, callFrame: frame('Inserter.insert'), children: [3, 5] },
      { id: 3, callFrame: frame('Searcher.searchLayer'), children: [4] },
      { id: 4, callFrame: frame('toRow') },
      { id: 5, callFrame: frame('Inserter.selectNeighbors') },
    ],
    startTime: 0,
    endTime: 0,
    samples: [...Array(kernelMs).fill(4), ...Array(searchMs).fill(3), ...Array(selectMs).fill(5)],
    timeDeltas: Array(kernelMs + searchMs + selectMs).fill(1000),
  };
  return attributeProfiles([{ file: 'p', profile }], { phase: 'build', method, units, phaseFunctions });
}

describe('diffAttributions', () => {
  // Before: 60 ms kernel, 30 ms search, 10 ms select over 1,000 inserts. After: the kernel got 3× faster.
  const before = run(60, 30, 10, 1000);
  const after = run(20, 30, 10, 1000);
  const d = diffAttributions(before, after, 'before', 'after');

  it('reports each bucket in percentage points and ms per 1,000 inserts', () => {
    const kernel = d.buckets.find((b) => b.bucket === 'kernel')!;
    expect(kernel.beforeShare).toBeCloseTo(0.6);
    expect(kernel.afterShare).toBeCloseTo(1 / 3);
    expect(kernel.deltaPp).toBeCloseTo(100 * (1 / 3 - 0.6));
    expect(kernel.deltaMsPer1k).toBeCloseTo(-40);
    // Neighbor search's share grew while its absolute time did not change: both figures are needed.
    const search = d.buckets.find((b) => b.bucket === 'neighborSearch')!;
    expect(search.deltaPp).toBeGreaterThan(0);
    expect(search.deltaMsPer1k).toBeCloseTo(0);
  });

  it('lists functions by absolute change, with the ones only on one side marked', () => {
    expect(d.functions[0].name).toBe('toRow');
    expect(d.functions[0].deltaMsPer1k).toBeCloseTo(-40);
    const other = diffAttributions(before, run(60, 30, 0, 1000));
    expect(other.functions.find((f) => f.name === 'Inserter.selectNeighbors')?.only).toBe('before');
  });

  it('scales by the units of each side', () => {
    const twice = diffAttributions(before, run(120, 60, 20, 2000));
    for (const b of twice.buckets) expect(b.deltaMsPer1k).toBeCloseTo(0);
  });

  it('prints the growth and the shrinkage', () => {
    const text = formatDiff(d);
    expect(text).toContain('shrank most');
    expect(text).toMatch(/kernel .*-40\.00/);
  });

  it('warns when the two were not measured alike', () => {
    const inlined = { ...after, method: { ...after.method, inlining: 'enabled' as const } };
    expect(diffAttributions(before, inlined).caveats.join(' ')).toContain('inlining');
  });
});
