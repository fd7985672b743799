import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import type { CellResult } from './cell-result.js';
import type { Job } from './matrix.js';

/** A job's identity across runs: its kind, peer and full spec. */
export function jobKey(job: Job): string {
  return `${job.kind}|${job.kind === 'peer' ? job.peer : ''}|${JSON.stringify(job.spec)}`;
}

/**
 * An append-only file of finished jobs (one JSON line each), so a long run that dies (a crashed
 * addon, a killed CI job, a report that could not be written) can resume where it stopped instead of
 * starting over.
 *
 * NB: the journal outlives the run: the caller removes it ({@link Journal.settle}) only once the reports
 * are on disk, so a failed report write loses nothing and `--resume` writes them without re-measuring.
 */
export class Journal {
  constructor(readonly file: string) {}

  /** Results recorded by an earlier run, by job key; a torn last line is ignored. */
  load(): Map<string, CellResult> {
    const done = new Map<string, CellResult>();
    if (!existsSync(this.file)) return done;
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as { key: string; block: string; result: CellResult };
        done.set(entry.key, entry.result);
      } catch {
        // the line being written when the process died
      }
    }
    return done;
  }

  record(job: Job, result: CellResult): void {
    appendFileSync(this.file, JSON.stringify({ key: jobKey(job), block: job.block, result }) + '\n');
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
