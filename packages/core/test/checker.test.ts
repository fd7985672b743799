import { describe, expect, it } from 'vitest';
import { HnswIndex } from '../dist/index.js';
import { graphOf, idMapOf } from '../dist/testing.js';

// The graph checker, shown each fault it claims to catch: a checker that always answered "sound"
// would fail every case here.
// The js kernel from its built package (core cannot depend on a kernel package: they depend on core).
const { createKernel } = (await import(new URL('../../kernels-js/dist/index.js', import.meta.url).href)) as {
  createKernel(): Promise<import('../dist/contracts.js').DistanceKernel>;
};

async function sound(): Promise<HnswIndex> {
  const index = new HnswIndex({ dim: 4, M: 4, efConstruction: 16, kernel: await createKernel(), seed: 3 });
  const v = new Float32Array(4 * 300);
  for (let i = 0; i < v.length; i++) v[i] = Math.sin(i * 1.7) + (i % 7);
  await index.addBatch(v);
  expect(index.check().problems).toEqual([]);
  return index;
}

/** The first row with a level above 0, and one at level 0. */
function rows(index: HnswIndex): { up: number; flat: number } {
  const g = graphOf(index);
  let up = -1,
    flat = -1;
  for (let r = 0; r < g.count; r++) {
    if (g.levels[r] > 0 && up < 0 && r !== g.entry) up = r;
    if (g.levels[r] === 0 && flat < 0) flat = r;
  }
  return { up, flat };
}

describe('the graph checker catches', () => {
  const cases: Array<[string, RegExp, (index: HnswIndex) => void]> = [
    ['a self-link', /row 5 level 0: self-link/, (i) => (graphOf(i).links0[5 * graphOf(i).stride0 + 1] = 5)],
    [
      'a duplicate link',
      /row 5 level 0: duplicate link/,
      (i) => {
        const g = graphOf(i),
          off = 5 * g.stride0;
        g.links0[off + 2] = g.links0[off + 1];
      },
    ],
    [
      'a link to a row that does not exist',
      /row 5 level 0: link to 300, not a row/,
      (i) => (graphOf(i).links0[5 * graphOf(i).stride0 + 1] = 300),
    ],
    ['a negative link', /row 5 level 0: link to -1, not a row/, (i) => (graphOf(i).links0[5 * graphOf(i).stride0 + 1] = -1)],
    [
      'a link to a row that does not reach the level',
      /level 1: link to \d+, which only reaches level 0/,
      (i) => {
        const g = graphOf(i),
          { up, flat } = rows(i);
        g.upper[g.listOffset(up, 1) + 1] = flat;
      },
    ],
    ['a list over its bound', /row 5 level 0: 9 links, bound 8/, (i) => (graphOf(i).links0[5 * graphOf(i).stride0] = 9)],
    [
      'a lost insert (no level-0 links)',
      /row 5 has no level-0 links \(a lost insert\)/,
      (i) => (graphOf(i).links0[5 * graphOf(i).stride0] = 0),
    ],
    ['an entry point that is not a row', /entry point 999 is not a row/, (i) => (graphOf(i).header[1] = 999)],
    ['an entry point below the top level', /entry point \d+ has level 0, max level is/, (i) => (graphOf(i).header[1] = rows(i).flat)],
    ['a row above the top level', /row 7 has level \d+ above max level/, (i) => (graphOf(i).levels[7] = 30)],
    ['an id that maps to a row holding another', /id 12 maps to row 12, which does not hold it/, (i) => (graphOf(i).labels[12] = 5000)],
    ['an id that maps to a tombstone', /id 20 maps to row 20, which does not hold it/, (i) => (graphOf(i).deleted[20] = 1)],
    ['two live rows holding one id', /row 31 holds id 30, which maps to row 30/, (i) => (graphOf(i).labels[31] = 30)],
    ['a live row whose id maps nowhere', /row 40 holds id 40, which maps to nothing/, (i) => idMapOf(i).delete(40)],
    ['an id map larger than the live rows', /300 live rows but 301 ids in the id map/, (i) => idMapOf(i).set(7777, 3)],
  ];
  for (const [what, message, corrupt] of cases) {
    it(what, async () => {
      const index = await sound();
      corrupt(index);
      const problems = index.check().problems;
      expect(
        problems.some((p) => message.test(p)),
        problems.join(' | '),
      ).toBe(true);
    });
  }
});
