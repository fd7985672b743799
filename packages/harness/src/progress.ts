import type { CellResult } from './cell-result.js';
import { cellLabel } from './cell-spec.js';
import { fmt, fmtDuration } from './format.js';
import { jobCost, type Job } from './matrix.js';
import type { CellProgress } from './run-cell.js';

/**
 * Matrix progress on stderr: on a terminal, one redrawn line with a bar, the current cell and stage,
 * and an ETA from the cost model calibrated by the cells done so far; otherwise one plain line per
 * finished cell (CI logs).
 */
export class Progress {
  private readonly total: number;
  private doneCost = 0;
  private done = 0;
  private readonly t0 = performance.now();
  private current = '';
  private stage = '';

  constructor(
    private readonly jobs: readonly Job[],
    private readonly out: NodeJS.WriteStream | { isTTY?: boolean; columns?: number; write(s: string): unknown } = process.stderr,
  ) {
    this.total = jobs.reduce((a, j) => a + jobCost(j), 0);
  }

  private get tty(): boolean {
    return !!this.out.isTTY && process.env.CI === undefined;
  }

  private eta(): string {
    if (this.doneCost === 0) return 'ETA ?';
    const elapsed = (performance.now() - this.t0) / 1000;
    return `ETA ${fmtDuration((elapsed / this.doneCost) * (this.total - this.doneCost))}`;
  }

  private draw(): void {
    if (!this.tty) return;
    const width = 24;
    const frac = this.total ? this.doneCost / this.total : 0;
    const fill = Math.round(frac * width);
    const bar = `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}]`;
    let line = `${bar} ${this.done}/${this.jobs.length} ${this.eta()} · ${this.stage ? `${this.stage} · ` : ''}${this.current}`;
    const cols = this.out.columns ?? 120;
    if (line.length > cols - 1) line = line.slice(0, cols - 2) + '…';
    this.out.write(`\r\x1b[K${line}`);
  }

  /** A job starts. */
  start(job: Job): void {
    this.current = job.kind === 'peer' ? `${job.peer} ${cellLabel(job.spec).replace(/^\S+\s/, '')}` : cellLabel(job.spec);
    this.stage = '';
    this.draw();
  }

  /** The running job reports a stage. */
  update(p: CellProgress): void {
    this.stage =
      p.stage === 'build'
        ? `build ${p.repeat ?? 1}`
        : p.stage === 'search'
          ? `search ef=${p.ef ?? ''}${p.rerank ? ` rerank=${p.rerank}` : ''}`
          : p.stage === 'groundTruth'
            ? 'ground truth'
            : p.stage;
    this.draw();
  }

  /** A job finished with `result`. */
  finish(job: Job, result: CellResult): void {
    this.done++;
    this.doneCost += jobCost(job);
    const what =
      result.status === 'ok'
        ? `ok ${fmtDuration(result.wallSeconds)} · ${fmt(result.build?.vectorsPerSecond)} vec/s on ${result.build?.threads ?? result.spec.threads} thread(s) · best recall ${fmt(Math.max(...(result.search ?? []).map((p) => p.recall)), 3)}`
        : (result.reason ?? result.status);
    if (this.tty) {
      this.out.write(`\r\x1b[K${result.status === 'ok' ? '✓' : '·'} ${this.current}: ${what}\n`);
      this.draw();
    } else {
      this.out.write(`[${this.done}/${this.jobs.length}] ${this.current}: ${what} (${this.eta()})\n`);
    }
  }

  /** Clear the bar at the end. */
  end(): void {
    if (this.tty) this.out.write('\r\x1b[K');
    this.out.write(`${this.jobs.length} jobs in ${fmtDuration((performance.now() - this.t0) / 1000)}\n`);
  }
}
