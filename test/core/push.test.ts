// The push runner with a fake target: payloads (transforms, Required, {{clear}}, tokens, formula
// errors), incremental re-runs, duplicate keys, preview, the time budget, and status columns
// written as whole-column blocks beside the coordinator's own cells.

import { describe, expect, it } from 'vitest';
import { describeProblem, type Constant, type ImisConnection, type ImisPushJob, type Mapping } from '../../src/core/config/types';
import type { Grid } from '../../src/core/ports';
import { checkPushSource, runPush, type PushContext } from '../../src/core/push/runner';
import type { PushRow, PushTarget, RowOutcome } from '../../src/core/push/types';
import { memoryLog, MemoryWorkbook } from '../helpers/fakes';

const connection: ImisConnection = { system: 'iMIS', name: 'iMIS', url: 'https://x/', username: 'u', mode: 'EMS', secret: 's', row: 2 };
const map = (column: string, field: string, extra: Partial<Mapping> = {}): Mapping => ({ column, field, required: false, transform: null, row: 2, ...extra });

function job(over: Partial<ImisPushJob> = {}): ImisPushJob {
  return {
    action: 'Push',
    system: 'iMIS',
    name: 'Signups',
    enabled: true,
    connection,
    schedule: 'Hourly',
    source: 'Sign-ups',
    target: 'Contact',
    match: 'Email',
    mode: 'Upsert',
    parameters: [],
    mappings: [map('E-mail', 'Email', { required: true, transform: 'email' }), map('First', 'FirstName'), map('Last', 'LastName')],
    constants: [],
    row: 2,
    ...over,
  };
}

/** A target that remembers what it was sent and answers with scripted outcomes. */
function fakeTarget(answer: (row: PushRow) => RowOutcome = (r) => ({ outcome: 'Created', id: `ID${r.row}`, changes: [], message: '' })) {
  const batches: PushRow[][] = [];
  const target: PushTarget & { batches: PushRow[][]; sent: () => PushRow[] } = {
    idName: 'iMIS ID',
    batches,
    sent: () => batches.flat(),
    prepare: () => undefined,
    check: (row) => (row.payload.Email ? null : 'no Email to match this row to a contact'),
    matchKey: (row) => String(row.payload.Email ?? '').toLowerCase(),
    push: (rows) => {
      batches.push(rows);
      return rows.map(answer);
    },
  };
  return target;
}

const SIGNUPS: Grid = [
  ['Timestamp', 'E-mail', 'First', 'Last', 'Notes'],
  ['2026-11-01', 'Ann@Example.org', 'Ann', 'Lee', 'likes tea'],
  ['2026-11-02', 'bob@example.org', 'Bob', 'Ng', ''],
  ['2026-11-03', 'cy@example.org', 'Cy', 'Oh', ''],
];

function ctx(workbook: MemoryWorkbook, over: Partial<PushContext> = {}): PushContext {
  return {
    workbook,
    log: memoryLog(),
    now: () => new Date('2026-11-23T15:00:00Z'),
    preview: false,
    tokens: { today: '2026-11-23', now: '2026-11-23T15:00:00Z', job: 'Signups', sheet: 'Sign-ups', run: 'R1', lastSuccess: '' },
    shouldStop: () => false,
    brake: false,
    ...over,
  };
}

function run(wb: MemoryWorkbook, target: PushTarget, j = job(), over: Partial<PushContext> = {}) {
  return runPush(j, target, wb.read(j.source)!, ctx(wb, over));
}

describe('first push', () => {
  it('sends every row, writes back ID/Status/Synced At/Message/Hash at the right, and touches nothing else', () => {
    const wb = new MemoryWorkbook({ 'Sign-ups': SIGNUPS });
    const target = fakeTarget();
    const out = run(wb, target);
    expect(out).toMatchObject({ status: 'OK', read: 3, created: 3, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    expect(target.sent().map((r) => [r.row, r.payload])).toEqual([
      [2, { Email: 'ann@example.org', FirstName: 'Ann', LastName: 'Lee' }],
      [3, { Email: 'bob@example.org', FirstName: 'Bob', LastName: 'Ng' }],
      [4, { Email: 'cy@example.org', FirstName: 'Cy', LastName: 'Oh' }],
    ]);
    const tab = wb.text('Sign-ups');
    expect(tab[0]).toEqual(['Timestamp', 'E-mail', 'First', 'Last', 'Notes', 'Signups ID', 'Signups Status', 'Signups Synced At', 'Signups Message', 'Signups Hash']);
    expect(tab[1]!.slice(0, 9)).toEqual(['2026-11-01', 'Ann@Example.org', 'Ann', 'Lee', 'likes tea', 'ID2', 'Created', '2026-11-23T15:00:00Z', '']);
    expect(tab[1]![9]).toMatch(/^[0-9a-z]+$/);
    expect(wb.blockWrites).toBe(1);
    expect(wb.writes).toBe(1);
  });

  it('finds status columns wherever the coordinator moved them, and writes one block per run of adjacent columns', () => {
    const grid: Grid = [
      ['Signups Status', 'E-mail', 'First', 'Last', 'Signups ID', 'Signups Synced At', 'Signups Message', 'Signups Hash'],
      ['', 'a@example.org', 'A', 'B', '', '', '', ''],
    ];
    const wb = new MemoryWorkbook({ 'Sign-ups': grid });
    run(wb, fakeTarget());
    const tab = wb.text('Sign-ups');
    expect(tab[0]).toEqual(grid[0]);
    expect(tab[1]!.slice(0, 5)).toEqual(['Created', 'a@example.org', 'A', 'B', 'ID2']);
    expect(wb.blockWrites).toBe(2);
  });

  it('a status column the coordinator renamed becomes theirs: never written again; a new one is added', () => {
    const wb = new MemoryWorkbook({ 'Sign-ups': SIGNUPS });
    run(wb, fakeTarget());
    const tab = wb.tabs.get('Sign-ups')!;
    tab[0]![6] = 'My notes';
    tab[1]![6] = 'called her';
    tab[2]![2] = 'Robert';
    run(wb, fakeTarget((r) => ({ outcome: 'Updated', id: r.knownId, changes: [], message: '' })));
    const after = wb.text('Sign-ups');
    expect(after[0]!.slice(5)).toEqual(['Signups ID', 'My notes', 'Signups Synced At', 'Signups Message', 'Signups Hash', 'Signups Status']);
    expect(after.map((r) => r[6])).toEqual(['My notes', 'called her', 'Created', 'Created']);
    expect(after.map((r) => r[10])).toEqual(['Signups Status', '', 'Updated', '']);
  });

  it('sends in batches of 10 and writes the tab once, however many rows', () => {
    const grid: Grid = [['E-mail', 'First', 'Last']];
    for (let i = 0; i < 1000; i++) grid.push([`p${i}@example.org`, 'P', `${i}`]);
    const wb = new MemoryWorkbook({ 'Sign-ups': grid });
    const target = fakeTarget();
    run(wb, target);
    expect(target.batches).toHaveLength(100);
    expect(Math.max(...target.batches.map((b) => b.length))).toBe(10);
    expect(wb.writes).toBe(1);
  });
});

describe('incremental re-runs', () => {
  it('sends nothing when nothing changed, one row after one edit, and failed rows again', () => {
    const wb = new MemoryWorkbook({ 'Sign-ups': SIGNUPS });
    run(wb, fakeTarget());
    const second = fakeTarget();
    expect(run(wb, second)).toMatchObject({ read: 3, unchanged: 3, created: 0 });
    expect(second.sent()).toEqual([]);
    expect(wb.writes).toBe(1); // nothing to write either

    wb.tabs.get('Sign-ups')![2]![2] = 'Robert';
    const third = fakeTarget((r) => ({ outcome: 'Failed', changes: [], message: 'iMIS refused it: nope', id: r.knownId }));
    const out = run(wb, third);
    expect(third.sent().map((r) => [r.row, r.knownId, r.payload.FirstName])).toEqual([[3, 'ID3', 'Robert']]);
    expect(out).toMatchObject({ status: 'Failed', read: 3, failed: 1, unchanged: 2 });
    expect(out.message).toMatch(/^1 of 3 rows failed; see Sync Log/);

    const fourth = fakeTarget(() => ({ outcome: 'Updated', id: 'ID3', changes: [{ field: 'FirstName', before: 'Bob', after: 'Robert' }], message: '' }));
    expect(run(wb, fourth)).toMatchObject({ status: 'OK', updated: 1, unchanged: 2 });
    expect(fourth.sent().map((r) => r.row)).toEqual([3]);
    expect(run(wb, fakeTarget()).unchanged).toBe(3);
  });

  it('tokens that change every run do not make rows look edited; {{row}} and {{column:}} do count', () => {
    const constants: Constant[] = [
      { field: 'Source', value: 'Sign-up sheet {{sheet}} row {{row}} ({{column:Timestamp}})', row: 2 },
      { field: 'SyncedOn', value: '{{today}} {{now}} {{run}}', row: 3 },
    ];
    const wb = new MemoryWorkbook({ 'Sign-ups': SIGNUPS });
    const first = fakeTarget();
    run(wb, first, job({ constants }));
    expect(first.sent()[0]!.payload).toMatchObject({ Source: 'Sign-up sheet Sign-ups row 2 (2026-11-01)', SyncedOn: '2026-11-23 2026-11-23T15:00:00Z R1' });
    const next = fakeTarget();
    run(wb, next, job({ constants }), { tokens: { today: '2026-11-24', now: '2026-11-24T15:00:00Z', job: 'Signups', sheet: 'Sign-ups', run: 'R2', lastSuccess: 'x' } });
    expect(next.sent()).toEqual([]);
  });
});

describe('rows that are not sent', () => {
  it('skips rows with a missing Required value, a bad value or a formula error, with the reason; sends the rest', () => {
    const grid: Grid = [
      ['E-mail', 'First', 'Last', 'Joined'],
      ['', 'No', 'Email', '2026-01-01'],
      ['not-an-email', 'Bad', 'Email', '2026-01-01'],
      ['#N/A', 'Formula', 'Error', '2026-01-01'],
      ['ok@example.org', 'Fine', 'Row', '03/04/2026'],
      ['ok2@example.org', 'Fine', 'Row', '2026-02-03'],
    ];
    const wb = new MemoryWorkbook({ 'Sign-ups': grid });
    const target = fakeTarget();
    const out = run(wb, target, job({ mappings: [...job().mappings, map('Joined', 'JoinDate', { transform: 'date' })] }));
    expect(target.sent().map((r) => r.row)).toEqual([6]);
    expect(out).toMatchObject({ status: 'OK', read: 5, skipped: 4, created: 1 });
    expect(out.log.map((e) => [e.row, e.outcome, e.message])).toEqual([
      [2, 'Skipped', 'E-mail is empty (Required)'],
      [3, 'Skipped', 'E-mail: "not-an-email" is not an email address'],
      [4, 'Skipped', 'E-mail: the cell shows the formula error #N/A'],
      [5, 'Skipped', 'Joined: "03/04/2026" could be read as day/month or month/day; write it as yyyy-mm-dd'],
      [6, 'Created', ''],
    ]);
    expect(wb.text('Sign-ups').map((r) => r[5])).toEqual(['Signups Status', 'Skipped', 'Skipped', 'Skipped', 'Skipped', 'Created']);
  });

  it('blank cells are left out, {{clear}} blanks the field, blank rows are ignored', () => {
    const grid: Grid = [
      ['E-mail', 'First', 'Last'],
      ['a@example.org', '', '{{clear}}'],
      ['', '', ''],
    ];
    const wb = new MemoryWorkbook({ 'Sign-ups': grid });
    const target = fakeTarget();
    const out = run(wb, target);
    expect(target.sent().map((r) => r.payload)).toEqual([{ Email: 'a@example.org', LastName: null }]);
    expect(out.read).toBe(1);
  });

  it('two rows with the same key are both Needs review and neither is sent', () => {
    const grid: Grid = [
      ['E-mail', 'First', 'Last'],
      ['same@example.org', 'A', 'One'],
      ['x@example.org', 'X', 'Y'],
      ['SAME@example.org ', 'B', 'Two'],
    ];
    const wb = new MemoryWorkbook({ 'Sign-ups': grid });
    const target = fakeTarget();
    const out = run(wb, target);
    expect(target.sent().map((r) => r.row)).toEqual([3]);
    expect(out).toMatchObject({ read: 3, created: 1, skipped: 2 });
    expect(out.log.filter((e) => e.outcome === 'Needs review').map((e) => [e.row, e.message])).toEqual([
      [2, 'same@example.org is also on row 4 of this tab; fix one, or enter the right iMIS ID in "Signups ID"'],
      [4, 'same@example.org is also on row 2 of this tab; fix one, or enter the right iMIS ID in "Signups ID"'],
    ]);
  });

  it('a row the coordinator gave an ID is matched by that ID, not the shared email', () => {
    const grid: Grid = [
      ['E-mail', 'First', 'Last', 'Signups ID'],
      ['same@example.org', 'A', 'One', '101'],
      ['same@example.org', 'B', 'Two', '102'],
    ];
    const wb = new MemoryWorkbook({ 'Sign-ups': grid });
    const target = fakeTarget((r) => ({ outcome: 'Updated', id: r.knownId, changes: [], message: '' }));
    expect(run(wb, target).updated).toBe(2);
    expect(target.sent().map((r) => r.knownId)).toEqual(['101', '102']);
  });
});

describe('preview and the time budget', () => {
  it('preview matches but writes nothing to the tab', () => {
    const wb = new MemoryWorkbook({ 'Sign-ups': SIGNUPS });
    const target = fakeTarget(() => ({ outcome: 'Would create', changes: [{ field: 'Email', before: '', after: 'x' }], message: '' }));
    const out = run(wb, target, job(), { preview: true });
    expect(out).toMatchObject({ status: 'Preview', created: 3 });
    expect(wb.writes).toBe(0);
    expect(out.log[0]!.outcome).toBe('Would create');
  });

  it('a preview stopped at the time limit says which rows it did not look at, never that they will be sent', () => {
    const grid: Grid = [['E-mail', 'First', 'Last']];
    for (let i = 0; i < 25; i++) grid.push([`p${i}@example.org`, 'P', `${i}`]);
    const wb = new MemoryWorkbook({ 'Sign-ups': grid });
    let batches = 0;
    const out = run(wb, fakeTarget(), job(), { preview: true, shouldStop: () => ++batches >= 1 });
    expect(out).toMatchObject({ status: 'Preview', created: 10 });
    expect(out.message).toContain('the preview stopped at the time limit: 15 rows to send were not looked at (a real run sends every row, carrying on across runs)');
    expect(out.message).not.toContain('will be sent next run');
    expect(wb.writes).toBe(0);
  });

  it('stops between batches at the budget; the rest are sent next run, none twice', () => {
    const grid: Grid = [['E-mail', 'First', 'Last']];
    for (let i = 0; i < 25; i++) grid.push([`p${i}@example.org`, 'P', `${i}`]);
    const wb = new MemoryWorkbook({ 'Sign-ups': grid });
    let batches = 0;
    const first = fakeTarget();
    const out = run(wb, first, job(), { shouldStop: () => ++batches >= 1 });
    expect(out).toMatchObject({ status: 'Partial', created: 10, read: 10 });
    expect(out.message).toContain('stopped at the time budget; 15 rows will be sent next run');
    const second = fakeTarget();
    expect(run(wb, second)).toMatchObject({ status: 'OK', created: 15, unchanged: 10 });
    expect(new Set([...first.sent(), ...second.sent()].map((r) => r.row)).size).toBe(25);
  });
});

describe('the tab changes while the run is sending', () => {
  it('rows sorted or inserted meanwhile get their own status, never another row’s', () => {
    const wb = new MemoryWorkbook({ 'Sign-ups': SIGNUPS });
    const target = fakeTarget((r) => {
      // the coordinator sorts by last name descending and inserts a row at the top
      const tab = wb.tabs.get('Sign-ups')!;
      if (tab[1]![1] === 'Ann@Example.org') {
        const [head, ...body] = tab;
        body.sort((a, b) => String(b[3]).localeCompare(String(a[3])));
        wb.tabs.set('Sign-ups', [head!, ['2026-11-04', 'new@example.org', 'New', 'Row', ''], ...body]);
      }
      return { outcome: 'Created', id: `ID-${String(r.payload.Email)}`, changes: [], message: '' };
    });
    const out = run(wb, target);
    expect(out.created).toBe(3);
    const tab = wb.text('Sign-ups');
    const idOf = (email: string) => tab.find((r) => r[1]!.toLowerCase() === email)![5];
    expect(idOf('ann@example.org')).toBe('ID-ann@example.org');
    expect(idOf('bob@example.org')).toBe('ID-bob@example.org');
    expect(idOf('cy@example.org')).toBe('ID-cy@example.org');
    expect(idOf('new@example.org')).toBe('');
  });

  it('a row edited meanwhile keeps no stale status, and is sent again next run', () => {
    const wb = new MemoryWorkbook({ 'Sign-ups': SIGNUPS });
    const target = fakeTarget((r) => {
      wb.tabs.get('Sign-ups')![2]![2] = 'Robert';
      return { outcome: 'Created', id: `ID${r.row}`, changes: [], message: '' };
    });
    const out = run(wb, target);
    expect(out.message).toContain('1 row moved or changed while the run was sending');
    expect(wb.text('Sign-ups')[2]!.slice(5, 7)).toEqual(['', '']);
    const next = fakeTarget();
    run(wb, next);
    expect(next.sent().map((r) => [r.row, r.payload.FirstName])).toEqual([[3, 'Robert']]);
  });
});

describe('source checks before anything is sent', () => {
  it('names a mapped column missing from the tab, and a missing tab', () => {
    expect(checkPushSource(job({ mappings: [map('Email Address', 'Email', { required: true, row: 7 })] }), SIGNUPS)).toEqual([
      { tab: 'Mappings', row: 7, column: 'Column', message: 'a Required column "Email Address" is not in the tab "Sign-ups"' },
    ]);
    expect(checkPushSource(job(), null)[0]).toMatchObject({ tab: 'Jobs', row: 2, column: 'Source', message: 'job "Signups" reads the tab "Sign-ups", which does not exist' });
  });

  it('refuses a tab where a column the job reads or writes appears twice, naming the tab, the header and both columns', () => {
    const doubled: Grid = [
      ['Timestamp', 'E-mail', 'First', 'Last', 'Signups Status', ' e-mail ', 'Notes', 'Notes', 'SIGNUPS  status', 'Company', 'company'],
      ['2026-11-01', 'ann@example.org', 'Ann', 'Lee', '', 'old@example.org', '', '', '', 'Acme', 'Acme Ltd'],
    ];
    const withToken = job({ constants: [{ field: 'Company', value: 'Works at {{column:Company}}', row: 3 }] });
    expect(checkPushSource(withToken, doubled).map(describeProblem)).toEqual([
      'Sign-ups row 1, E-mail: the header "E-mail" appears twice (columns B and F); keep one',
      'Sign-ups row 1, Signups Status: the header "Signups Status" appears twice (columns E and I); keep one',
      'Sign-ups row 1, Company: the header "Company" appears twice (columns J and K); keep one',
    ]);
  });

  it("leaves doubled columns the job never reads alone (the coordinator's own)", () => {
    const notes: Grid = [[...SIGNUPS[0]!, 'Notes', 'notes'], ...SIGNUPS.slice(1)];
    expect(checkPushSource(job(), notes)).toEqual([]);
  });
});
