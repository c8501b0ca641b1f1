// The demo's Event Attendance job end to end: the built CLI pushes each attendance row as an iMIS
// activity over loopback, writes the SEQNs back, sends nothing on a re-run, updates an edited row
// with a GET and a PUT, skips the row no contact has, and fails only the row iMIS refuses.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { demoWorkbook, runCli, useSimulators } from '../helpers/cli';

const SECRETS = { SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_SECRET_IMIS_2017: 'demo-password', SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };
const JOB = 'Event Attendance';

const simulators = useSimulators();

const csv = (dir: string, tab: string): string[][] => Papa.parse<string[]>(readFileSync(join(dir, `${tab}.csv`), 'utf8').trimEnd()).data;
const column = (grid: string[][], header: string) => grid.slice(1).map((r) => r[grid[0]!.indexOf(header)] ?? '');
/** The job's Sync Report row on stdout: [Status, Read, Created, Updated, Unchanged, Skipped, Failed, Requests]. */
const reportOf = (stdout: string) => Papa.parse<string[]>(stdout.trim()).data[1]!.slice(5, 13);
const run = (dir: string) => runCli(['run', '--workbook', dir, '--job', JOB, '--format', 'csv'], SECRETS);

function since(from: number): string[] {
  return simulators()
    .imisEms.requests.slice(from)
    .map((r) => `${r.method} ${r.path.split('?')[0]}`);
}

describe('sheets-sync run: the Event Attendance job (Target Activity)', () => {
  it('adds one activity per matched row, then sends nothing, then updates an edited row with a GET and a PUT', async () => {
    const dir = demoWorkbook(simulators().url, 'sheets-sync-activity-');
    const sim = simulators().imisEms;
    const contacts = sim.parties().length;
    const activities = sim.activities().length;

    let from = sim.requests.length;
    const first = await run(dir);
    expect(first.code, first.stderr).toBe(0);
    // Status, Read, Created, Updated, Unchanged, Skipped, Failed, Requests: sign-in, the definition, 5 searches (one per person), 5 creates.
    expect(reportOf(first.stdout)).toEqual(['OK', '6', '5', '0', '0', '1', '0', '12']);
    const tab = csv(dir, 'Event Attendance');
    const seqns = column(tab, `${JOB} ID`);
    const added = sim.activities().slice(activities);
    expect(added.map((a) => [a.PartyId, a.ACTIVITY_TYPE, a.DESCRIPTION, a.TRANSACTION_DATE])).toEqual([
      ['10001', 'EVENT', 'Autumn Gala', '2026-11-14T00:00:00'],
      ['10003', 'EVENT', 'Autumn Gala', '2026-11-14T00:00:00'],
      ['10004', 'EVENT', 'Autumn Gala', '2026-11-14T00:00:00'],
      ['10001', 'EVENT', 'Volunteer Orientation', '2026-11-21T00:00:00'],
      ['10005', 'EVENT', 'Volunteer Orientation', '2026-11-21T00:00:00'],
    ]);
    expect(seqns).toEqual([String(added[0]!.SEQN), String(added[1]!.SEQN), String(added[2]!.SEQN), '', String(added[3]!.SEQN), String(added[4]!.SEQN)]);
    expect(column(tab, `${JOB} Status`)).toEqual(['Created', 'Created', 'Created', 'Skipped', 'Created', 'Created']);
    expect(column(tab, `${JOB} Message`)[3]).toBe('no iMIS contact with this email; the activity is added once the contact is in iMIS');
    expect(sim.parties()).toHaveLength(contacts);
    expect(since(from).filter((r) => r === 'POST /api/Activity')).toHaveLength(5);

    // Nothing changed: no activity is written; only the row without a contact is looked up again.
    from = sim.requests.length;
    const second = await run(dir);
    expect(second.code).toBe(0);
    expect(reportOf(second.stdout)).toEqual(['OK', '6', '0', '0', '5', '1', '0', '3']);
    expect(since(from)).toEqual(['POST /token', 'GET /api/BoEntityDefinition/Activity', 'GET /api/Party']);
    expect(sim.activities()).toHaveLength(activities + 5);

    // An edited row whose SEQN is known: read whole, written back whole, never added again.
    const file = join(dir, 'Event Attendance.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('10004@example.org,Mateo Hernandez,Autumn Gala,', '10004@example.org,Mateo Hernandez,Autumn Gala (dinner),'));
    from = sim.requests.length;
    const third = await run(dir);
    expect(third.code).toBe(0);
    expect(reportOf(third.stdout)).toEqual(['OK', '6', '0', '1', '4', '1', '0', '5']);
    const seqn = seqns[2]!;
    expect(since(from)).toEqual(['POST /token', 'GET /api/BoEntityDefinition/Activity', `GET /api/Activity/${seqn}`, 'GET /api/Party', `PUT /api/Activity/${seqn}`]);
    expect(sim.activity(seqn)).toMatchObject({ PartyId: '10004', ACTIVITY_TYPE: 'EVENT', DESCRIPTION: 'Autumn Gala (dinner)', TRANSACTION_DATE: '2026-11-14T00:00:00' });
    expect(sim.activities()).toHaveLength(activities + 5);
    const updated = csv(dir, 'Sync Log').filter((row) => row[2] === JOB && row[5] === 'Updated');
    expect(updated.map((row) => row.slice(3, 7))).toEqual([['4', seqn, 'Updated', 'DESCRIPTION: Autumn Gala → Autumn Gala (dinner)']]);
  });

  it('`sheets-sync fields` lists the usual Activity fields, then the rest of iMIS\'s definition as live', async () => {
    const dir = demoWorkbook(simulators().url, 'sheets-sync-activity-');
    const from = simulators().imisEms.requests.length;
    const r = await runCli(['fields', '--workbook', dir, '--job', JOB], SECRETS);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 9)).toEqual(['ID', 'Email', 'FirstName', 'LastName', 'ACTIVITY_TYPE', 'TRANSACTION_DATE', 'DESCRIPTION', 'NOTE', 'AMOUNT']);
    expect(lines).toContain('UF_1\t(live)');
    expect(lines.some((l) => /^(SEQN|PartyId)\b/.test(l))).toBe(false);
    expect(since(from)).toEqual(['POST /token', 'GET /api/BoEntityDefinition/Activity']);
  });

  it('an activity type iMIS does not know fails only that row, with iMIS\'s message', async () => {
    const dir = demoWorkbook(simulators().url, 'sheets-sync-activity-');
    const sim = simulators().imisEms;
    // The type from a column instead of the constant, and one row with a type iMIS does not have.
    writeFileSync(join(dir, 'Constants.csv'), readFileSync(join(dir, 'Constants.csv'), 'utf8').replace('Event Attendance,ACTIVITY_TYPE,EVENT\r\n', ''));
    writeFileSync(join(dir, 'Mappings.csv'), `${readFileSync(join(dir, 'Mappings.csv'), 'utf8')}Event Attendance,Type,ACTIVITY_TYPE,,upper\r\n`);
    writeFileSync(
      join(dir, 'Event Attendance.csv'),
      'Email,Event,Date,Type\r\naisha.brown.10003@example.org,Autumn Gala,2026-11-14,event\r\nmateo.hernandez.10004@example.org,Raffle,2026-11-14,RAFFLE\r\nsusan.martinez.10005@example.org,Board meeting,2026-11-18,MEETING\r\n',
    );
    const activities = sim.activities().length;
    const r = await run(dir);
    expect(r.code).toBe(1);
    expect(reportOf(r.stdout).slice(0, 7)).toEqual(['Failed', '3', '2', '0', '0', '0', '1']);
    const tab = csv(dir, 'Event Attendance');
    expect(column(tab, `${JOB} Status`)).toEqual(['Created', 'Failed', 'Created']);
    expect(column(tab, `${JOB} Message`)[1]).toBe("iMIS refused it: 'RAFFLE' is not a valid ACTIVITY_TYPE. Valid types are DUES, EVENT, GIFT, MEETING, ONLINEAPP, PETITION, VOLUNTEER.");
    expect(column(tab, `${JOB} ID`)[1]).toBe('');
    expect(sim.activities().slice(activities).map((a) => [a.PartyId, a.ACTIVITY_TYPE])).toEqual([
      ['10003', 'EVENT'],
      ['10005', 'MEETING'],
    ]);
  });
});
