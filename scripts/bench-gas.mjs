// `node scripts/bench-gas.mjs` (after `npm run build`): what a Sync now costs in Apps Script
// service calls, counted by the fakes of test/gas/fakes around the built dist/Code.js, for a pull
// and a push of 100 and 10,000 rows (and a second, nothing-changed run of each). Sheet I/O
// (getValues, setValues, getRange, insertSheet) must not grow with the number of rows; HTTP does,
// by pages of 500 for a pull and two requests per new row for a push. The fakes are TypeScript,
// so they are bundled with esbuild into a temporary module first.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/Code.js'))) {
  console.error('dist/Code.js is missing: run `npm run build` first.');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'sheets-sync-bench-gas-'));
let fakes;
try {
  const outfile = join(tmp, 'fakes.mjs');
  await build({
    entryPoints: [join(root, 'test/gas/fakes/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  fakes = await import(pathToFileURL(outfile).href);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const { GasWorld, seedConfig, setSecrets, peopleTab, contactMappings } = fakes;

const SIZES = [100, 10_000];
const query = (n) => `$/Bench/Rows ${n}`;

function pullWorld(n) {
  const w = new GasWorld({ root, imis: { syntheticQueries: { [query(n)]: n } } });
  seedConfig(w, { jobs: [{ name: 'Bench pull', source: query(n), target: 'Rows', match: 'ID', mode: 'Replace' }] });
  setSecrets(w);
  return w;
}

function pushWorld(n) {
  const w = new GasWorld({ root });
  seedConfig(w, { jobs: [{ name: 'Bench push', action: 'Push', source: 'People', target: 'Contact', match: 'Email' }], mappings: contactMappings('Bench push') });
  w.addSheet('People', peopleTab(n, 'bench.person'));
  setSecrets(w);
  return w;
}

/** One Sync now: its own service calls only (setting the secret is not counted). */
function syncNow(w) {
  const started = process.hrtime.bigint();
  const e = w.run('syncNow');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (e.error) throw e.error;
  const row = w.sheet('Sync Report').records().at(-1);
  return { ...e.calls.summary(), status: row.Status, read: row.Read, ms };
}

const COLUMNS = [
  ['run', 30, (r) => r.label],
  ['status', 8, (r) => r.status],
  ['getValues', 10, (r) => r.getValues],
  ['setValues', 10, (r) => r.setValues],
  ['getRange', 9, (r) => r.getRange],
  ['insertSheet', 12, (r) => r.insertSheet],
  ['fetchAll', 9, (r) => r.fetchAllCalls],
  ['requests', 9, (r) => r.requests],
  ['prop reads', 11, (r) => r.propertyReads],
  ['prop writes', 12, (r) => r.propertyWrites],
  ['wall time', 10, (r) => `${(r.ms / 1000).toFixed(1)} s`],
];
const line = (cells) => cells.map((c, i) => String(c).padEnd(COLUMNS[i][1])).join(' ');
console.log(line(COLUMNS.map((c) => c[0])));

const results = {};
for (const kind of ['pull', 'push']) {
  for (const n of SIZES) {
    const w = kind === 'pull' ? pullWorld(n) : pushWorld(n);
    for (const when of ['first', 're-run']) {
      const r = { label: `${kind} ${n.toLocaleString('en-US')} rows: ${when}`, ...syncNow(w) };
      results[`${kind} ${n} ${when}`] = r;
      console.log(line(COLUMNS.map((c) => c[2](r))));
    }
  }
}

// Sheet I/O must be the same for 100 rows as for 10,000. A re-run writes a push tab's status
// columns only when some row was looked up again (its Hash did not match), which is about which
// rows changed, not how many rows there are: that is reported, not counted as growth.
const SHEET_IO = ['getValues', 'setValues', 'getRange', 'insertSheet'];
const grows = [];
const notes = [];
for (const kind of ['pull', 'push']) {
  for (const when of ['first', 're-run']) {
    const [small, large] = SIZES.map((n) => results[`${kind} ${n} ${when}`]);
    const diff = SHEET_IO.filter((k) => small[k] !== large[k]).map((k) => `${k} ${small[k]} → ${large[k]}`);
    if (diff.length === 0) continue;
    if (when === 're-run' && (small.requests > 0 || large.requests > 0)) {
      notes.push(`${kind} re-run: ${diff.join(', ')}: rows were looked up again (${small.requests} requests at 100 rows, ${large.requests} at 10,000), so their status was rewritten`);
    } else grows.push(`${kind} ${when}: ${diff.join(', ')}`);
  }
}
console.log(
  grows.length === 0
    ? '\nSheet I/O does not grow with rows: getValues, setValues, getRange and insertSheet are the same for 100 and 10,000 rows.'
    : `\nSheet I/O grows with rows:\n  ${grows.join('\n  ')}`,
);
for (const n of notes) console.log(`Note: ${n}.`);
process.exitCode = grows.length === 0 ? 0 : 1;
