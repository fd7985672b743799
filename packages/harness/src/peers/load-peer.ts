import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { hnswlibNodePeer } from './hnswlib-node-peer.js';
import type { Peer, PeerName } from './peer.js';
import { usearchPeer } from './usearch-peer.js';

const require = createRequire(import.meta.url);

/** Install hints printed when a peer is missing (they are optional dependencies of the harness). */
export const PEER_INSTALL_HINT: Readonly<Record<PeerName, string>> = {
  'hnswlib-node': 'npm_config_nodedir=/usr pnpm install (hnswlib-node compiles with node-gyp against the local Node headers)',
  usearch: 'pnpm install (usearch ships prebuilt binaries)',
};

/**
 * Load a peer library, or reject with a reason starting "unavailable: ". Loaded with require():
 * usearch's ESM entry overflows the stack on import in Node 20, its CommonJS entry works.
 */
export async function loadPeer(name: PeerName): Promise<Peer> {
  try {
    const version = packageVersion(name);
    if (name === 'hnswlib-node') return hnswlibNodePeer(require('hnswlib-node'), version);
    if (name === 'usearch') return usearchPeer(require('usearch'), version);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`unavailable: ${name} did not load (${reason}); to install: ${PEER_INSTALL_HINT[name]}`, { cause: err });
  }
  throw new Error(`unavailable: unknown peer '${name as string}'`);
}

// usearch's exports map hides package.json, so the version is read from the directory above its entry.
function packageVersion(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
