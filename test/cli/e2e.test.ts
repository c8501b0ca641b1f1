// The sheets-sync command end to end: the built CLI in its own process, talking HTTP over
// loopback to the simulators served from this process, on CSV workbook folders.

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorkbook as demoWorkbookAt, runCli } from '../helpers/cli';
import { startSimulatorServer, type SimulatorServer } from '../../src/simulators/server';

const root = join(__dirname, '../..');
const cli = join(root, 'dist/cli/sheets-sync.mjs');
const SECRETS = { SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_SECRET_IMIS_2017: 'demo-password', SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };

let server: SimulatorServer;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/cli is missing: run `npm test` (it builds first) or `npm run build`');
  server = await startSimulatorServer({ port: 0 });
});
afterAll(async () => {
  await server?.close();
});


const demoWorkbook = () => demoWorkbookAt(server.url, 'sheets-sync-e2e-');

const csv = (dir: string, tab: string): string[][] => Papa.parse<string[]>(readFileSync(join(dir, `${tab}.csv`), 'utf8').trimEnd()).data;
const requestCount = () => server.imisEms.requests.length + server.imis2017.requests.length;

describe('sheets-sync run', () => {
  it('runs the demo workbook: every job OK, report on stdout, tabs written, user columns kept', async () => {
    const dir = demoWorkbook();
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.stderr).toContain('Active Members: read 500 of 1,234 rows');
    expect(r.code).toBe(0);
    const report = Papa.parse<string[]>(r.stdout.trim()).data;
    expect(report[0]).toEqual(['Run', 'Started', 'Finished', 'Trigger', 'Job', 'Status', 'Read', 'Created', 'Updated', 'Unchanged', 'Skipped', 'Failed', 'Requests', 'Message']);
    expect(report.slice(1).map((row) => [row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10]])).toEqual([
      ['CLI', 'Event Sign-ups', 'OK', '6', '2', '1', '0', '3'],
      ['CLI', 'Volunteers', 'OK', '3', '0', '2', '0', '1'],
      ['CLI', 'Certifications', 'OK', '3', '1', '0', '2', '0'],
      ['CLI', 'Active Members', 'OK', '1234', '1232', '2', '0', '0'],
      ['CLI', 'Students', 'OK', '257', '257', '0', '0', '0'],
      ['CLI', 'Events (iMIS 2017)', 'OK', '7', '7', '0', '0', '0'],
      ['CLI', 'Petition Signers', 'OK', '6', '3', '1', '0', '2'],
      ['CLI', 'Newsletter', 'OK', '3', '2', '0', '0', '1'],
      ['CLI', 'EveryAction Changes', 'OK', '5', '5', '0', '0', '0'],
      ['CLI', 'Event Attendance', 'OK', '6', '5', '0', '0', '1'],
      ['CLI', 'Members to EveryAction', 'OK', '1234', '1234', '0', '0', '0'],
    ]);
    const petition = csv(dir, 'Petition Signers');
    expect(petition.slice(1).map((r) => [r[8], r[9]])).toEqual([
      ['100000001', 'Updated'],
      ['100000041', 'Created'],
      ['100000042', 'Created'],
      ['', 'Skipped'],
      ['100000043', 'Created'],
      ['', 'Skipped'],
    ]);
    expect(server.everyAction.downloads.every((d) => !d.authorization)).toBe(true);
    const signups = csv(dir, 'Event Sign-ups');
    expect(signups[0]!.slice(7)).toEqual(['Event Sign-ups ID', 'Event Sign-ups Status', 'Event Sign-ups Synced At', 'Event Sign-ups Message', 'Event Sign-ups Hash']);
    expect(signups.slice(1).map((r) => r[8])).toEqual(['Updated', 'Created', 'Created', 'Needs review', 'Skipped', 'Skipped']);
    expect(signups[1]![6]).toBe('Vegetarian');
    const members = csv(dir, 'Members');
    expect(members[0]!.slice(0, 3)).toEqual(['ID', 'Notes', 'FirstName']);
    expect(members.find((row) => row[0] === '10001')![1]).toBe('Board member: call before renewals');
    expect(members.some((row) => row[0] === '99999')).toBe(false);
    expect(members).toHaveLength(1235);
    expect(csv(dir, 'Sync Report')).toHaveLength(12);
    expect(csv(dir, 'Jobs')[4]![11]).toMatch(/^OK: 1,234 rows/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.startsWith('.sheets-sync.lock'))).toEqual([]);

    const before = readFileSync(join(dir, 'Members.csv'), 'utf8');
    const again = await runCli(['run', '--workbook', dir, '--job', 'Active Members'], SECRETS);
    expect(again.code).toBe(0);
    const row = Papa.parse<string[]>(again.stdout.trim()).data[1]!;
    expect([row[4], row[7], row[8], row[9]]).toEqual(['Active Members', '0', '0', '1234']);
    expect(readFileSync(join(dir, 'Members.csv'), 'utf8')).toBe(before);
  });

  it('a setup mistake exits 2 naming tab, row and column, and sends nothing', async () => {
    const dir = demoWorkbook();
    const jobs = readFileSync(join(dir, 'Jobs.csv'), 'utf8').replace(',iMIS,$/Sheets Sync Demo/Active Members', ',iMS,$/Sheets Sync Demo/Active Members');
    writeFileSync(join(dir, 'Jobs.csv'), jobs);
    const signups = readFileSync(join(dir, 'Event Sign-ups.csv'), 'utf8');
    const sent = requestCount();
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Jobs row 5, Connection: no connection named "iMS" (did you mean "iMIS"?)');
    expect(requestCount()).toBe(sent);
    expect(existsSync(join(dir, 'Students.csv'))).toBe(false);
    expect(readFileSync(join(dir, 'Event Sign-ups.csv'), 'utf8')).toBe(signups);
  });

  it('a draft job with a setup problem is reported on stderr but stops nothing (exit 0)', async () => {
    const dir = demoWorkbook();
    writeFileSync(join(dir, 'Jobs.csv'), `${readFileSync(join(dir, 'Jobs.csv'), 'utf8').trimEnd()}\nDraft,FALSE,Pull,iMIS,Marketing/Draft,Draft,,,,Hourly,,\n`);
    const r = await runCli(['run', '--workbook', dir, '--job', 'Students'], SECRETS);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Fix before use (nothing that runs now needs it): Jobs row 13, Source: the IQA path must start with "$/"');
    expect(Papa.parse<string[]>(r.stdout.trim()).data.slice(1).map((row) => [row[4], row[5]])).toEqual([['Students', 'OK']]);
  });

  it('a pull whose Target is a tab no pull wrote (a push job\'s Source) exits 2 and leaves the tab exactly as it was', async () => {
    const dir = demoWorkbook();
    writeFileSync(join(dir, 'Jobs.csv'), readFileSync(join(dir, 'Jobs.csv'), 'utf8').replace(',Students,iMIS ID,Merge,', ',Event Sign-ups,iMIS ID,Merge,'));
    const signups = readFileSync(join(dir, 'Event Sign-ups.csv'));
    const sent = requestCount();
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Jobs row 6, Target: the tab "Event Sign-ups" already holds 6 rows that no pull wrote, and the pull would replace them');
    expect(requestCount()).toBe(sent);
    expect(readFileSync(join(dir, 'Event Sign-ups.csv'))).toEqual(signups);
  });

  it('a {{column:…}} naming no header of the push\'s tab exits 2 before any request, suggesting the header', async () => {
    const dir = demoWorkbook();
    writeFileSync(join(dir, 'Constants.csv'), `${readFileSync(join(dir, 'Constants.csv'), 'utf8').trimEnd()}\nEvent Sign-ups,Title,{{column:Emial}}\n`);
    const sent = requestCount();
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Constants row 5, Value: {{column:Emial}}');
    expect(requestCount()).toBe(sent);
  });

  it('a folder held by a live run is Skipped, and stderr says which process holds it until when', async () => {
    const dir = demoWorkbook();
    // This test's own process: alive, on this computer.
    writeFileSync(join(dir, '.sheets-sync.lock'), JSON.stringify({ started: Date.now(), pid: process.pid, host: hostname() }));
    const sent = requestCount();
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Process ${process.pid} on this computer has held the lock on this workbook folder since`);
    expect(r.stdout).toContain('Another sync is still running');
    expect(requestCount()).toBe(sent);
  });

  it('a missing secret exits 2 and says which environment variable to set', async () => {
    const dir = demoWorkbook();
    const r = await runCli(['run', '--workbook', dir], { SHEETS_SYNC_SECRET_IMIS: 'demo-password' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Connections row 3, Name: no password is set for "iMIS 2017" (set the environment variable SHEETS_SYNC_SECRET_IMIS_2017)');
  });

  it('an API failure fails that job (exit 1), leaves its tab as it was, and the other jobs still run', async () => {
    const dir = demoWorkbook();
    // The push from Members is turned off: it would write its status columns into the tab.
    writeFileSync(
      join(dir, 'Jobs.csv'),
      readFileSync(join(dir, 'Jobs.csv'), 'utf8').replace('$/Sheets Sync Demo/Active Members', '$/Sheets Sync Demo/Gone').replace('Members to EveryAction,TRUE', 'Members to EveryAction,FALSE'),
    );
    const before = readFileSync(join(dir, 'Members.csv'), 'utf8');
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.code).toBe(1);
    const rows = Papa.parse<string[]>(r.stdout.trim()).data.slice(1);
    expect(rows.map((row) => row[5])).toEqual(['OK', 'OK', 'OK', 'Failed', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK']);
    expect(rows[3]![13]).toContain('iMIS could not find the query "$/Sheets Sync Demo/Gone"');
    expect(readFileSync(join(dir, 'Members.csv'), 'utf8')).toBe(before);
  });

  it('a wrong password fails the job with a plain sentence', async () => {
    const dir = demoWorkbook();
    const r = await runCli(['run', '--workbook', dir, '--job', 'Students'], { ...SECRETS, SHEETS_SYNC_SECRET_IMIS: 'nope' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('iMIS rejected the user name or password for connection ""iMIS"" (user ""sync.user"")');
  });

  it('--preview of a push matches rows in iMIS but writes nothing, not even status columns', async () => {
    // a simulator of its own, untouched by the other tests' pushes
    const fresh = await startSimulatorServer({ port: 0 });
    const dir = demoWorkbook();
    writeFileSync(join(dir, 'Connections.csv'), readFileSync(join(dir, 'Connections.csv'), 'utf8').replaceAll(server.url, fresh.url));
    const before = readFileSync(join(dir, 'Event Sign-ups.csv'), 'utf8');
    const r = await runCli(['run', '--workbook', dir, '--preview', '--job', 'Event Sign-ups'], SECRETS);
    await fresh.close();
    expect(r.code).toBe(0);
    expect(fresh.imisEms.requests.filter((q) => q.method !== 'GET' && !q.path.toLowerCase().startsWith('/token'))).toEqual([]);
    expect(readFileSync(join(dir, 'Event Sign-ups.csv'), 'utf8')).toBe(before);
    const log = csv(dir, 'Sync Log').slice(1);
    expect(log.map((row) => row[5])).toEqual(['Would update', 'Would create', 'Would create', 'Needs review', 'Skipped', 'Skipped']);
  });

  it('--preview reads everything and writes no data tab', async () => {
    const dir = demoWorkbook();
    const r = await runCli(['run', '--workbook', dir, '--preview', '--job', 'Students'], SECRETS);
    expect(r.code).toBe(0);
    expect(Papa.parse<string[]>(r.stdout.trim()).data[1]![5]).toBe('Preview');
    expect(existsSync(join(dir, 'Students.csv'))).toBe(false);
    expect(csv(dir, 'Sync Log')[1]![5]).toBe('Would create');
  });

  it('runs every job of a Jobs tab whose later rows were appended with LF line ends', async () => {
    const dir = demoWorkbook();
    const lines = readFileSync(join(dir, 'Jobs.csv'), 'utf8').split(/\r?\n/).filter((line) => line !== '');
    // As the CLI writes it (CRLF), then rows added in an editor that ends lines with LF.
    writeFileSync(join(dir, 'Jobs.csv'), lines.slice(0, 5).map((l) => `${l}\r\n`).join('') + lines.slice(5).map((l) => `${l}\n`).join(''));
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.code).toBe(0);
    const rows = Papa.parse<string[]>(r.stdout.trim()).data.slice(1);
    expect(rows.map((row) => [row[4], row[5]])).toEqual(lines.slice(1).map((line) => [line.split(',')[0], 'OK']));
    const jobs = csv(dir, 'Jobs');
    expect(jobs).toHaveLength(lines.length);
    expect(jobs.slice(1).map((row) => row[11])).toEqual(jobs.slice(1).map(() => expect.stringMatching(/^OK/)));
  });

  it('sends rows appended with LF to a CRLF source tab, writes each status on its own row and keeps the BOM', async () => {
    const dir = demoWorkbook();
    const file = join(dir, 'Event Sign-ups.csv');
    const tag = Date.now().toString(36);
    const appended = [`2026-11-06 09:00,lf.one.${tag}@example.org,Lena,One,,,`, `2026-11-06 09:05,lf.two.${tag}@example.org,Omar,Two,,,Vegan`];
    writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}${appended.map((l) => `${l}\n`).join('')}`);
    const r = await runCli(['run', '--workbook', dir, '--job', 'Event Sign-ups'], SECRETS);
    expect(r.code).toBe(0);
    expect(Papa.parse<string[]>(r.stdout.trim()).data[1]![6]).toBe('8');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFFTimestamp,')).toBe(true);
    const rows = Papa.parse<string[]>(text.slice(1).trimEnd(), { newline: '\r\n' }).data;
    expect(rows).toHaveLength(9);
    expect(rows.slice(7).map((row) => [row[1], row[6], row[8]])).toEqual([
      [`lf.one.${tag}@example.org`, '', 'Created'],
      [`lf.two.${tag}@example.org`, 'Vegan', 'Created'],
    ]);
  });

  it('refuses a source tab that is not UTF-8, naming file and line, and sends nothing', async () => {
    const dir = demoWorkbook();
    const file = join(dir, 'Event Sign-ups.csv');
    // Windows-1252, as Excel's plain "CSV" saves it: é is the single byte 0xE9.
    const original = readFileSync(file);
    const at = original.indexOf('Nguyen');
    const broken = Buffer.concat([original.subarray(0, at), Buffer.from('Ngu'), Buffer.from([0xe9]), original.subarray(at + 'Nguy'.length)]);
    writeFileSync(file, broken);
    const sent = requestCount();
    const sentToEveryAction = server.everyAction.requests.length;
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    // A setup error: exit 2, no stack trace, and the Sync Report says so.
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('stopped unexpectedly');
    expect(r.stderr).toContain('Event Sign-ups.csv is not UTF-8 text: line 3 has the byte 0xE9');
    expect(requestCount()).toBe(sent);
    expect(server.everyAction.requests.length).toBe(sentToEveryAction);
    expect(readFileSync(file)).toEqual(broken);
    expect(existsSync(join(dir, 'Students.csv'))).toBe(false);
  });

  it('rejects bad flags with exit 2 and the usage', async () => {
    for (const args of [['run'], ['run', '--workbook', 'x', '--budget', 'soon'], ['run', '--workbook', 'x', '--port', '1'], ['frobnicate']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('Usage:');
    }
    const missing = await runCli(['run', '--workbook', join(tmpdir(), 'no-such-workbook-folder')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no workbook folder at');
  });
});

describe('sheets-sync init', () => {
  it('writes starter tabs that parse, and refuses to overwrite them', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sheets-sync-init-')), 'book');
    const r = await runCli(['init', '--workbook', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['Connections.csv', 'Constants.csv', 'Jobs.csv', 'Lists.csv', 'Mappings.csv']);
    expect(csv(dir, 'Lists')[0]).toContain('Transform');
    // The starter config is valid: the only thing missing is the password.
    const run = await runCli(['run', '--workbook', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('Connections row 2, Name: no password is set for "iMIS" (set the environment variable SHEETS_SYNC_SECRET_IMIS)');
    const again = await runCli(['init', '--workbook', dir]);
    expect(again.code).toBe(2);
    expect(again.stdout).toContain('nothing was changed');
  });
});
