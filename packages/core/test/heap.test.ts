import { describe, expect, it } from 'vitest';
import { PairHeap } from '../dist/heap.js';

// The heaps decide which candidate is expanded next and which result is evicted: every traversal
// (JavaScript, wasm, native) must agree on the order, ties included, or graphs differ.
describe('PairHeap', () => {
  it('nearest-first pops by distance, then by the smaller row on ties', () => {
    const h = PairHeap.nearestFirst(2);
    const pairs: Array<[number, number]> = [
      [0.5, 7],
      [0.25, 9],
      [0.5, 3],
      [0.25, 2],
      [1, 0],
      [0.5, 5],
    ];
    for (const [d, r] of pairs) h.push(d, r);
    const order: Array<[number, number]> = [];
    while (h.size > 0) {
      order.push([h.topKey(), h.topRow()]);
      h.pop();
    }
    expect(order).toEqual([
      [0.25, 2],
      [0.25, 9],
      [0.5, 3],
      [0.5, 5],
      [0.5, 7],
      [1, 0],
    ]);
  });

  it('farthest-first pops by distance descending, then by the larger row on ties; replaceTop evicts the worst', () => {
    const h = PairHeap.farthestFirst(4);
    for (const [d, r] of [
      [0.5, 3],
      [0.5, 8],
      [0.1, 1],
      [0.9, 4],
    ] as const)
      h.push(d, r);
    expect([h.topKey(), h.topRow()]).toEqual([Math.fround(0.9), 4]);
    h.replaceTop(0.3, 6);
    const order: number[] = [];
    while (h.size > 0) {
      order.push(h.topRow());
      h.pop();
    }
    expect(order).toEqual([8, 3, 6, 1]);
  });

  it('drainReversed gives a farthest-first heap nearest first, and the heap grows past its capacity', () => {
    const h = PairHeap.farthestFirst(1);
    for (let i = 0; i < 100; i++) h.push((i * 37) % 100, i);
    const rows = new Int32Array(100),
      keys = new Float32Array(100);
    expect(h.drainReversed(rows, keys)).toBe(100);
    for (let i = 1; i < 100; i++) expect(keys[i]).toBeGreaterThanOrEqual(keys[i - 1]);
    expect(h.size).toBe(0);
  });

  it('matches a sort by (distance, row) on random input, keys as float32', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let round = 0; round < 20; round++) {
      const h = PairHeap.nearestFirst(8);
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < 200; i++) {
        const d = Math.fround(Math.floor(rand() * 20) / 7);
        pairs.push([d, i]);
        h.push(d, i);
      }
      pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (const [d, r] of pairs) {
        expect([h.topKey(), h.topRow()]).toEqual([d, r]);
        h.pop();
      }
    }
  });
});
