// `npm run demo`: the whole sync, offline. Starts the bundled simulators, copies the example
// workbook to a fresh folder pointed at them, runs every job with the sheets-sync command, and
// prints the Sync Report and where the files are.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/sheets-sync.mjs');

function startSimulators() {
  const child = spawn(process.execPath, [cli, 'simulate', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /iMIS EMS simulator:\s+(http:\/\/\S+?)imis\//.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`the simulators stopped (exit ${code})`)));
  });
}

function run(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const { child, url } = await startSimulators();
try {
  const dir = mkdtempSync(join(tmpdir(), 'sheets-sync-demo-'));
  cpSync(join(root, 'examples/demo'), dir, { recursive: true });
  const connections = join(dir, 'Connections.csv');
  writeFileSync(connections, readFileSync(connections, 'utf8').replaceAll('http://127.0.0.1:8787/', url));

  console.log(`Simulated iMIS sites at ${url}imis/ (EMS) and ${url}imis2017/ (iMIS 2017), EveryAction at ${url}everyaction/v4/`);
  console.log(`Workbook: ${dir}\n`);
  const secrets = { SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_SECRET_IMIS_2017: 'demo-password', SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };
  console.log('First run: every enabled job, in the order of the Jobs tab');
  const first = await run(['run', '--workbook', dir, '--format', 'table'], secrets);
  console.log('\nSecond run: nothing changed, so no row is sent again (rows needing review, and rows whose contact is not in iMIS yet, are looked up again) and no tab is rewritten');
  const second = await run(['run', '--workbook', dir, '--format', 'table'], secrets);
  const code = first || second;

  console.log(`\nThe workbook's tabs are CSV files in ${dir}:`);
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) console.log(`  ${f}`);
  console.log(`\nOpen "Sync Report.csv" and "Sync Log.csv" there to see what each run did.`);
  process.exitCode = code;
} finally {
  child.kill('SIGTERM');
}
