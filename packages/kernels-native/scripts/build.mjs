// Builds the addon with node-gyp: the package's `build` script, never an install hook. A machine
// without a C++ toolchain still builds and installs the workspace: this script then exits 0, prints
// a warning, and writes the reason to build/UNAVAILABLE.txt, which createKernel() reports.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const outDir = join(root, 'build', 'Release');
const unavailable = join(root, 'build', 'UNAVAILABLE.txt');
const addonName = 'hnswlab_native.node';

rmSync(unavailable, { force: true });
rmSync(join(outDir, addonName), { force: true });
mkdirSync(outDir, { recursive: true });

function giveUp(reason, log = '') {
  writeFileSync(unavailable, `${reason}\n`);
  if (log) writeFileSync(join(root, 'build', 'node-gyp.log'), log);
  console.warn(`[@hnswlab/kernels-native] WARNING: the native addon was not built: ${reason}`);
  console.warn(
    '[@hnswlab/kernels-native] it needs a C++17 compiler (g++ or clang++), make and python3; then run: pnpm --filter @hnswlab/kernels-native build',
  );
  console.warn(
    '[@hnswlab/kernels-native] the workspace still builds: createKernel() from this package rejects with this reason, and the test suites and kernel benchmarks skip the native kernel.',
  );
  process.exit(0);
}

if (process.env.HNSWLAB_NATIVE_SKIP_BUILD) giveUp('HNSWLAB_NATIVE_SKIP_BUILD is set');

let nodeGyp;
try {
  nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  giveUp('node-gyp is not installed (it is a devDependency of @hnswlab/kernels-native: run pnpm install)');
}

// Node's headers ship with a system or nvm install next to the binary; pointing node-gyp at them
// avoids a download (which fails offline). Elsewhere node-gyp finds or fetches headers as usual.
const prefix = resolve(dirname(process.execPath), '..');
const args = [nodeGyp, 'rebuild'];
if (existsSync(join(prefix, 'include', 'node'))) args.push(`--nodedir=${prefix}`);

const started = Date.now();
const run = spawnSync(process.execPath, args, { cwd: nativeDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
if (run.error || run.status !== 0) {
  // The first lines that name the cause (a compiler error, a missing tool), not node-gyp's stack trace.
  const noise = /gyp ERR! (stack|System|command|cwd|node -v|node-gyp -v|not ok)|^\s*at /;
  const cause = log
    .split('\n')
    .filter((l) => /error|not found|No such file|cannot find/i.test(l) && !noise.test(l))
    .map((l) => l.trim())
    .slice(0, 3)
    .join(' | ');
  const why = run.error ? run.error.message : cause || `node-gyp exited with status ${run.status}`;
  giveUp(`node-gyp rebuild failed: ${why.slice(0, 500)} (full log: build/node-gyp.log)`, log);
}
const built = join(nativeDir, 'build', 'Release', addonName);
if (!existsSync(built)) giveUp(`node-gyp reported success but ${built} is missing`, log);
copyFileSync(built, join(outDir, addonName));
console.log(
  `[@hnswlab/kernels-native] built build/Release/${addonName} in ${((Date.now() - started) / 1000).toFixed(1)} s (${args.slice(1).join(' ')})`,
);
