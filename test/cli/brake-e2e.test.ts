// The CLI's --brake end to end: the built command holds a job with unusual changes only when
// asked, and still runs the jobs it was told to (not only those due by Schedule).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { DEMO_QUERIES } from '../../src/simulators/imis';
import { demoWorkbook, runCli, useSimulators } from '../helpers/cli';

const SECRETS = { SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_SECRET_IMIS_2017: 'demo-password', SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };

const simulators = useSimulators();

/** The demo workbook with Brake=0% on Event Sign-ups: any row to send is more than the brake allows. */
function braked(): string {
  const dir = demoWorkbook(simulators().url, 'sheets-sync-brake-');
  const file = join(dir, 'Jobs.csv');
  writeFileSync(file, readFileSync(file, 'utf8').replace('Event Sign-ups,Contact,Email,Upsert,,', 'Event Sign-ups,Contact,Email,Upsert,Brake=0%,'));
  return dir;
}

const statusOf = (stdout: string) => Papa.parse<string[]>(stdout.trim()).data.slice(1).map((row) => [row[4], row[5]]);

describe('sheets-sync run --brake', () => {
  it('holds the job with nothing sent, exit 1; without --brake the same job runs', async () => {
    const dir = braked();
    const before = simulators().imisEms.requests.length;
    const held = await runCli(['run', '--workbook', dir, '--job', 'Event Sign-ups', '--brake', '--format', 'csv'], SECRETS);
    expect(held.code).toBe(1);
    expect(statusOf(held.stdout)).toEqual([['Event Sign-ups', 'Held']]);
    expect(held.stdout).toContain('This push would send 4 rows of 6 (67 %), more than the brake allows (0 % of the tab\'s rows). Nothing was sent.');
    expect(simulators().imisEms.requests.length).toBe(before);

    const ran = await runCli(['run', '--workbook', dir, '--job', 'Event Sign-ups', '--format', 'csv'], SECRETS);
    expect(ran.code).toBe(0);
    expect(statusOf(ran.stdout)).toEqual([['Event Sign-ups', 'OK']]);
  });
});

describe('sheets-sync run --brake on a Replace pull whose query shrank', () => {
  it('holds it at 0 and at 700 of 1,000 rows with the tab byte for byte as it was; a run by hand applies it', async () => {
    const imis = simulators().imisEms;
    const query = DEMO_QUERIES.activeMembers;
    const template = imis.queryRows(query)[0]!;
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ ...template, ID: String(900000 + i), FullName: `Member ${i}` }));
    const dir = demoWorkbook(simulators().url, 'sheets-sync-brake-pull-');
    const jobs = join(dir, 'Jobs.csv');
    writeFileSync(jobs, `${readFileSync(jobs, 'utf8').trimEnd()}\nRoster,TRUE,Pull,iMIS,${query},Roster,ID,Replace,,Hourly,,\n`);
    const roster = join(dir, 'Roster.csv');
    const dataRows = () => Papa.parse<string[]>(readFileSync(roster, 'utf8').trim()).data.length - 1;
    const run = (...extra: string[]) => runCli(['run', '--workbook', dir, '--job', 'Roster', '--format', 'csv', ...extra], SECRETS);

    imis.setQueryRows(query, rows(1000));
    expect((await run('--brake')).code).toBe(0);
    expect(dataRows()).toBe(1000);
    const before = readFileSync(roster);

    imis.setQueryRows(query, []);
    const emptied = await run('--brake');
    expect(emptied.code).toBe(1);
    expect(statusOf(emptied.stdout)).toEqual([['Roster', 'Held']]);
    expect(emptied.stdout).toContain('This pull would remove 1,000 of 1,000 rows (100 %), more than the brake allows (20 %). Nothing was written.');
    expect(readFileSync(roster).equals(before)).toBe(true);

    imis.setQueryRows(query, rows(700));
    const shrunk = await run('--brake');
    expect(statusOf(shrunk.stdout)).toEqual([['Roster', 'Held']]);
    expect(shrunk.stdout).toContain('This pull would remove 300 of 1,000 rows (30 %), more than the brake allows (20 %).');
    expect(readFileSync(roster).equals(before)).toBe(true);

    // A person's run (no --brake) does exactly what was held.
    const applied = await run();
    expect(applied.code).toBe(0);
    expect(statusOf(applied.stdout)).toEqual([['Roster', 'OK']]);
    expect(dataRows()).toBe(700);
  });
});
