// `npm run bench`: what a sync costs, against the simulator with 100 ms latency per request,
// through the real sheets-sync command. A measurement, not a test: it never fails on speed.
//
// Pull: N rows should take at most 1 + ceil(N/500) requests (sign-in, then pages of 500) and one
// write of the tab. Push: a new row costs one search + one create, an edited row whose iMIS ID is
// known one read + one write, an unchanged row nothing (plus one sign-in per run that sends
// anything). An Activity row costs one create, its contact's search being shared by every row of
// that person, and an edited one a read + a write (plus the sign-in and Activity's definition once
// a run). Workbook reads and writes per run must not grow with the number of rows.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Papa from 'papaparse';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/sheets-sync.mjs');
const { startSimulatorServer } = await import(pathToFileURL(join(root, 'dist/cli/simulators.mjs')).href);

const LATENCY_MS = 100;
const PULL_SIZES = [1_000, 50_000];
const PUSH_ROWS = 10_000;
const query = (n) => `$/Bench/Rows ${n}`;

const server = await startSimulatorServer({
  port: 0,
  latencyMs: LATENCY_MS,
  imis: { memberCount: 100, syntheticQueries: Object.fromEntries(PULL_SIZES.map((n) => [query(n), n])) },
  everyaction: {},
});

function run(dir) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, 'run', '--workbook', dir, '--format', 'csv', '--budget', '3600'], {
      env: { ...process.env, SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key', SHEETS_SYNC_STATS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const row = Papa.parse(out.trim()).data[1] ?? [];
      const stats = JSON.parse(/stats (\{.*\})/.exec(err)?.[1] ?? '{}');
      if (code !== 0) return reject(new Error(`sheets-sync ended with exit status ${code}\n${err.slice(-2000)}`));
      resolve({ seconds, status: row[5], read: Number(row[6]), requests: Number(row[12]), message: row[13], stats });
    });
  });
}

const WIDTHS = [29, 8, 10, 12, 7, 7, 8, 10];
const line = (cells) => cells.map((c, i) => String(c).padEnd(WIDTHS[i])).join(' ');
const table = [line(['run', 'status', 'requests', 'lower bound', 'ratio', 'reads', 'writes', 'wall time'])];
const report = (label, r, bound) =>
  table.push(line([label, r.status, r.requests, bound, bound === 0 ? (r.requests === 0 ? '-' : 'inf') : (r.requests / bound).toFixed(2), r.stats.reads, r.stats.writes, `${r.seconds.toFixed(1)} s`]));

function workbook(name, jobs, tabs = {}) {
  const dir = mkdtempSync(join(tmpdir(), `sheets-sync-bench-${name}-`));
  writeFileSync(
    join(dir, 'Connections.csv'),
    `Name,System,URL,Username,Mode\r\niMIS,iMIS,${server.url}imis/,sync.user,EMS\r\nEveryAction,EveryAction,${server.url}everyaction/v4/,SheetsSyncDemo,MyCampaign\r\n`,
  );
  writeFileSync(join(dir, 'Jobs.csv'), `Name,Enabled,Action,Connection,Source,Target,Match,Mode,Parameters\r\n${jobs}\r\n`);
  for (const [tab, text] of Object.entries(tabs)) writeFileSync(join(dir, `${tab}.csv`), text);
  return dir;
}

try {
  for (const n of PULL_SIZES) {
    const dir = workbook(`pull-${n}`, `Bench,TRUE,Pull,iMIS,${query(n)},Rows,ID,Replace,`);
    const bound = 1 + Math.ceil(n / 500);
    report(`pull ${n.toLocaleString('en-US')}: first`, await run(dir), bound);
    report(`pull ${n.toLocaleString('en-US')}: re-run`, await run(dir), bound);
  }

  const people = ['Email,First,Last'];
  for (let i = 0; i < PUSH_ROWS; i++) people.push(`bench.person.${i}@example.org,Person,Number ${i}`);
  const dir = workbook('push', 'Bench push,TRUE,Push,iMIS,People,Contact,Email,Upsert,', {
    People: `${people.join('\r\n')}\r\n`,
    Mappings: 'Job,Column,Field,Required,Transform\r\nBench push,Email,Email,TRUE,email\r\nBench push,First,FirstName,,\r\nBench push,Last,LastName,,\r\n',
  });
  report(`push ${PUSH_ROWS.toLocaleString('en-US')}: first (new)`, await run(dir), 1 + 2 * PUSH_ROWS);
  report('push: nothing changed', await run(dir), 0);
  const grid = Papa.parse(readFileSync(join(dir, 'People.csv'), 'utf8').trim()).data;
  const edited = PUSH_ROWS / 100;
  for (let i = 1; i <= edited; i++) grid[i * 100 - 50][1] = 'Edited';
  writeFileSync(join(dir, 'People.csv'), `${Papa.unparse(grid, { newline: '\r\n' })}\r\n`);
  report(`push: 1% edited (${edited})`, await run(dir), 1 + 2 * edited);

  // EveryAction: a new or edited person costs one request (findOrCreate, or an update by VANID).
  const ea = ['Email,First,Last,Opt in'];
  for (let i = 0; i < PUSH_ROWS; i++) ea.push(`supporter.${i}@example.org,Supporter,Number ${i},${i % 3 === 0 ? 'TRUE' : 'FALSE'}`);
  const eaDir = workbook('everyaction', 'EA push,TRUE,Push,EveryAction,Supporters,People,Auto,Liberal,', {
    Supporters: `${ea.join('\r\n')}\r\n`,
    Mappings: 'Job,Column,Field,Required,Transform\r\nEA push,Email,Email,TRUE,email\r\nEA push,First,FirstName,,\r\nEA push,Last,LastName,,\r\nEA push,Opt in,OptIn,,\r\n',
  });
  report(`EA ${PUSH_ROWS.toLocaleString('en-US')}: first (new)`, await run(eaDir), PUSH_ROWS);
  report('EA: nothing changed', await run(eaDir), 0);
  const eaGrid = Papa.parse(readFileSync(join(eaDir, 'Supporters.csv'), 'utf8').trim()).data;
  for (let i = 1; i <= edited; i++) eaGrid[i * 100 - 50][1] = 'Edited';
  writeFileSync(join(eaDir, 'Supporters.csv'), `${Papa.unparse(eaGrid, { newline: '\r\n' })}\r\n`);
  report(`EA: 1% edited (${edited})`, await run(eaDir), edited);

  // iMIS activities: an attendance list of the site's contacts, each named on many rows.
  const emails = new Map();
  for (const p of server.imisEms.parties()) for (const e of p.Emails?.$values ?? []) emails.set(e.Address.toLowerCase(), (emails.get(e.Address.toLowerCase()) ?? 0) + 1);
  // Only members whose email is theirs alone: a shared one is Needs review, which is not what is measured here.
  const attendees = server.imisEms.parties().map((p) => p.Emails?.$values?.[0]?.Address).filter((e) => e && /\.1\d{4}@/.test(e) && emails.get(e.toLowerCase()) === 1);
  const attendance = ['Email,Event,Date'];
  for (let i = 0; i < PUSH_ROWS; i++) attendance.push(`${attendees[i % attendees.length]},Session ${i},2026-11-${String(1 + (i % 28)).padStart(2, '0')}`);
  const actDir = workbook('activity', 'Attendance,TRUE,Push,iMIS,Attendance,Activity,Email,Upsert,', {
    Attendance: `${attendance.join('\r\n')}\r\n`,
    Mappings: 'Job,Column,Field,Required,Transform\r\nAttendance,Email,Email,TRUE,email\r\nAttendance,Event,DESCRIPTION,,\r\nAttendance,Date,TRANSACTION_DATE,,date\r\n',
    Constants: 'Job,Field,Value\r\nAttendance,ACTIVITY_TYPE,EVENT\r\n',
  });
  const persons = Math.min(attendees.length, PUSH_ROWS);
  report(`activity ${PUSH_ROWS.toLocaleString('en-US')}: first (new)`, await run(actDir), 2 + persons + PUSH_ROWS);
  report('activity: nothing changed', await run(actDir), 0);
  const actGrid = Papa.parse(readFileSync(join(actDir, 'Attendance.csv'), 'utf8').trim()).data;
  for (let i = 1; i <= edited; i++) actGrid[i * 100 - 50][1] = `Edited ${i}`;
  writeFileSync(join(actDir, 'Attendance.csv'), `${Papa.unparse(actGrid, { newline: '\r\n' })}\r\n`);
  report(`activity: 1% edited (${edited})`, await run(actDir), 2 + 2 * edited);
} finally {
  await server.close();
}
console.log(`Benchmark: iMIS simulator at ${LATENCY_MS} ms latency per request; pushes send fetchAll batches of 10.`);
console.log(table.join('\n'));
console.log('\niMIS requests include the sign-in (EveryAction needs none; an Activity run also reads Activity\'s definition once); reads/writes are workbook (CSV tab) calls for the whole run,');
console.log('config tabs and Sync Report/Log included: they stay the same whatever the number of rows.');
