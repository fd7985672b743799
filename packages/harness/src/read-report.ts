import { readFileSync } from 'node:fs';
import type { BenchReport } from './bench-report.js';
import { SCHEMA_VERSION } from './cell-result.js';

/** Read a bench.json, refusing other kinds and other schema versions with a clear message. */
export function readReport(file: string): BenchReport {
  let data: Partial<BenchReport>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not readable JSON (${(err as Error).message})`, { cause: err });
  }
  if (data.kind !== 'hnswlab-bench') throw new Error(`${file}: not an hnswlab bench report (kind is ${String(data.kind)})`);
  if (data.schemaVersion !== SCHEMA_VERSION)
    throw new Error(`${file}: schemaVersion ${String(data.schemaVersion)}, this harness reads ${SCHEMA_VERSION}`);
  return data as BenchReport;
}
