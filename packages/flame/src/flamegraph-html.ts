import { PHASE_FUNCTIONS, type Phase } from '@hnswlab/core';
import type { Bucket } from './attribution.js';
import type { CpuProfile } from './cpu-profile.js';
import { describeNodes } from './describe-nodes.js';
import { SourceIndex } from './source-index.js';

const COLORS: Record<Bucket | 'idle', string> = {
  navigation: '#8fb8de',
  neighborSearch: '#f4a259',
  connectionManagement: '#9bc53d',
  storage: '#c3a6d8',
  kernel: '#e15554',
  gc: '#777777',
  harness: '#d9d9d9',
  idle: '#f5f5f5',
};

interface Box {
  name: string;
  where: string;
  bucket: Bucket | 'idle';
  ms: number;
  children: Map<string, Box>;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * A self-contained icicle flamegraph of V8 CPU profiles (one per thread), each frame coloured by the
 * bucket attribution gives it: the phase-coloured picture next to the tools' own flamegraphs. Static
 * HTML and CSS (hover for names and times), no network, no script.
 */
export function flamegraphHtml(
  profiles: readonly { file: string; profile: CpuProfile }[],
  title: string,
  options: { phaseFunctions?: Readonly<Record<string, Phase>>; wasmNames?: ReadonlyMap<number, string>; minShare?: number } = {},
): string {
  const { phaseFunctions = PHASE_FUNCTIONS, wasmNames, minShare = 0.001 } = options;
  const sources = new SourceIndex();
  const sections: string[] = [];
  for (const { file, profile } of profiles) {
    const { nodes } = describeNodes(profile, sources, phaseFunctions, new Set(), wasmNames);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const root: Box = { name: 'all', where: '', bucket: 'harness', ms: 0, children: new Map() };
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const pathOf = new Map<number, number[]>();
    const path = (id: number): number[] => {
      let p = pathOf.get(id);
      if (!p) {
        const up = parent.get(id);
        p = up === undefined ? [] : [...path(up), id];
        pathOf.set(id, p);
      }
      return p;
    };
    for (let i = 0; i < profile.samples.length; i++) {
      const w = Math.max(0, profile.timeDeltas[i] ?? 0) / 1000;
      root.ms += w;
      let box = root;
      for (const id of path(profile.samples[i])) {
        const info = nodes.get(id)!;
        const frame = byId.get(id)!.callFrame;
        const key = `${info.name}|${frame.url}|${frame.lineNumber}`;
        let next = box.children.get(key);
        if (!next) {
          next = { name: info.name, where: info.file ? `${info.file}:${info.line}` : '', bucket: info.bucket, ms: 0, children: new Map() };
          box.children.set(key, next);
        }
        next.ms += w;
        box = next;
      }
    }
    const divs: string[] = [];
    let depthMax = 0;
    const place = (box: Box, left: number, depth: number) => {
      const width = root.ms > 0 ? box.ms / root.ms : 0;
      if (width < minShare) return;
      depthMax = Math.max(depthMax, depth);
      const tip = `${box.name} ${box.where} — ${box.ms.toFixed(1)} ms (${(100 * width).toFixed(2)}%), ${box.bucket}`;
      divs.push(
        `<div class="f" style="left:${(100 * left).toFixed(4)}%;width:${(100 * width).toFixed(4)}%;top:${depth * 18}px;background:${COLORS[box.bucket]}" title="${escape(tip)}">${escape(box.name)}</div>`,
      );
      let x = left;
      for (const child of [...box.children.values()].sort((a, b) => b.ms - a.ms)) {
        place(child, x, depth + 1);
        x += root.ms > 0 ? child.ms / root.ms : 0;
      }
    };
    place(root, 0, 0);
    sections.push(
      `<h2>${escape(file)} — ${root.ms.toFixed(0)} ms sampled</h2><div class="g" style="height:${(depthMax + 1) * 18}px">${divs.join('')}</div>`,
    );
  }
  const legend = Object.entries(COLORS)
    .map(([b, c]) => `<span class="k" style="background:${c}">${b}</span>`)
    .join(' ');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title><style>
body{font:12px system-ui,sans-serif;margin:16px}h1{font-size:16px}h2{font-size:13px;font-weight:normal}
.g{position:relative;width:100%;border:1px solid #ccc;overflow:hidden}
.f{position:absolute;height:17px;line-height:17px;overflow:hidden;white-space:nowrap;box-sizing:border-box;border-right:1px solid #fff;padding-left:2px;font-size:11px;cursor:default}
.f:hover{outline:1px solid #000;z-index:1}.k{padding:1px 6px;margin-right:4px}
</style></head><body><h1>${escape(title)}</h1><p>Icicle chart (callers above callees, width = sampled time), coloured by attribution bucket. Hover a frame for its time.</p><p>${legend}</p>${sections.join('\n')}</body></html>\n`;
}
