// The CLI's --brake end to end: the built command holds a job with unusual changes only when
// asked, and still runs the jobs it was told to (not only those due by Schedule).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
