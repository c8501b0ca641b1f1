// EveryAction through the whole engine, against the in-process EveryAction simulator: Liberal and
// Conservative pushes with the opt-in rules, VANID write-back and incremental re-runs, rejected
// rows, retries, custom fields, and the changed-people pull with its export job and watermark.

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import type { Grid, Workbook } from '../../src/core/ports';
import type { StoredPerson } from '../../src/simulators/everyaction/people';
import { createConnectors } from '../../src/connectors';
import { runSync } from '../../src/core/engine';
import { secrets, type MemoryWorkbook } from '../helpers/fakes';
import { imisRun, jobRow } from '../helpers/imis-run';

type Run = ReturnType<typeof imisRun>;

function mappings(job: string, rows: [string, string, boolean?, string?][]): Grid {
  return [[...HEADERS.mappings], ...rows.map(([column, field, required, transform]) => [job, column, field, required ?? false, transform ?? ''])];
}

const SIGNERS: Grid = [
  ['Email', 'First', 'Last', 'Mobile', 'Opt in'],
  ['harriet.kowalski@example.com', 'Harriet', 'Kowalski', '907-555-4242', 'TRUE'],
  ['maya.patel@example.org', 'Maya', 'Patel', '907-555-0188', 'TRUE'],
  ['lee.wong@example.org', 'Lee', 'Wong', '907-555-0177', 'FALSE'],
  ['', 'Chris', 'Nobody', '', 'TRUE'],
  ['jordan.blake@example.org', 'Jordan', 'Blake', '', 'Unsubscribed'],
  ['pat.quinn@example.org', 'Pat', 'Quinn', '', ''],
];

function push(mode: string, rows: Grid = SIGNERS, extra: Partial<Parameters<typeof jobRow>[0]> = {}, extraMappings: [string, string, boolean?, string?][] = []) {
  return imisRun([jobRow({ name: 'Signers', action: 'Push', connection: 'EveryAction', source: 'Signers', target: 'People', match: 'Auto', mode, ...extra })], {
    Signers: rows,
    Mappings: mappings('Signers', [
      ['Email', 'Email', false, 'email'],
      ['First', 'FirstName'],
      ['Last', 'LastName'],
      ['Mobile', 'Phone'],
      ['Opt in', 'OptIn'],
      ...extraMappings,
    ]),
  });
}

const col = (wb: MemoryWorkbook, tab: string, header: string) => {
  const t = wb.text(tab);
  const i = t[0]!.indexOf(header);
  return t.slice(1).map((r) => r[i] ?? '');
};
const person = (t: Run, vanId: string | number) => t.ea.person(Number(vanId)) as StoredPerson;
const byEmail = (t: Run, email: string) => (t.ea.people() as StoredPerson[]).filter((p) => p.emails.some((e) => e.email.toLowerCase() === email));
const writes = (t: Run) => t.ea.requests.filter((r) => r.method === 'POST' && /\/people\//.test(r.path));

describe('EveryAction push', () => {
  it('Liberal sends every row that can be matched; 201 creates, 302 matches; VANIDs written back', () => {
    const t = push('Liberal');
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', read: 6, created: 4, updated: 1, skipped: 1, failed: 0 });
    const ids = col(t.workbook, 'Signers', 'Signers ID');
    expect(ids[0]).toBe('100000001');
    expect(ids.filter((id) => /^1000000\d\d$/.test(id))).toHaveLength(5);
    expect(ids[3]).toBe('');
    expect(col(t.workbook, 'Signers', 'Signers Message')[3]).toMatch(/^not enough to match safely/);
    // the name-only row was never sent, so no duplicate "Chris Nobody" exists
    expect((t.ea.people() as StoredPerson[]).filter((p) => p.lastName === 'Nobody')).toEqual([]);
  });

  it('opt-in: TRUE → S and SMS I; FALSE or blank → N and SMS untouched; Unsubscribed → U', () => {
    const t = push('Liberal');
    t.run();
    const ids = col(t.workbook, 'Signers', 'Signers ID');
    const maya = person(t, ids[1]!);
    expect(maya.emails[0]!.subscriptionStatus).toBe('S');
    expect(maya.phones[0]!.phoneOptInStatus).toBe('I');
    const lee = person(t, ids[2]!);
    expect(lee.emails[0]!.subscriptionStatus).toBe('N');
    expect(lee.phones[0]!.phoneOptInStatus).toBe('U');
    expect(person(t, ids[4]!).emails[0]!.subscriptionStatus).toBe('U');
    expect(person(t, ids[5]!).emails[0]!.subscriptionStatus).toBe('N');
  });

  it('Conservative sends only opted-in rows and skips the rest with that reason', () => {
    const t = push('Conservative');
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ read: 6, created: 1, updated: 1, skipped: 4 });
    expect(col(t.workbook, 'Signers', 'Signers Message')[2]).toBe('not opted in (Mode is Conservative: only rows whose OptIn is TRUE are sent)');
    expect(byEmail(t, 'lee.wong@example.org')).toEqual([]);
    expect(writes(t)).toHaveLength(2);
  });

  it('a re-run costs nothing; one edited row costs one request; the VANID is used, not a search', () => {
    const t = push('Liberal');
    t.run();
    const before = t.ea.requests.length;
    expect(t.run().results[0]).toMatchObject({ unchanged: 5, skipped: 1, requests: 0 });
    expect(t.ea.requests.length).toBe(before);
    (t.workbook.tabs.get('Signers')![3]![1] as unknown) = 'Leland';
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ updated: 1, unchanged: 4, requests: 1 });
    const id = col(t.workbook, 'Signers', 'Signers ID')[2];
    expect(t.ea.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /people/${id}`]);
    expect(person(t, id!).firstName).toBe('Leland');
    expect(byEmail(t, 'lee.wong@example.org')).toHaveLength(1);
  });

  it('a VANID EveryAction no longer has (merged away) falls back to findOrCreate', () => {
    const rows: Grid = [
      ['Email', 'First', 'Last', 'Mobile', 'Opt in', 'Signers ID'],
      ['maya.patel@example.org', 'Maya', 'Patel', '', 'TRUE', '99999999'],
    ];
    const t = push('Liberal', rows);
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ created: 1, failed: 0 });
    expect(t.ea.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /people/99999999', 'POST /people/findOrCreate']);
    expect(col(t.workbook, 'Signers', 'Signers ID')).toEqual(['100000041']);
  });

  it('Match VANID updates only rows that carry one', () => {
    const rows: Grid = [
      ['Email', 'First', 'Last', 'Mobile', 'Opt in', 'VAN'],
      ['harriet.kowalski@example.com', 'Hattie', 'Kowalski', '', 'TRUE', '100000001'],
      ['new.one@example.org', 'New', 'One', '', 'TRUE', ''],
    ];
    const t = push('Liberal', rows, { match: 'VANID' }, [['VAN', 'VANID']]);
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ updated: 1, skipped: 1, created: 0 });
    expect(person(t, 100000001).firstName).toBe('Hattie');
    expect(byEmail(t, 'new.one@example.org')).toEqual([]);
  });

  it('a row EveryAction rejects (invalid phone) fails alone with its message; the others are sent', () => {
    const rows: Grid = [
      ['Email', 'First', 'Last', 'Mobile', 'Opt in'],
      ['bad.phone@example.org', 'Bad', 'Phone', '555', 'TRUE'],
      ['good.one@example.org', 'Good', 'One', '907-555-0142', 'TRUE'],
    ];
    const t = push('Liberal', rows);
    const out = t.run();
    expect(out.exitCode).toBe(1);
    expect(out.results[0]).toMatchObject({ status: 'Failed', failed: 1, created: 1 });
    expect(col(t.workbook, 'Signers', 'Signers Message')[0]).toMatch(/^EveryAction refused it: .*phone/i);
    expect(byEmail(t, 'good.one@example.org')).toHaveLength(1);
  });

  it('429 (the wait only in the text) and 500 mid-push: retried, nothing lost or duplicated', () => {
    const t = push('Liberal');
    t.ea.faults.queue({ status: 429, times: 2, pathPrefix: '/people', waitMs: 1200 });
    t.ea.faults.queue({ status: 500, times: 1, pathPrefix: '/people' });
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', created: 4, updated: 1, failed: 0 });
    expect(t.clock.sleeps.some((ms) => ms >= 1200)).toBe(true);
    for (const e of ['maya.patel@example.org', 'lee.wong@example.org', 'jordan.blake@example.org', 'pat.quinn@example.org']) expect(byEmail(t, e)).toHaveLength(1);
  });

  it('custom fields go by id and group; an id EveryAction does not know fails the job before sending', () => {
    const rows: Grid = [
      ['Email', 'First', 'Last', 'Mobile', 'Opt in', 'Helps with'],
      ['maya.patel@example.org', 'Maya', 'Patel', '', 'TRUE', 'Canvassing'],
      ['lee.wong@example.org', 'Lee', 'Wong', '', 'TRUE', 'Juggling'],
    ];
    const t = push('Liberal', rows, {}, [['Helps with', 'CustomField:101']]);
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ created: 1, skipped: 1 });
    expect(col(t.workbook, 'Signers', 'Signers Message')[1]).toBe('CustomField:101: "Juggling" is not one of Phone banking, Canvassing, Event setup, Data entry');
    const maya = person(t, col(t.workbook, 'Signers', 'Signers ID')[0]!);
    expect(JSON.stringify(maya.customFieldValues)).toContain('101');

    const u = push('Liberal', rows, {}, [['Helps with', 'CustomField:999']]);
    const failed = u.run().results[0]!;
    expect(failed.status).toBe('Failed');
    expect(failed.message).toMatch(/^Mappings row 7, Field: EveryAction has no contact custom field 999 \(it has 101 "Volunteer Interest"/);
    expect(writes(u)).toEqual([]);
  });

  it('preview finds and reads people but writes nothing', () => {
    const t = push('Liberal');
    const out = t.run({ preview: true }).results[0]!;
    expect(out).toMatchObject({ status: 'Preview', created: 4, updated: 1 });
    expect(t.ea.requests.filter((r) => r.path.includes('findOrCreate') || /^\/people\/\d+$/.test(r.path) && r.method === 'POST')).toEqual([]);
    const harriet = t.workbook.text('Sync Log').find((r) => r[4] === '100000001')!;
    expect(harriet[5]).toBe('Would update');
  });
});

describe('bad input in a row', () => {
  it('an invalid email or OptIn skips that row with the reason; the others are sent', () => {
    const rows: Grid = [
      ['Email', 'First', 'Last', 'Mobile', 'Opt in'],
      ['not-an-email', 'Bad', 'Email', '', 'TRUE'],
      ['robin.hale@example.org', 'Robin', 'Hale', '', 'maybe'],
      ['fine.row@example.org', 'Fine', 'Row', '', 'TRUE'],
    ];
    const t = push('Liberal', rows);
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', skipped: 2, created: 1 });
    expect(col(t.workbook, 'Signers', 'Signers Message').slice(0, 2)).toEqual(['Email: "not-an-email" is not an email address', 'OptIn: "maybe" is not TRUE, FALSE, blank or Unsubscribed']);
    expect(writes(t)).toHaveLength(1);
  });
});

describe('bad input stops the run before anything is sent', () => {
  it('a missing API key', () => {
    const t = push('Liberal');
    const out = runSync(
      { workbook: t.workbook, store: t.store, http: t.http, clock: t.clock, log: t.log, secrets: secrets({ iMIS: 'x' }), connectors: createConnectors, timeZone: 'UTC' },
      { trigger: 'CLI', jobs: [], preview: false, budgetMs: 60_000 },
    );
    expect(out.exitCode).toBe(2);
    expect(out.results[0]!.message).toContain('Connections row 4, Name: no API key is set for "EveryAction" (set the secret for EveryAction)');
    expect(t.ea.requests).toEqual([]);
  });

  it('an unknown Mode', () => {
    const t = push('Careful');
    const out = t.run();
    expect(out.exitCode).toBe(2);
    expect(out.results[0]!.message).toContain('Jobs row 2, Mode: "Careful" is not a valid Mode for an EveryAction push; use Liberal or Conservative (blank means Liberal)');
    expect(t.ea.requests).toEqual([]);
  });
});

describe('EveryAction changed people', () => {
  const pull = (parameters = '') => imisRun([jobRow({ name: 'Changes', connection: 'EveryAction', source: 'Changed people', target: 'People', match: 'VANID', mode: 'Merge', parameters })]);

  it('exports what changed since the watermark, merges by VANID, moves the watermark only after writing', () => {
    const t = pull();
    const first = t.run().results[0]!;
    expect(first.status).toBe('OK');
    const tab = t.workbook.text('People');
    expect(tab[0]!.slice(0, 3)).toEqual(['VanID', 'FirstName', 'LastName']);
    expect(tab.length - 1).toBe(first.read);
    expect(t.ea.downloads.every((d) => !d.authorization)).toBe(true);
    const mark = t.store.get('everyaction:EveryAction:Changes:watermark');
    expect(mark).toBe('2026-11-23T15:00:00Z');

    // a staff change inside EveryAction shows up next time; the add-on's own writes do not
    t.clock.advance(3_600_000);
    t.ea.touch(100000006, { occupation: 'Organizer, "Weekend"\nshift lead' });
    const second = t.run().results[0]!;
    expect(second).toMatchObject({ status: 'OK', read: 1 });
    const row = t.workbook.text('People').find((r) => r[0] === '100000006')!;
    expect(row[tab[0]!.indexOf('Occupation')]).toBe('Organizer, "Weekend"\nshift lead');
    expect(t.workbook.text('People')).toHaveLength(tab.length + (tab.some((r) => r[0] === '100000006') ? 0 : 1));
  });

  it('the first run starts 48 hours back, or at the date in Parameters, never more than 90 days back', () => {
    const t = pull('2026-01-01');
    const out = t.run().results[0]!;
    expect(out.message).toContain('EveryAction keeps changes for 90 days, so this starts at 2026-08-25T16:00:00Z');
    const u = pull();
    expect(u.run().results[0]!.message).toContain('changes from 2026-11-21T15:00:00Z to 2026-11-23T15:00:00Z');
  });

  it('a failed write of the tab leaves the watermark where it was, so nothing is lost', () => {
    const t = pull();
    const failing: Workbook = {
      read: (tab) => t.workbook.read(tab),
      headerOf: (tab) => t.workbook.headerOf(tab),
      write: (tab, grid) => {
        if (tab === 'People') throw new Error('the spreadsheet went away');
        t.workbook.write(tab, grid);
      },
      writeBlock: (tab, r, c, v) => t.workbook.writeBlock(tab, r, c, v),
    };
    expect(t.run({}, undefined, failing as MemoryWorkbook).results[0]!.status).toBe('Failed');
    expect(t.store.get('everyaction:EveryAction:Changes:watermark')).toBeNull();
    expect(t.run().results[0]!.status).toBe('OK');
  });

  it('an export not ready within the budget leaves the job Partial; the next run polls the same export', () => {
    // EveryAction answers Pending/InProcess three times; the first run's budget runs out first
    const t = imisRun([jobRow({ name: 'Changes', connection: 'EveryAction', source: 'Changed people', target: 'People', match: 'VANID', mode: 'Merge' })], {}, 0, { exportPolls: 3 });
    const out = t.run({ budgetMs: 2_500 }).results[0]!;
    expect(out.status).toBe('Partial');
    expect(out.message).toMatch(/^EveryAction is still preparing the changes since 2026-11-21T15:00:00Z \(export job \d+\)/);
    expect(t.workbook.tabs.has('People')).toBe(false);
    expect(t.store.get('everyaction:EveryAction:Changes:watermark')).toBeNull();
    const second = t.run().results[0]!;
    expect(second.status).toBe('OK');
    expect(t.workbook.tabs.has('People')).toBe(true);
    const exports = t.ea.requests.filter((r) => r.method === 'POST' && r.path === '/changedEntityExportJobs');
    expect(exports).toHaveLength(1);
    const polled = new Set(t.ea.requests.filter((r) => r.method === 'GET' && /^\/changedEntityExportJobs\/\d+$/.test(r.path)).map((r) => r.path));
    expect(polled.size).toBe(1);
  });
});
