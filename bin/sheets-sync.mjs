#!/usr/bin/env node
// The `sheets-sync` command: runs the bundled CLI that `npm ci` builds (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/sheets-sync.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('sheets-sync is not built yet: run `npm run build` in the project folder.\n');
  process.exit(2);
}
await import(cli.href);
