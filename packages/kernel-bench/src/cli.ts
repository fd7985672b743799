#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '@hnswlab/lab-kit';
import { formatMarkdown } from './format-markdown.js';
import { parseCli } from './parse-cli.js';
import { runKernelBench } from './run-kernel-bench.js';

async function main(): Promise<number> {
  // parseFlags drops the `--` that `pnpm bench:kernels -- --quick` forwards
  const parsed = parseCli(process.argv.slice(2));
  if ('help' in parsed) {
    process.stdout.write(parsed.help);
    return 0;
  }
  const started = Date.now();
  const report = await runKernelBench({ ...parsed.options, log: (line) => process.stderr.write(`${line}\n`) });
  mkdirSync(parsed.outDir, { recursive: true });
  const file = join(parsed.outDir, `kernels-${report.createdAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatMarkdown(report));
  console.log(`\nJSON: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return 0;
}

runCli('hnswlab-kernel-bench', main, { exit: false });
