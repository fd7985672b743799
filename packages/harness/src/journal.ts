import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import type { CellResult } from './cell-result.js';
import type { Job } from './matrix.js';

/** A job's identity across runs: its kind, peer and full spec. */
export function jobKey(job: Job): string {
  return `${job.kind}|${job.kind === 'peer' ? job.peer : ''}|${JSON.stringify(job.spec)}`;
}

/**
 * An append-only file of finished jobs (one JSON line each), so a long run that dies (a crashed
 * addon, a killed CI job) can resume where it stopped instead of starting over.
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
}
