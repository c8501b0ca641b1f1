// Push jobs into iMIS through the whole engine, against the in-process iMIS simulator: every
// match method, full-object updates, panels of both kinds, incremental re-runs, preview,
// rejected rows, retries, and no duplicate after a run that died half way.

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import type { Grid, Workbook } from '../../src/core/ports';
import { imisRun, jobRow } from '../helpers/imis-run';
import type { MemoryWorkbook } from '../helpers/fakes';

type Sim = ReturnType<typeof imisRun>['ems'];

const emailOf = (sim: Sim, id: string): string => {
  const emails = (sim.party(id)!.Emails as { $values: { Address: string }[] }).$values;
  return emails[0]!.Address;
};
const personName = (sim: Sim, id: string) => sim.party(id)!.PersonName as Record<string, unknown>;
const withEmail = (sim: Sim, email: string) => sim.parties().filter((p) => JSON.stringify(p.Emails ?? '').toLowerCase().includes(email.toLowerCase()));
const writes = (sim: Sim) => sim.requests.filter((r) => r.method === 'POST' || r.method === 'PUT').filter((r) => !r.path.toLowerCase().startsWith('/token'));

function mappings(job: string, rows: [string, string, boolean?, string?][]): Grid {
  return [[...HEADERS.mappings], ...rows.map(([column, field, required, transform]) => [job, column, field, required ?? false, transform ?? ''])];
}

/** A contact push of a Sign-ups tab: E-mail → Email, First → FirstName, Last → LastName, Phone → Phone. */
function contactPush(rows: Grid, job: { match?: string; mode?: string } = {}, extraTabs: Record<string, Grid> = {}) {
  return imisRun([jobRow({ name: 'Signups', action: 'Push', source: 'Sign-ups', target: 'Contact', ...job })], {
    'Sign-ups': [['E-mail', 'First', 'Last', 'Phone'], ...rows],
    Mappings: mappings('Signups', [
      ['E-mail', 'Email', true, 'email'],
      ['First', 'FirstName'],
      ['Last', 'LastName'],
      ['Phone', 'Phone'],
    ]),
    ...extraTabs,
  });
}

const col = (wb: MemoryWorkbook, tab: string, header: string) => {
  const t = wb.text(tab);
  const i = t[0]!.indexOf(header);
  return t.slice(1).map((r) => r[i] ?? '');
};

describe('contacts: matching', () => {
  it('Email: one match updates, none creates and learns the new iMIS ID, several is Needs review', () => {
    const probe = imisRun([]);
    const member = emailOf(probe.ems, '10001');
    const t = contactPush([
      [member, 'Patty', '', ''],
      ['new.person@example.org', 'New', 'Person', '555-0100'],
      ['shared.household@example.org', 'Sam', 'Household', ''],
    ]);
    const out = t.run();
    expect(out.results[0]).toMatchObject({ status: 'OK', read: 3, created: 1, updated: 1, skipped: 1, failed: 0 });
    expect(personName(t.ems, '10001').FirstName).toBe('Patty');
    const created = withEmail(t.ems, 'new.person@example.org');
    expect(created).toHaveLength(1);
    expect(created[0]!.PersonName).toMatchObject({ FirstName: 'New', LastName: 'Person' });
    const ids = col(t.workbook, 'Sign-ups', 'Signups ID');
    expect(ids).toEqual(['10001', String(created[0]!.Id), '']);
    expect(col(t.workbook, 'Sign-ups', 'Signups Status')).toEqual(['Updated', 'Created', 'Needs review']);
    const review = t.workbook.text('Sync Log').find((r) => r[5] === 'Needs review')!;
    expect(review[7]).toContain('iMIS IDs 9001, 9002');
    expect(withEmail(t.ems, 'shared.household@example.org')).toHaveLength(2);
  });

  it('Email+Name tells apart two contacts that share an email', () => {
    const probe = imisRun([]);
    const email = emailOf(probe.ems, '10002');
    const last = String(personName(probe.ems, '10002').LastName);
    const byEmail = contactPush([[email, 'Morgan', last, '555-0199']]);
    expect(byEmail.run().results[0]).toMatchObject({ skipped: 1, updated: 0 });
    const byName = contactPush([[email, 'Morgan', last, '555-0199']], { match: 'Email+Name' });
    expect(byName.run().results[0]).toMatchObject({ updated: 1, skipped: 0 });
    expect(col(byName.workbook, 'Sign-ups', 'Signups ID')).toEqual(['9003']);
    expect(JSON.stringify(byName.ems.party('9003')!.Phones)).toContain('555-0199');
  });

  it('ID: matched by the iMIS ID column; an unknown ID is skipped, never created', () => {
    const t = imisRun([jobRow({ name: 'ByID', action: 'Push', source: 'People', target: 'Contact', match: 'ID' })], {
      People: [
        ['iMIS ID', 'Title'],
        ['10004', 'Treasurer'],
        ['77777', 'Ghost'],
      ],
      Mappings: mappings('ByID', [
        ['iMIS ID', 'ID', true],
        ['Title', 'Title'],
      ]),
    });
    const count = t.ems.parties().length;
    const out = t.run();
    expect(out.results[0]).toMatchObject({ updated: 1, skipped: 1, created: 0 });
    expect(JSON.stringify(t.ems.party('10004')!.PrimaryOrganization)).toContain('Treasurer');
    expect(t.ems.parties()).toHaveLength(count);
    expect(t.workbook.text('Sync Log').find((r) => r[5] === 'Skipped')![7]).toBe('iMIS has no contact with iMIS ID 77777');
  });

  it('Update only never creates; Create only never updates', () => {
    const probe = imisRun([]);
    const member = emailOf(probe.ems, '10003');
    const upd = contactPush([['brand.new@example.org', 'B', 'N', '']], { mode: 'Update only' });
    expect(upd.run().results[0]).toMatchObject({ skipped: 1, created: 0 });
    expect(withEmail(upd.ems, 'brand.new@example.org')).toHaveLength(0);
    const cre = contactPush([[member, 'Changed', 'Name', '']], { mode: 'Create only' });
    expect(cre.run().results[0]).toMatchObject({ skipped: 1, updated: 0 });
    expect(personName(cre.ems, '10003').FirstName).not.toBe('Changed');
    expect(col(cre.workbook, 'Sign-ups', 'Signups Message')).toEqual(['already in iMIS as iMIS ID 10003 (Mode is Create only)']);
  });
});

describe('contacts: updates keep what the sheet does not map', () => {
  it('reads the whole party, changes only mapped fields, and PUTs it all back', () => {
    const probe = imisRun([]);
    const before = probe.ems.party('10005')!;
    const t = contactPush([[emailOf(probe.ems, '10005'), 'Renamed', '', '']]);
    t.run();
    const after = t.ems.party('10005')!;
    const strip = (p: Record<string, unknown>) => {
      // iMIS itself recomputes the display name and sort name from the person's name.
      const { PersonName: _n, UpdateInformation: _u, Name: _m, Sort: _s, ...rest } = p;
      return rest;
    };
    expect(strip(after)).toEqual(strip(before));
    const name = after.PersonName as Record<string, unknown>;
    expect(name.FirstName).toBe('Renamed');
    expect(name.LastName).toBe((before.PersonName as Record<string, unknown>).LastName);
  });
});

describe('contacts: incremental runs', () => {
  it('costs nothing when nothing changed, and one read + one write for one edited row', () => {
    const t = contactPush([
      ['a1@example.org', 'A', 'One', ''],
      ['a2@example.org', 'A', 'Two', ''],
      ['a3@example.org', 'A', 'Three', ''],
    ]);
    const first = t.run().results[0]!;
    expect(first).toMatchObject({ created: 3, requests: 1 + 3 * 2 }); // token + (search + create) per new row
    const sent = t.ems.requests.length;
    const second = t.run().results[0]!;
    expect(second).toMatchObject({ status: 'OK', unchanged: 3, requests: 0 });
    expect(t.ems.requests.length).toBe(sent);

    (t.workbook.tabs.get('Sign-ups')![2]![1] as unknown) = 'Alex';
    const third = t.run().results[0]!;
    expect(third).toMatchObject({ updated: 1, unchanged: 2, requests: 3 }); // token + GET + PUT
    expect(t.ems.requests.slice(sent).map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(['POST /token', `GET /api/Party/${col(t.workbook, 'Sign-ups', 'Signups ID')[1]}`, `PUT /api/Party/${col(t.workbook, 'Sign-ups', 'Signups ID')[1]}`]);
    expect(withEmail(t.ems, 'a2@example.org')).toHaveLength(1);
  });

  it('preview does the reads and matches, logs the changes, and writes nothing anywhere', () => {
    const probe = imisRun([]);
    const t = contactPush([
      [emailOf(probe.ems, '10001'), 'Patty', '', ''],
      ['someone.new@example.org', 'Some', 'One', ''],
    ]);
    const out = t.run({ preview: true });
    expect(out.results[0]).toMatchObject({ status: 'Preview', created: 1, updated: 1 });
    expect(writes(t.ems)).toEqual([]);
    expect(t.workbook.text('Sign-ups')[0]).toEqual(['E-mail', 'First', 'Last', 'Phone']);
    const log = t.workbook.text('Sync Log').slice(1);
    expect(log.map((r) => r[5])).toEqual(['Would update', 'Would create']);
    expect(log[0]![6]).toMatch(/^FirstName: .+ → Patty$/);
  });
});

describe('contacts: failures', () => {
  it('a row iMIS rejects fails alone with iMIS’s own message, and is sent again next run', () => {
    const t = contactPush([
      ['b1@example.org', 'B', 'One', ''],
      ['b2@example.org', 'B', 'Two', ''],
    ]);
    t.ems.rejectNext('/api/Party', "'Two' is not an acceptable last name.");
    const out = t.run();
    expect(out.exitCode).toBe(1);
    expect(out.results[0]).toMatchObject({ status: 'Failed', created: 1, failed: 1 });
    expect(out.results[0]!.message).toMatch(/^1 of 2 rows failed; see Sync Log/);
    // the simulator refuses the first write it sees: row 2's
    expect(col(t.workbook, 'Sign-ups', 'Signups Message')).toEqual(["iMIS refused it: 'Two' is not an acceptable last name.", '']);
    const again = t.run().results[0]!;
    expect(again).toMatchObject({ status: 'OK', created: 1, unchanged: 1 });
    expect(withEmail(t.ems, 'b1@example.org')).toHaveLength(1);
  });

  it('429, 500 and an expired token in the middle of a push are retried; nothing lost or doubled', () => {
    const t = contactPush([
      ['c1@example.org', 'C', 'One', ''],
      ['c2@example.org', 'C', 'Two', ''],
      ['c3@example.org', 'C', 'Three', ''],
    ]);
    t.ems.faults.queue({ status: 429, times: 1, pathPrefix: '/api/Party', retryAfterSeconds: 1 });
    t.ems.faults.queue({ status: 500, times: 2, pathPrefix: '/api/Party' });
    t.ems.faults.queue({ status: 401, times: 1, pathPrefix: '/api/Party' });
    const out = t.run();
    expect(out.results[0]).toMatchObject({ status: 'OK', created: 3, failed: 0 });
    for (const e of ['c1', 'c2', 'c3']) expect(withEmail(t.ems, `${e}@example.org`)).toHaveLength(1);
  });

  it('a run that died after creating contacts but before writing the tab creates no duplicate next time', () => {
    const t = contactPush([
      ['d1@example.org', 'D', 'One', ''],
      ['d2@example.org', 'D', 'Two', ''],
    ]);
    const crashing: Workbook = {
      read: (tab) => t.workbook.read(tab),
      headerOf: (tab) => t.workbook.headerOf(tab),
      write: (tab, grid) => t.workbook.write(tab, grid),
      writeBlock: () => {
        throw new Error('the spreadsheet went away');
      },
    };
    expect(() => t.run({}, undefined, crashing as MemoryWorkbook)).toThrow('the spreadsheet went away');
    expect(withEmail(t.ems, 'd1@example.org')).toHaveLength(1);
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', failed: 0, created: 0 });
    expect(out.updated + out.unchanged).toBe(2);
    expect(withEmail(t.ems, 'd1@example.org')).toHaveLength(1);
    expect(withEmail(t.ems, 'd2@example.org')).toHaveLength(1);
  });
});

describe('panels', () => {
  it('a panel iMIS does not have yet: the job says how to create it in Panel Designer, with the mapped fields as its properties', () => {
    const t = imisRun([jobRow({ name: 'Mentors', action: 'Push', source: 'Mentors', target: 'Demo_Mentor', match: 'Email' })], {
      Mentors: [
        ['Email', 'Subject', 'Hours'],
        ['sam.rivera@example.org', 'Budgeting', '4'],
      ],
      Mappings: mappings('Mentors', [
        ['Email', 'Email', true],
        ['Subject', 'Subject'],
        ['Hours', 'HoursPerMonth'],
      ]),
    });
    const out = t.run();
    expect(out.results[0]).toMatchObject({ status: 'Failed', code: 'config' });
    expect(out.results[0]!.message).toContain('iMIS has no panel (business object) named "Demo_Mentor". If it is new, create it in iMIS first: RiSE > Panel Designer > Add new panel');
    expect(out.results[0]!.message).toContain('and these properties (the job\'s mapped fields): Subject, HoursPerMonth;');
    expect(t.ems.requests.filter((r) => r.method !== 'GET' && !r.path.includes('token'))).toEqual([]);
  });

  it('single-instance: PUT over the existing row keeping unmapped properties, POST when the contact has none', () => {
    const t = imisRun([jobRow({ name: 'Volunteers', action: 'Push', source: 'Volunteers', target: 'Demo_Volunteer', match: 'ID' })], {
      Volunteers: [
        ['iMIS ID', 'Hours', 'Active'],
        ['10001', '25', 'TRUE'],
        ['10002', '3', 'no'],
      ],
      Mappings: mappings('Volunteers', [
        ['iMIS ID', 'ID', true],
        ['Hours', 'HoursPledged'],
        ['Active', 'Active', false, 'boolean'],
      ]),
    });
    const out = t.run();
    expect(out.results[0]).toMatchObject({ status: 'OK', updated: 1, created: 1 });
    const rows = t.ems.panelRows('Demo_Volunteer');
    expect(rows.find((r) => r.ID === '10001')).toMatchObject({ HoursPledged: 25, Active: true, Skills: 'Event setup; registration desk', Notes: 'Prefers weekend shifts' });
    expect(rows.find((r) => r.ID === '10002')).toMatchObject({ HoursPledged: 3, Active: false });
    expect(t.run().results[0]).toMatchObject({ unchanged: 2, requests: 0 });
  });

  it('multi-instance: matched on the Key field, new rows get their real Ordinal (not the 0 iMIS answers)', () => {
    const t = imisRun([jobRow({ name: 'Certs', action: 'Push', source: 'Certs', target: 'Demo_Certifications', match: 'ID', parameters: 'Key=CertCode' })], {
      Certs: [
        ['Member', 'Code', 'Credits'],
        ['10001', 'CPR', '6'],
        ['10001', 'FIRE', '1.5'],
      ],
      Mappings: mappings('Certs', [
        ['Member', 'ID', true],
        ['Code', 'CertCode', true],
        ['Credits', 'Credits', false, 'number'],
      ]),
    });
    const out = t.run();
    expect(out.results[0]).toMatchObject({ status: 'OK', updated: 1, created: 1 });
    const mine = t.ems.panelRows('Demo_Certifications').filter((r) => r.ID === '10001');
    expect(mine.map((r) => [r.Ordinal, r.CertCode, r.Credits])).toEqual([
      [1, 'CPR', 6],
      [2, 'SAFE', 8],
      [3, 'FIRE', 1.5],
    ]);
    expect(mine[0]!.Title).toBe('CPR and First Aid');
    expect(col(t.workbook, 'Certs', 'Certs ID')).toEqual(['10001|1', '10001|3']);
    (t.workbook.tabs.get('Certs')![2]![2] as unknown) = '2';
    // token + the panel's definition (once a run, when anything is sent) + GET ~10001|3 + PUT
    expect(t.run().results[0]).toMatchObject({ updated: 1, unchanged: 1, requests: 4 });
    expect(t.ems.panelRows('Demo_Certifications').filter((r) => r.ID === '10001')).toHaveLength(3);
  });

  it('finds the contact by email first when the job matches on Email', () => {
    const probe = imisRun([]);
    const t = imisRun([jobRow({ name: 'Vol', action: 'Push', source: 'Vol', target: 'Demo_Volunteer', match: 'Email' })], {
      Vol: [
        ['Email', 'Skills'],
        [emailOf(probe.ems, '10003'), 'Mentoring; coaching'],
      ],
      Mappings: mappings('Vol', [
        ['Email', 'Email', true],
        ['Skills', 'Skills'],
      ]),
    });
    expect(t.run().results[0]).toMatchObject({ status: 'OK', updated: 1 });
    expect(t.ems.panelRows('Demo_Volunteer').find((r) => r.ID === '10003')!.Skills).toBe('Mentoring; coaching');
  });

  it('a value of the wrong type is skipped with the reason; an unknown field fails the job before any write', () => {
    const make = (field: string) =>
      imisRun([jobRow({ name: 'Vol', action: 'Push', source: 'Vol', target: 'Demo_Volunteer', match: 'ID' })], {
        Vol: [
          ['ID', 'Hours'],
          ['10001', 'lots'],
          ['10003', '7'],
        ],
        Mappings: mappings('Vol', [
          ['ID', 'ID', true],
          ['Hours', field],
        ]),
      });
    const t = make('HoursPledged');
    expect(t.run().results[0]).toMatchObject({ skipped: 1, updated: 1 });
    expect(t.workbook.text('Sync Log').find((r) => r[5] === 'Skipped')![7]).toBe('HoursPledged: "lots" is not a whole number');
    const u = make('Hourz');
    const out = u.run().results[0]!;
    expect(out.status).toBe('Failed');
    expect(out.message).toContain('Demo_Volunteer has no field "Hourz"; its fields are Skills, HoursPledged, Active, StartDate, Notes.');
    expect(writes(u.ems)).toEqual([]);
  });
});

describe('bad input stops the run before anything is sent', () => {
  it('a mapping to a column the tab does not have', () => {
    const t = contactPush([['x@example.org', 'X', 'Y', '']], {}, { Mappings: mappings('Signups', [['Email Address', 'Email', true]]) });
    const out = t.run();
    expect(out.exitCode).toBe(2);
    expect(out.results[0]!.message).toContain('Mappings row 2, Column: a Required column "Email Address" is not in the tab "Sign-ups"');
    expect(t.ems.requests).toEqual([]);
  });
});
