#!/usr/bin/env node
// Checked-in shim so pnpm can link the bin before the first build; the CLI itself is built to dist/.
await import('../dist/cli.js');
