// `npm run bench`: what a pull costs. For N rows, a pull should make at most 1 + ceil(N/500)
// requests (one sign-in, then pages of 500) and write its tab once. Runs the real CLI against
// the simulator with 100 ms latency per request and prints requests, the lower bound, their
// ratio, workbook writes and wall time. A measurement, not a test: it never fails on speed.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/sheets-sync.mjs');
const { startSimulatorServer } = await import(pathToFileURL(join(root, 'dist/cli/simulators.mjs')).href);

const LATENCY_MS = 100;
const SIZES = [1_000, 50_000];
const query = (n) => `$/Bench/Rows ${n}`;

const server = await startSimulatorServer({
  port: 0,
  latencyMs: LATENCY_MS,
  imis: { syntheticQueries: Object.fromEntries(SIZES.map((n) => [query(n), n])) },
});

function run(dir) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, 'run', '--workbook', dir, '--format', 'csv'], {
      env: { ...process.env, SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_STATS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const row = out.trim().split('\n')[1]?.split(',') ?? [];
      const stats = JSON.parse(/stats (\{.*\})/.exec(err)?.[1] ?? '{}');
      resolve({ code, seconds, status: row[5], read: Number(row[6]), requests: Number(row[12]), stats, err });
    });
  });
}

const lines = [];
const pad = (s, n) => String(s).padEnd(n);
lines.push(['rows', 'run', 'status', 'requests', 'lower bound', 'ratio', 'tab writes', 'all writes', 'reads', 'wall time'].map((h, i) => pad(h, [8, 8, 8, 10, 12, 7, 11, 11, 7, 9][i])).join(' '));
try {
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), `sheets-sync-bench-${n}-`));
    writeFileSync(join(dir, 'Connections.csv'), `Name,System,URL,Username,Mode\r\niMIS,iMIS,${server.url}imis/,sync.user,EMS\r\n`);
    writeFileSync(join(dir, 'Jobs.csv'), `Name,Enabled,Action,Connection,Source,Target,Match,Mode\r\nBench,TRUE,Pull,iMIS,${query(n)},Rows,ID,Replace\r\n`);
    const bound = 1 + Math.ceil(n / 500);
    for (const pass of ['first', 're-run']) {
      const r = await run(dir);
      if (r.code !== 0) {
        console.error(r.err);
        throw new Error(`the ${pass} pull of ${n} rows ended with exit status ${r.code}`);
      }
      const cells = [n.toLocaleString('en-US'), pass, r.status, r.requests, bound, (r.requests / bound).toFixed(2), r.stats.writesByTab?.Rows ?? 0, r.stats.writes, r.stats.reads, `${r.seconds.toFixed(1)} s`];
      lines.push(cells.map((c, i) => pad(c, [8, 8, 8, 10, 12, 7, 11, 11, 7, 9][i])).join(' '));
    }
  }
} finally {
  await server.close();
}
console.log(`Pull benchmark: iMIS simulator at ${LATENCY_MS} ms latency per request, pages of 500`);
console.log(lines.join('\n'));
console.log('\n"tab writes" = writes of the pulled tab (1 on the first run, 0 when nothing changed);');
console.log('"all writes" adds the Sync Report and, when rows changed, the Sync Log (one write each per run).');
