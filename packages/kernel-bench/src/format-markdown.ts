import type { KernelBenchReport } from './run-kernel-bench.js';
import { TARGET_MIN_DIM } from './run-kernel-bench.js';

const ns = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const gf = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** The report as markdown: one table per metric (rows dim × n, a column per kernel), then targets and skips. */
export function formatMarkdown(report: KernelBenchReport): string {
  const lines: string[] = [];
  const { machine } = report;
  lines.push(`## Kernel micro-benchmarks (${report.createdAt})`);
  lines.push('');
  lines.push(
    `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average ${machine.loadAverageBefore[0].toFixed(2)} before, ${machine.loadAverageAfter[0].toFixed(2)} after` +
      (machine.loadAverageBefore[0] > machine.cores * 0.5 || machine.loadAverageAfter[0] > machine.cores * 0.5
        ? ' (a busy machine: read ratios, not absolutes)'
        : ''),
  );
  lines.push('');
  lines.push(`Each cell: ns per distance · GFLOP/s · × the C++ reference. ${report.method.call}; ids: ${report.method.ids}.`);
  lines.push(`Flops: ${report.method.flops}. Timing: ${report.method.timer}.`);
  if ('skipped' in report.reference) {
    lines.push(`C++ reference: skipped (${report.reference.skipped}); no ratios.`);
  } else {
    lines.push(`C++ reference: ${report.reference.compiler}, \`${report.reference.flags.join(' ')}\`, ${report.method.reference}.`);
    const mismatched = report.reference.cells.filter((c) => !c.sameInputs).length;
    if (mismatched) lines.push(`WARNING: ${mismatched} reference cases saw different inputs than the kernels (checksum mismatch).`);
  }
  lines.push('');

  const kernels = [...new Set(report.cells.map((c) => c.kernel))];
  const refCells = 'cells' in report.reference ? report.reference.cells : [];
  for (const metric of report.options.metrics) {
    lines.push(`### ${metric}`);
    lines.push('');
    lines.push(`| dim | n | C++ reference | ${kernels.join(' | ')} |`);
    lines.push(`|---:|---:|---|${kernels.map(() => '---|').join('')}`);
    for (const dim of report.options.dims) {
      for (const n of report.options.sizes) {
        const ref = refCells.find((c) => c.metric === metric && c.dim === dim && c.n === n);
        const refText = ref ? `${ns(ref.nsPerDistance)} ns · ${gf(ref.gflops)} GF/s (${ref.loop})` : '–';
        const cols = kernels.map((k) => {
          const c = report.cells.find((x) => x.kernel === k && x.metric === metric && x.dim === dim && x.n === n);
          if (!c) return '–';
          const ratio = c.ratioToReference === undefined ? '' : ` · ${c.ratioToReference.toFixed(2)}×`;
          return `${ns(c.nsPerDistance)} ns · ${gf(c.gflops)} GF/s${ratio}`;
        });
        lines.push(`| ${dim} | ${n} | ${refText} | ${cols.join(' | ')} |`);
      }
    }
    lines.push('');
  }

  if (report.targets.length) {
    lines.push(`### Targets (dim ≥ ${TARGET_MIN_DIM}, against the C++ reference)`);
    lines.push('');
    for (const t of report.targets) {
      const w = t.worst;
      const verdict = t.met === t.cells ? 'target met' : 'target MISSED';
      lines.push(
        `- ${t.kernel} ≥ ${t.minRatio}×: ${verdict}, ${t.met} of ${t.cells} cells at or above it` +
          (w ? `; worst ${w.ratio.toFixed(2)}× (${w.metric}, dim ${w.dim}, n ${w.n})` : ''),
      );
    }
    lines.push('');
  }
  for (const s of report.skipped) lines.push(`- skipped kernel ${s.kernel}: ${s.reason}`);
  return lines.join('\n');
}
