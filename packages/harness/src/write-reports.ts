import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from './bench-report.js';
import { htmlReport } from './html-report.js';
import { summaryMarkdown } from './summary-markdown.js';

/**
 * Write the three reports into `dir`: `<name>.json` (the versioned schema), `<name>.md` (the summary
 * printed on stdout) and `<name>.html` (self-contained charts). Returns the paths.
 */
export function writeReports(report: BenchReport, dir: string, name = 'bench'): { json: string; markdown: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { json: join(dir, `${name}.json`), markdown: join(dir, `${name}.md`), html: join(dir, `${name}.html`) };
  writeFileSync(paths.json, JSON.stringify(report, null, 1) + '\n');
  writeFileSync(paths.markdown, summaryMarkdown(report));
  writeFileSync(paths.html, htmlReport(report));
  return paths;
}
