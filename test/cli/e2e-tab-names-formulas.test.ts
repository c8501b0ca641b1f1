// The sheets-sync command end to end on tab names that Sheets allows but files do not, on names
// nothing can use, and on pulled text that a spreadsheet program would run as a formula.

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { CsvWorkbook } from '../../src/cli/csv-workbook';
import { startSimulatorServer, type SimulatorServer } from '../../src/simulators/server';

const root = join(__dirname, '../..');
const cli = join(root, 'dist/cli/sheets-sync.mjs');
const SECRETS = { SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_SECRET_IMIS_2017: 'demo-password', SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };
const JOBS_HEADER = 'Name,Enabled,Action,Connection,Source,Target,Match,Mode,Parameters,Schedule,Last Run,Last Result';

let server: SimulatorServer;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/cli is missing: run `npm test` (it builds first) or `npm run build`');
  server = await startSimulatorServer({ port: 0 });
  server.imisEms.setQueryRows('$/Tiny', [{ ID: '1', Name: 'One' }]);
});
afterAll(async () => {
  await server?.close();
});


/** The demo workbook pointed at this test's simulators, inside a folder of its own, with these jobs. */
function workbook(jobs: string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sheets-sync-e2e-names-')), 'book');
  cpSync(join(root, 'examples/demo'), dir, { recursive: true });
  const file = join(dir, 'Connections.csv');
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll('http://127.0.0.1:8787/', server.url));
  writeFileSync(join(dir, 'Jobs.csv'), [JOBS_HEADER, ...jobs].join('\r\n') + '\r\n');
  // Mappings and Constants of jobs no longer there would be setup problems of their own.
  const names = jobs.map((j) => j.split(',')[0]);
  const keep = (tab: string) => {
    const lines = readFileSync(join(dir, `${tab}.csv`), 'utf8').trimEnd().split(/\r?\n/);
    writeFileSync(join(dir, `${tab}.csv`), [lines[0], ...lines.slice(1).filter((l) => names.includes(l.split(',')[0]))].join('\r\n') + '\r\n');
  };
  keep('Mappings');
  keep('Constants');
  return dir;
}

const requestCount = () => server.imisEms.requests.length + server.imis2017.requests.length;
const pull = (name: string, source: string, target: string) => `${name},TRUE,Pull,iMIS,${source},"${target.replaceAll('"', '""')}",ID,Replace,,Hourly,,`;
const SIGNUPS = 'Event Sign-ups,TRUE,Push,iMIS,Event Sign-ups,Contact,Email,Upsert,,Hourly,,';

describe('sheets-sync run: tab names', () => {
  it('stops with exit 2 before any request when a tab name is longer than Google Sheets allows', async () => {
    const dir = workbook([SIGNUPS, pull('Long', '$/Tiny', 'x'.repeat(300))]);
    const signups = readFileSync(join(dir, 'Event Sign-ups.csv'), 'utf8');
    const before = requestCount();
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Jobs row 3, Target: the tab name "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" is 300 characters long; a Google Sheets tab name can have at most 100');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(requestCount()).toBe(before);
    expect(readFileSync(join(dir, 'Event Sign-ups.csv'), 'utf8')).toBe(signups);
  });

  it('keeps tabs named "../x", "a/b" and "CON" in escaped files inside the workbook folder', async () => {
    const dir = workbook([pull('Up', '$/Tiny', '../x'), pull('Slash', '$/Tiny', 'a/b'), pull('Device', '$/Tiny', 'CON')]);
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/\n\s+at |problem/i) });
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['%2E.%2Fx.csv', 'a%2Fb.csv', '%43ON.csv']));
    expect(readdirSync(dirname(dir))).toEqual(['book']);
    const book = new CsvWorkbook(dir);
    for (const tab of ['../x', 'a/b', 'CON']) expect(book.read(tab), tab).toEqual([['ID', 'Name'], ['1', 'One']]);
  });

  it('says plainly, with exit 2 and nothing sent, when a legal tab name cannot be a file name', async () => {
    const slashes = '/'.repeat(100);
    const dir = workbook([SIGNUPS, pull('Slashes', '$/Tiny', slashes)]);
    const before = requestCount();
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot be kept as a file in the workbook folder: its file name would be 304 bytes long');
    expect(r.stderr).toContain('Give the tab a shorter name in the Jobs tab (Source or Target)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(requestCount()).toBe(before);
  });
});

describe('sheets-sync run: formulas in pulled text', () => {
  it('writes pulled text that looks like a formula behind an apostrophe; numbers and a hand-typed -5 stay plain', async () => {
    server.imisEms.setQueryRows('$/Danger', [
      { ID: '1', Note: "=cmd|' /C calc'!A0", Tag: '-5 points', Handle: '@home', Quote: "'tis", Amount: -5 },
      { ID: '2', Note: '+1+1', Tag: '-5', Handle: 'plain', Quote: '', Amount: 3 },
    ]);
    const dir = workbook([pull('Danger', '$/Danger', 'Members')]);
    // The coordinator's own column beside the pulled ones, with a number typed in it.
    writeFileSync(join(dir, 'Members.csv'), 'ID,Notes\r\n1,-5\r\n2,=1+1\r\n');
    const r = await runCli(['run', '--workbook', dir], SECRETS);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/\n\s+at |problem/i) });
    const raw = readFileSync(join(dir, 'Members.csv'), 'utf8');
    const cells = raw.trimEnd().split('\r\n').map((line) => line.split(','));
    const column = (name: string) => cells.slice(1).map((row) => row[cells[0]!.indexOf(name)]);
    expect(column('Note')).toEqual(["'=cmd|' /C calc'!A0", "'+1+1"]);
    expect(column('Tag')).toEqual(["'-5 points", '-5']);
    expect(column('Handle')).toEqual(["'@home", 'plain']);
    expect(column('Quote')).toEqual(["''tis", '']);
    expect(column('Amount')).toEqual(['-5', '3']);
    expect(column('Notes')[0]).toBe('-5');
    // No cell of the file starts a formula any more.
    expect(cells.flat().filter((c) => /^[=+@\t\r]/.test(c) || /^-(?!\d+$)/.test(c))).toEqual([]);
    const read = new CsvWorkbook(dir).read('Members')!;
    const at = (name: string) => read.slice(1).map((row) => row[read[0]!.indexOf(name)]);
    expect(at('Note')).toEqual(["=cmd|' /C calc'!A0", '+1+1']);
    expect(at('Quote')).toEqual(["'tis", '']);
    expect(at('Notes')).toEqual(['-5', '=1+1']);
  });
});
