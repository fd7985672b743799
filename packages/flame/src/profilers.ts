import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The profilers `hnswlab-flame run` can wrap a cell in. */
export type Tool = '0x' | 'clinic' | 'cpuprofile';
export const TOOLS: readonly Tool[] = ['cpuprofile', '0x', 'clinic'];

const require = createRequire(import.meta.url);

/** The JavaScript entry of a dev dependency's bin, run with this Node (no shell, no PATH lookup). */
export function binScript(pkg: string, bin: string): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath) as { bin?: string | Record<string, string> };
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!rel) throw new Error(`${pkg} has no bin '${bin}'`);
  return join(dirname(manifestPath), rel);
}

/** Whether the tool's package is installed (0x and clinic are dev dependencies of @hnswlab/flame). */
export function toolAvailable(tool: Tool): string | null {
  if (tool === 'cpuprofile') return null;
  try {
    binScript(tool, tool);
    return null;
  } catch (err) {
    return `${tool} is not installed (${(err as Error).message.split('\n')[0]}): it is a dev dependency of @hnswlab/flame, run pnpm install`;
  }
}

export interface ToolCommand {
  /** argv[0] is process.execPath. */
  argv: string[];
  env: Record<string, string>;
  /** Where the tool writes its flamegraph and raw data. */
  toolDir: string;
}

/**
 * The command that runs `node <nodeArgs> <script> <scriptArgs>` under a tool ('cpuprofile': plain node,
 * the flags carry --cpu-prof). 0x and clinic read V8's --prof tick log, which V8 stops writing while
 * its CPU profiler runs: never pass --cpu-prof to them.
 */
export function toolCommand(
  tool: Tool,
  outDir: string,
  nodeArgs: readonly string[],
  script: string,
  scriptArgs: readonly string[],
): ToolCommand {
  const node = process.execPath;
  // clinic asks an analytics question on first use and, without a terminal, silently does nothing unless told not to.
  const env = { NO_INSIGHT: '1' };
  const target = [...nodeArgs, script, ...scriptArgs];
  switch (tool) {
    case 'cpuprofile':
      return { argv: [node, ...target], env, toolDir: join(outDir, 'profile') };
    case '0x': {
      const toolDir = join(outDir, '0x');
      // No --open: nothing is opened in a browser; the HTML is written to toolDir.
      return {
        argv: [node, binScript('0x', '0x'), '--output-dir', toolDir, '--title', 'hnswlab-flame', '--', node, ...target],
        env,
        toolDir,
      };
    }
    case 'clinic': {
      const toolDir = join(outDir, 'clinic');
      return {
        argv: [node, binScript('clinic', 'clinic'), 'flame', '--open=false', '--dest', toolDir, '--', node, ...target],
        env,
        toolDir,
      };
    }
  }
}
