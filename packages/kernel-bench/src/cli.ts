#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMarkdown } from './format-markdown.js';
import { parseCli } from './parse-cli.js';
import { runKernelBench } from './run-kernel-bench.js';

async function main(): Promise<void> {
  // `pnpm bench:kernels -- --quick` forwards the `--` itself.
  const parsed = parseCli(process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')));
  if ('help' in parsed) {
    console.log(parsed.help);
    return;
  }
  const started = Date.now();
  const report = await runKernelBench({ ...parsed.options, log: (line) => process.stderr.write(`${line}\n`) });
  mkdirSync(parsed.outDir, { recursive: true });
  const file = join(parsed.outDir, `kernels-${report.createdAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatMarkdown(report));
  console.log(`\nJSON: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
