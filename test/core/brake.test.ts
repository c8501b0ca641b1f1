// The brake on unusual changes (DESIGN §10.4): a scheduled run holds a pull that would empty much
// of its tab, or a push that would send far more rows than usual, before anything is written or
// sent; a person's run goes ahead; Brake= in Parameters moves or lifts the limit.

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import type { Grid } from '../../src/core/ports';
import { imisRun, jobRow } from '../helpers/imis-run';

const ACTIVE = '$/Sheets Sync Demo/Active Members';
const BY_TYPE = '$/Sheets Sync Demo/Members by Type';
const scheduled = { trigger: 'Hourly' as const, scheduled: true };

/** A Members pull run once by hand (1,234 rows), then `extra` rows the query does not have added to the tab. */
function pulledTab(extra: number, parameters = '', source = ACTIVE) {
  const t = imisRun([jobRow({ name: 'Members', source, target: 'Members', match: 'ID', mode: 'Replace', parameters })]);
  expect(t.run().results[0]!.status).toBe('OK');
  const tab = t.workbook.tabs.get('Members')!;
  for (let i = 0; i < extra; i++) tab.push(tab[1]!.map((c, j) => (j === tab[0]!.indexOf('ID') ? `X${i}` : c)));
  const writes = t.workbook.writesByTab.Members;
  const before = t.workbook.text('Members');
  return { ...t, writes, before };
}

const setParameters = (t: ReturnType<typeof imisRun>, value: string) => (t.workbook.tabs.get('Jobs')![1]![8] = value);

describe('the brake on a scheduled Replace pull', () => {
  it('holds a pull that would remove more than 20 % of the rows, and leaves the tab untouched', () => {
    const t = pulledTab(400); // 400 of 1,634 = 24.5 %
    const out = t.run(scheduled);
    const r = out.results[0]!;
    expect(r.status).toBe('Held');
    expect(r.message).toBe(
      'This pull would remove 400 of 1,634 rows (24 %), more than the brake allows (20 %). Nothing was written. Run the job by hand (Sync now, the sidebar, or sheets-sync run --job "Members") to apply it, or set Brake=30% or Brake=off in Parameters.',
    );
    expect(out.exitCode).toBe(1);
    expect(t.workbook.writesByTab.Members).toBe(t.writes);
    expect(t.workbook.text('Members')).toEqual(t.before);
    const report = t.workbook.text('Sync Report');
    expect(report.at(-1)![report[0]!.indexOf('Status')]).toBe('Held');
    expect(t.workbook.text('Jobs')[1]![11]).toMatch(/^Held: This pull would remove 400 of 1,634 rows/);
  });

  it('holds a pull that would remove every row of the tab', () => {
    const t = pulledTab(0, '', BY_TYPE);
    setParameters(t, 'NO SUCH TYPE');
    const r = t.run(scheduled).results[0]!;
    expect(r.status).toBe('Held');
    expect(r.message).toMatch(/^This pull would remove 1,234 of 1,234 rows \(100 %\)/);
    expect(t.workbook.writesByTab.Members).toBe(t.writes);
  });

  it('lets a pull within 20 % go ahead', () => {
    const t = pulledTab(200); // 200 of 1,434 = 13.9 %
    const r = t.run(scheduled).results[0]!;
    expect(r.status).toBe('OK');
    expect(t.workbook.tabs.get('Members')).toHaveLength(1235);
  });

  it('moves the limit with Brake=30%, lifts it with Brake=off, and sends neither to iMIS as a prompt', () => {
    const t = pulledTab(400);
    setParameters(t, 'Brake=30%');
    expect(t.run(scheduled).results[0]!.status).toBe('OK');
    expect(t.workbook.tabs.get('Members')).toHaveLength(1235);

    // Members by Type has a prompt: a Brake=off sent as its value would match no member at all.
    const u = pulledTab(0, '', BY_TYPE);
    setParameters(u, 'NO SUCH TYPE');
    expect(u.run(scheduled).results[0]!.status).toBe('Held');
    setParameters(u, 'Brake=off');
    const r = u.run(scheduled).results[0]!;
    expect(r.status).toBe('OK');
    expect(r.read).toBe(1234);
    setParameters(u, 'NO SUCH TYPE | Brake=off');
    expect(u.run(scheduled).results[0]!.status).toBe('OK');
    expect(u.workbook.tabs.get('Members')).toHaveLength(1);
  });

  it('never holds a run a person started', () => {
    const t = pulledTab(400);
    const r = t.run({ trigger: 'Manual' }).results[0]!;
    expect(r.status).toBe('OK');
    expect(t.workbook.tabs.get('Members')).toHaveLength(1235);
  });

  it('says in a preview that a scheduled run would be held, with the numbers, and writes nothing', () => {
    const t = pulledTab(400);
    const r = t.run({ trigger: 'Manual', preview: true, jobs: ['Members'] }).results[0]!;
    expect(r.status).toBe('Preview');
    expect(r.message).toContain('a scheduled run would be held: this pull would remove 400 of 1,634 rows (24 %), more than the brake allows (20 %)');
    expect(t.workbook.writesByTab.Members).toBe(t.writes);
  });
});

/** A contact push of a Sign-ups tab of `n` new people. */
function push(n: number, parameters = '') {
  const rows: Grid = Array.from({ length: n }, (_, i) => [`person${i}@example.org`, `First${i}`, `Last${i}`]);
  return imisRun([jobRow({ name: 'Signups', action: 'Push', source: 'Sign-ups', target: 'Contact', parameters })], {
    'Sign-ups': [['E-mail', 'First', 'Last'], ...rows],
    Mappings: [[...HEADERS.mappings], ['Signups', 'E-mail', 'Email', true, 'email'], ['Signups', 'First', 'FirstName', false, ''], ['Signups', 'Last', 'LastName', false, '']],
  });
}

describe('the brake on a scheduled push', () => {
  it('holds a push of more than max(500, half the tab) rows with no request sent and no status written', () => {
    const t = push(501);
    const before = t.workbook.text('Sign-ups');
    const out = t.run(scheduled);
    const r = out.results[0]!;
    expect(r.status).toBe('Held');
    expect(r.message).toBe(
      'This push would send 501 rows of 501 (100 %), more than the brake allows (500 rows, or half the tab\'s rows when that is more). Nothing was sent. Run the job by hand (Sync now, the sidebar, or sheets-sync run --job "Signups") to apply it, or set Brake=100% or Brake=off in Parameters.',
    );
    expect(r.requests).toBe(0);
    expect(t.ems.requests).toHaveLength(0);
    expect(t.workbook.text('Sign-ups')).toEqual(before);
    expect(out.exitCode).toBe(1);
  });

  it('sends a push within the limit', () => {
    const t = push(500);
    const r = t.run(scheduled).results[0]!;
    expect(r.status).toBe('OK');
    expect(r.created).toBe(500);
  });

  it('holds by the percent in Brake=30%, and not at all with Brake=off', () => {
    const t = push(10, 'Brake=30%');
    const r = t.run(scheduled).results[0]!;
    expect(r.status).toBe('Held');
    expect(r.message).toMatch(/^This push would send 10 rows of 10 \(100 %\), more than the brake allows \(30 % of the tab's rows\)/);
    expect(t.ems.requests).toHaveLength(0);

    const u = push(501, 'Brake=off');
    const s = u.run(scheduled).results[0]!;
    expect(s.status).toBe('OK');
    expect(s.created).toBe(501);
  });

  it('never holds a push a person started, and a preview says a scheduled run would be held', () => {
    const t = push(501);
    const p = t.run({ trigger: 'Manual', preview: true, jobs: ['Signups'] }).results[0]!;
    expect(p.status).toBe('Preview');
    expect(p.message).toContain('a scheduled run would be held: this push would send 501 rows of 501 (100 %)');
    const r = t.run({ trigger: 'Manual' }).results[0]!;
    expect(r.status).toBe('OK');
    expect(r.created).toBe(501);
  });

  it('applies when the run asks for it without being scheduled (the CLI with --brake)', () => {
    const t = push(501);
    expect(t.run({ brake: true }).results[0]!.status).toBe('Held');
  });
});

describe('a bad Brake= value', () => {
  it.each(['Brake=lots', 'Brake=150%', 'Brake=20% | Brake=off'])('refuses %s as a setup problem on the Jobs row, before any request', (value) => {
    const t = push(3, value);
    const out = t.run(scheduled);
    expect(out.exitCode).toBe(2);
    expect(out.problems.map((p) => `${p.tab} ${p.row} ${p.column}`)).toEqual(['Jobs 2 Parameters']);
    expect(out.problems[0]!.message).toMatch(/Brake=50%\), or Brake=off$/);
    expect(t.ems.requests).toHaveLength(0);
  });
});
