import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import type { CellResult } from './cell-result.js';
import { formatJournalLine, parseJournalLine } from './journal-entry.js';
import type { Job } from './matrix.js';

/** A job's identity across runs: its kind, peer and full spec. */
export function jobKey(job: Job): string {
  return `${job.kind}|${job.kind === 'peer' ? job.peer : ''}|${JSON.stringify(job.spec)}`;
}

/**
 * An append-only file of finished jobs (one JSON line each, with a CRC-32 of the line), so a long run
 * that dies (a crashed addon, a killed CI job, a report that could not be written) can resume where it
 * stopped instead of starting over.
 *
 * NB: the journal outlives the run: the caller removes it ({@link Journal.settle}) only once the reports
 * are on disk, so a failed report write loses nothing and `--resume` writes them without re-measuring.
 */
export class Journal {
  /** `warn` hears about each line {@link load} skips (default: a process warning on stderr). */
  constructor(
    readonly file: string,
    private readonly warn: (message: string) => void = (m) => process.emitWarning(m, 'HnswlabJournalWarning'),
  ) {}

  /**
   * Results recorded by an earlier run, by job key. A line that is torn (the process died while
   * writing it), damaged (its checksum does not match) or not a result of this schema is skipped with a
   * warning naming the line, and its job runs again; it never stops the run.
   */
  load(): Map<string, CellResult> {
    const done = new Map<string, CellResult>();
    if (!existsSync(this.file)) return done;
    const lines = readFileSync(this.file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const entry = parseJournalLine(line);
      if ('problem' in entry) this.warn(`${this.file}:${i + 1}: skipped, ${entry.problem}; its job runs again`);
      else done.set(entry.key, entry.result);
    });
    return done;
  }

  record(job: Job, result: CellResult): void {
    appendFileSync(this.file, `${formatJournalLine(jobKey(job), job.block, result)}\n`);
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }

  /**
   * Call once the reports are written: removes the journal when every result is ok and keeps it
   * otherwise, so `--resume` retries only the failed and unavailable jobs. Returns whether it was removed.
   */
  settle(results: readonly CellResult[]): boolean {
    if (!results.every((r) => r.status === 'ok')) return false;
    this.remove();
    return true;
  }
}
