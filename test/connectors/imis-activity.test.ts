// Pushing rows into iMIS activities (Target = Activity) through the whole engine, against the
// in-process iMIS simulator: one activity per row for the contact found by Email, Email+Name or
// ID, SEQNs kept in "<Job> ID", edits as GET + whole PUT, no second activity on any re-run,
// iMIS's own words for rows it refuses, preview, Modes, and the body ASI documents.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConnectors } from '../../src/connectors';
import { TARGET_CATALOGUES } from '../../src/connectors/catalogues';
import { fieldChoices } from '../../src/connectors/pickers';
import { budgetFrom } from '../../src/core/budget';
import { HEADERS, type PushJob } from '../../src/core/config/types';
import { runSync } from '../../src/core/engine';
import type { Grid } from '../../src/core/ports';
import { DEMO_CONTACTS, ImisSimulator } from '../../src/simulators/imis';
import { inProcessHttp } from '../../src/simulators/router';
import { FakeClock, memoryLog, MemoryStore, MemoryWorkbook, secrets } from '../helpers/fakes';
import { CONNECTIONS, imisRun, jobRow } from '../helpers/imis-run';

type Sim = ReturnType<typeof imisRun>['ems'];

const probe = imisRun([]).ems;
const emailOf = (id: string): string => (probe.party(id)!.Emails as { $values: { Address: string }[] }).$values[0]!.Address;

const mappings = (job: string, rows: [string, string, boolean?, string?][]): Grid => [[...HEADERS.mappings], ...rows.map(([column, field, required, transform]) => [job, column, field, required ?? false, transform ?? ''])];
const constants = (job: string, rows: [string, string][]): Grid => [[...HEADERS.constants], ...rows.map(([field, value]) => [job, field, value])];

/** An attendance push: Email → Email, Event → DESCRIPTION, Date → TRANSACTION_DATE, ACTIVITY_TYPE = EVENT. */
function attendance(rows: Grid, job: { match?: string; mode?: string } = {}, tabs: Record<string, Grid> = {}) {
  return imisRun([jobRow({ name: 'Attendance', action: 'Push', source: 'Attendance', target: 'Activity', ...job })], {
    Attendance: [['Email', 'Event', 'Date'], ...rows],
    Mappings: mappings('Attendance', [
      ['Email', 'Email', true, 'email'],
      ['Event', 'DESCRIPTION'],
      ['Date', 'TRANSACTION_DATE'],
    ]),
    Constants: constants('Attendance', [['ACTIVITY_TYPE', 'EVENT']]),
    ...tabs,
  });
}

const col = (t: { workbook: MemoryWorkbook }, tab: string, header: string) => {
  const grid = t.workbook.text(tab);
  const i = grid[0]!.indexOf(header);
  return grid.slice(1).map((r) => r[i] ?? '');
};
const requests = (sim: Sim, from = 0) => sim.requests.slice(from).map((r) => `${r.method} ${r.path.split('?')[0]}`);
const created = (sim: Sim) => sim.activities().filter((a) => Number(a.SEQN) > 5);
const logRow = (t: { workbook: MemoryWorkbook }, row: number) => t.workbook.text('Sync Log').find((r) => r[3] === String(row))!;

describe('Activity: adding one activity per row', () => {
  it('adds an activity for each matched row, keeps its SEQN, skips a row no contact has, and creates no contact', () => {
    const t = attendance([
      [emailOf('10001'), 'Autumn Gala', '2026-11-02'],
      [emailOf('10003'), 'Autumn Gala', '2026-11-02'],
      [emailOf('10001'), 'AGM', '2026-11-20'],
      ['nobody.here@example.org', 'Autumn Gala', '2026-11-02'],
    ]);
    const contacts = t.ems.parties().length;
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', read: 4, created: 3, skipped: 1, failed: 0 });
    const added = created(t.ems);
    expect(added.map((a) => [a.PartyId, a.ACTIVITY_TYPE, a.DESCRIPTION, a.TRANSACTION_DATE])).toEqual([
      ['10001', 'EVENT', 'Autumn Gala', '2026-11-02T00:00:00'],
      ['10003', 'EVENT', 'Autumn Gala', '2026-11-02T00:00:00'],
      ['10001', 'EVENT', 'AGM', '2026-11-20T00:00:00'],
    ]);
    expect(col(t, 'Attendance', 'Attendance ID')).toEqual([...added.map((a) => String(a.SEQN)), '']);
    expect(col(t, 'Attendance', 'Attendance Status')).toEqual(['Created', 'Created', 'Created', 'Skipped']);
    expect(col(t, 'Attendance', 'Attendance Message')[3]).toBe('no iMIS contact with this email; the activity is added once the contact is in iMIS');
    expect(t.ems.parties()).toHaveLength(contacts);
    // Sign-in, the definition, one search per person (10001 twice, searched once), one POST per activity.
    expect(requests(t.ems)).toEqual(['POST /token', 'GET /api/BoEntityDefinition/Activity', 'GET /api/Party', 'GET /api/Party', 'GET /api/Party', 'POST /api/Activity', 'POST /api/Activity', 'POST /api/Activity']);
    expect(logRow(t, 2)[6]).toBe('DESCRIPTION: (blank) → Autumn Gala; TRANSACTION_DATE: (blank) → 2026-11-02T00:00:00; ACTIVITY_TYPE: (blank) → EVENT');
    expect(logRow(t, 2)[7]).toBe('for iMIS ID 10001');
  });

  it('a re-run adds nothing: unchanged rows cost no request, only the unmatched row is looked up again', () => {
    const t = attendance([
      [emailOf('10001'), 'Autumn Gala', '2026-11-02'],
      ['nobody.here@example.org', 'Autumn Gala', '2026-11-02'],
    ]);
    t.run();
    const before = t.ems.requests.length;
    const again = t.run().results[0]!;
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1, skipped: 1 });
    expect(requests(t.ems, before)).toEqual(['POST /token', 'GET /api/BoEntityDefinition/Activity', 'GET /api/Party']);
    expect(created(t.ems)).toHaveLength(1);

    const matchedOnly = attendance([[emailOf('10001'), 'Autumn Gala', '2026-11-02']]);
    matchedOnly.run();
    expect(matchedOnly.run().results[0]).toMatchObject({ unchanged: 1, requests: 0 });
  });

  it('an edited row is read and written back whole (GET + PUT), keeping what the sheet does not map', () => {
    // SEQN 1 is a seeded activity of 10001 with an AMOUNT and PRODUCT_CODE the sheet does not map.
    const t = attendance([[emailOf('10001'), 'Spring Conference 2024 (keynote)', '2024-03-14']], {}, {});
    t.workbook.tabs.get('Attendance')![0]!.push('Attendance ID');
    t.workbook.tabs.get('Attendance')![1]!.push('1');
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', updated: 1, created: 0 });
    // Sign-in, the definition, GET the activity, PUT it back: no contact search, no POST.
    expect(requests(t.ems)).toEqual(['POST /token', 'GET /api/BoEntityDefinition/Activity', 'GET /api/Activity/1', 'PUT /api/Activity/1']);
    expect(t.ems.activity(1)).toMatchObject({ PartyId: '10001', ACTIVITY_TYPE: 'EVENT', DESCRIPTION: 'Spring Conference 2024 (keynote)', AMOUNT: 250, PRODUCT_CODE: 'SPRING24', ACTIVITY_DATE: '2024-04-20T00:00:00' });
    expect(logRow(t, 2)[6]).toBe('DESCRIPTION: Spring Conference 2024 → Spring Conference 2024 (keynote)');
    expect(created(t.ems)).toEqual([]);
  });

  it('after an edit of a row it added, the same activity is updated, never a second one', () => {
    const t = attendance([[emailOf('10004'), 'Autumn Gala', '2026-11-02']]);
    t.run();
    const [first] = created(t.ems);
    (t.workbook.tabs.get('Attendance')![1]![1] as unknown) = 'Autumn Gala (dinner)';
    const before = t.ems.requests.length;
    expect(t.run().results[0]).toMatchObject({ updated: 1, created: 0, requests: 4 });
    expect(requests(t.ems, before)).toEqual(['POST /token', 'GET /api/BoEntityDefinition/Activity', `GET /api/Activity/${first!.SEQN}`, `PUT /api/Activity/${first!.SEQN}`]);
    expect(created(t.ems)).toEqual([{ ...first, DESCRIPTION: 'Autumn Gala (dinner)' }]);
  });

  it('a SEQN iMIS no longer has fails the row with the way on, and adds nothing', () => {
    const t = attendance([[emailOf('10001'), 'Autumn Gala', '2026-11-02']]);
    t.workbook.tabs.get('Attendance')![0]!.push('Attendance ID');
    t.workbook.tabs.get('Attendance')![1]!.push('4242');
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'Failed', failed: 1, created: 0 });
    expect(col(t, 'Attendance', 'Attendance Message')).toEqual(['iMIS has no activity 4242 (deleted, or not this activity\'s SEQN), so nothing was sent; to add it again, clear "Attendance ID" on this row']);
    expect(col(t, 'Attendance', 'Attendance ID')).toEqual(['4242']);
    expect(t.ems.requests.some((r) => r.method === 'POST' && r.path.startsWith('/api/'))).toBe(false);
    // Failed rows are tried again, and fail again the same way: still no POST.
    t.run();
    expect(t.ems.requests.some((r) => r.method === 'POST' && r.path.startsWith('/api/'))).toBe(false);
    expect(created(t.ems)).toEqual([]);
  });

  it('"<Job> ID" holding something that is not a SEQN is skipped before any request for that row', () => {
    const t = attendance([[emailOf('10001'), 'Autumn Gala', '2026-11-02']]);
    t.workbook.tabs.get('Attendance')![0]!.push('Attendance ID');
    t.workbook.tabs.get('Attendance')![1]!.push('10001|2');
    expect(t.run().results[0]).toMatchObject({ skipped: 1, created: 0 });
    expect(col(t, 'Attendance', 'Attendance Message')[0]).toContain('"Attendance ID" holds "10001|2", which is not an activity\'s SEQN (a number)');
    expect(created(t.ems)).toEqual([]);
  });
});

describe('Activity: bad input fails that row alone, in iMIS\'s words', () => {
  it('an unknown activity type and a missing one fail their rows; the others are added', () => {
    const t = imisRun([jobRow({ name: 'Gifts', action: 'Push', source: 'Gifts', target: 'Activity', match: 'ID' })], {
      Gifts: [
        ['iMIS ID', 'Type', 'Amount'],
        ['10001', 'GIFT', '25'],
        ['10002', 'RAFFLE', '10'],
        ['10003', '', '5'],
        ['10004', 'gift', '12.50'],
      ],
      Mappings: mappings('Gifts', [
        ['iMIS ID', 'ID', true],
        ['Type', 'ACTIVITY_TYPE'],
        ['Amount', 'AMOUNT'],
      ]),
    });
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'Failed', created: 2, failed: 2 });
    expect(out.message).toContain('2 of 4 rows failed; see Sync Log');
    expect(col(t, 'Gifts', 'Gifts Status')).toEqual(['Created', 'Failed', 'Failed', 'Created']);
    const messages = col(t, 'Gifts', 'Gifts Message');
    expect(messages[1]).toBe("iMIS refused it: 'RAFFLE' is not a valid ACTIVITY_TYPE. Valid types are DUES, EVENT, GIFT, MEETING, ONLINEAPP, PETITION, VOLUNTEER.");
    expect(messages[2]).toBe('iMIS refused it: ACTIVITY_TYPE is required.');
    expect(created(t.ems).map((a) => [a.PartyId, a.ACTIVITY_TYPE, a.AMOUNT])).toEqual([
      ['10001', 'GIFT', 25],
      ['10004', 'GIFT', 12.5],
    ]);
    // Fixing the type sends that row alone; nothing is added twice.
    (t.workbook.tabs.get('Gifts')![2]![1] as unknown) = 'GIFT';
    expect(t.run().results[0]).toMatchObject({ created: 1, unchanged: 2, failed: 1 });
    expect(created(t.ems)).toHaveLength(3);
  });

  it('a date iMIS refuses fails that row with its message; a date that could be read two ways is skipped before sending', () => {
    const t = attendance([
      [emailOf('10001'), 'Founders Dinner', '1700-01-01'],
      [emailOf('10002'), 'Autumn Gala', '03/04/2026'],
    ]);
    // The simulator takes any real date; a real site's SQL datetime stops before 1753.
    t.ems.rejectNext('/api/Activity', "'1700-01-01T00:00:00' is not a valid value for TRANSACTION_DATE (Date).");
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'Failed', failed: 1, skipped: 1, created: 0 });
    expect(col(t, 'Attendance', 'Attendance Message')).toEqual([
      "iMIS refused it: '1700-01-01T00:00:00' is not a valid value for TRANSACTION_DATE (Date).",
      'TRANSACTION_DATE: "03/04/2026" could be read as day/month or month/day; write it as yyyy-mm-dd',
    ]);
    expect(created(t.ems)).toEqual([]);
  });
});

describe('Activity: finding the contact', () => {
  it('several contacts with the email: Needs review, with advice that fits activities; nothing added', () => {
    const t = attendance([[DEMO_CONTACTS.sharedEmail, 'Autumn Gala', '2026-11-02']]);
    expect(t.run().results[0]).toMatchObject({ skipped: 1, created: 0 });
    expect(col(t, 'Attendance', 'Attendance Status')).toEqual(['Needs review']);
    expect(col(t, 'Attendance', 'Attendance Message')[0]).toBe('2 contacts in iMIS match (iMIS IDs 9001, 9002); merge the duplicates in iMIS, or set Match to ID and map a column holding the right iMIS ID');
    expect(created(t.ems)).toEqual([]);
  });

  it('Email+Name tells apart two contacts sharing an email', () => {
    const twin = probe.party(DEMO_CONTACTS.twinId)!.PersonName as { LastName: string };
    const t = imisRun([jobRow({ name: 'Att', action: 'Push', source: 'Att', target: 'Activity', match: 'Email+Name' })], {
      Att: [
        ['Email', 'First', 'Last'],
        [emailOf(DEMO_CONTACTS.twinOf), DEMO_CONTACTS.twinFirstName, twin.LastName],
      ],
      Mappings: mappings('Att', [
        ['Email', 'Email', true],
        ['First', 'FirstName'],
        ['Last', 'LastName'],
      ]),
      Constants: constants('Att', [['ACTIVITY_TYPE', 'MEETING']]),
    });
    expect(t.run().results[0]).toMatchObject({ created: 1 });
    expect(created(t.ems).map((a) => a.PartyId)).toEqual([DEMO_CONTACTS.twinId]);
  });

  it('Match ID: an unknown iMIS ID is skipped, never created; a row whose activity belongs to someone else needs review', () => {
    const t = imisRun([jobRow({ name: 'Vol', action: 'Push', source: 'Vol', target: 'Activity', match: 'ID' })], {
      Vol: [
        ['iMIS ID', 'What', 'Vol ID'],
        ['77777', 'Stuffing envelopes', ''],
        ['10002', 'Registration desk (afternoon)', '2'],
      ],
      Mappings: mappings('Vol', [
        ['iMIS ID', 'ID', true],
        ['What', 'DESCRIPTION'],
      ]),
      Constants: constants('Vol', [['ACTIVITY_TYPE', 'VOLUNTEER']]),
    });
    const contacts = t.ems.parties().length;
    expect(t.run().results[0]).toMatchObject({ skipped: 2, created: 0, updated: 0 });
    expect(col(t, 'Vol', 'Vol Message')).toEqual([
      'iMIS has no contact with iMIS ID 77777',
      'activity 2 belongs to iMIS ID 10001, not 10002; enter the right SEQN in "Vol ID", or clear it to add a new activity',
    ]);
    expect(t.ems.activity(2)!.DESCRIPTION).toBe('Registration desk');
    expect(t.ems.parties()).toHaveLength(contacts);
  });

  it('looks each person up once a run, however many rows and batches name them', () => {
    const rows: Grid = Array.from({ length: 25 }, (_, i) => [emailOf(i % 2 === 0 ? '10001' : '10003'), `Session ${i + 1}`, '2026-11-02']);
    const t = attendance(rows);
    expect(t.run().results[0]).toMatchObject({ created: 25, requests: 1 + 1 + 2 + 25 });
    expect(requests(t.ems).filter((r) => r === 'GET /api/Party')).toHaveLength(2);
  });
});

describe('Activity: preview and Modes', () => {
  it('preview shows Would create / Would update with the changes and writes nothing', () => {
    const t = attendance([
      [emailOf('10001'), 'Spring Conference 2024 (keynote)', ''],
      [emailOf('10003'), 'Autumn Gala', '2026-11-02'],
    ]);
    t.workbook.tabs.get('Attendance')![0]!.push('Attendance ID');
    t.workbook.tabs.get('Attendance')![1]!.push('1');
    t.workbook.tabs.get('Attendance')![2]!.push('');
    const before = JSON.stringify(t.workbook.tabs.get('Attendance'));
    const out = t.run({ preview: true }).results[0]!;
    expect(out).toMatchObject({ status: 'Preview', created: 1, updated: 1 });
    const log = t.workbook.text('Sync Log').slice(1).map((r) => [r[5], r[6]]);
    expect(log).toEqual([
      ['Would update', 'DESCRIPTION: Spring Conference 2024 → Spring Conference 2024 (keynote)'],
      ['Would create', 'DESCRIPTION: (blank) → Autumn Gala; TRANSACTION_DATE: (blank) → 2026-11-02T00:00:00; ACTIVITY_TYPE: (blank) → EVENT'],
    ]);
    expect(t.ems.requests.filter((r) => r.method !== 'GET' && r.path !== '/token')).toEqual([]);
    expect(JSON.stringify(t.workbook.tabs.get('Attendance'))).toBe(before);
  });

  it('Update only adds nothing new; Create only leaves added activities alone', () => {
    const upd = attendance([[emailOf('10001'), 'Autumn Gala', '2026-11-02']], { mode: 'Update only' });
    expect(upd.run().results[0]).toMatchObject({ skipped: 1, created: 0 });
    expect(col(upd, 'Attendance', 'Attendance Message')).toEqual(['not in iMIS yet, and Mode is Update only, so no activity is added']);
    expect(upd.ems.requests.some((r) => r.path.startsWith('/api/Party'))).toBe(false);

    const cre = attendance([[emailOf('10001'), 'Changed', '2024-03-14']], { mode: 'Create only' });
    cre.workbook.tabs.get('Attendance')![0]!.push('Attendance ID');
    cre.workbook.tabs.get('Attendance')![1]!.push('1');
    expect(cre.run().results[0]).toMatchObject({ skipped: 1, updated: 0 });
    expect(col(cre, 'Attendance', 'Attendance Message')).toEqual(['already in iMIS as activity 1 (Mode is Create only)']);
    expect(cre.ems.activity(1)!.DESCRIPTION).toBe('Spring Conference 2024');
  });
});

describe('Activity: setup', () => {
  it('a job without ACTIVITY_TYPE stops the run before any request', () => {
    const t = attendance([[emailOf('10001'), 'Autumn Gala', '2026-11-02']], {}, { Constants: constants('Attendance', []) });
    const out = t.run();
    expect(out.exitCode).toBe(2);
    expect(out.results[0]!.message).toContain('Jobs row 2, Target: an iMIS Activity needs its type: map a column to ACTIVITY_TYPE, or add a Constants row for it (e.g. EVENT)');
    expect(t.ems.requests).toEqual([]);
  });

  it('fields are spelled as iMIS does; a field Activity lacks, SEQN or PartyId fails the job before any write', () => {
    const make = (field: string) =>
      attendance([[emailOf('10001'), 'x', '2026-11-02']], {}, {
        Mappings: mappings('Attendance', [
          ['Email', 'Email', true],
          ['Event', field],
        ]),
      });
    const lower = make('description');
    expect(lower.run().results[0]).toMatchObject({ created: 1 });
    expect(created(lower.ems)[0]!.DESCRIPTION).toBe('x');
    for (const [field, said] of [
      ['Descripton', 'Activity has no field "Descripton"; its fields are ACTIVITY_TYPE, TRANSACTION_DATE, ACTIVITY_DATE, EFFECTIVE_DATE, THRU_DATE, DESCRIPTION, NOTE, AMOUNT, QUANTITY, STATUS, SOURCE_CODE, PRODUCT_CODE, UF_1, UF_2, UF_3, UF_4, UF_5, UF_6, UF_7.'],
      ['SEQN', 'SEQN is the activity\'s own number, which the add-on keeps in "Attendance ID"'],
      ['PartyId', 'The add-on sets PartyId itself'],
    ]) {
      const t = make(field!);
      const out = t.run().results[0]!;
      expect(out.status).toBe('Failed');
      expect(out.message).toContain(said);
      expect(t.ems.requests.filter((r) => r.method !== 'GET' && r.path !== '/token')).toEqual([]);
    }
  });
});

describe('Activity: the catalogue', () => {
  it('knows the usual fields without a request, and spells them as iMIS does', () => {
    const { iMIS } = TARGET_CATALOGUES;
    expect(iMIS.fields('Activity')).toEqual(['ID', 'Email', 'FirstName', 'LastName', 'ACTIVITY_TYPE', 'TRANSACTION_DATE', 'DESCRIPTION', 'NOTE', 'AMOUNT']);
    expect(iMIS.canonical('activity', 'activity_type')).toEqual({ field: 'ACTIVITY_TYPE' });
    expect(iMIS.canonical('Activity', 'email')).toEqual({ field: 'Email' });
    expect(iMIS.canonical('Activity', 'UF_3')).toEqual({ field: 'UF_3' });
    // A panel's fields stay as written: only iMIS knows them.
    expect(iMIS.canonical('Demo_Volunteer', 'activity_type')).toEqual({ field: 'activity_type' });
  });

  it('the field picker adds the rest of iMIS\'s Activity definition as live fields, asked for once', () => {
    const sim = new ImisSimulator();
    const http = inProcessHttp({ '/imis/': sim.handle });
    const clock = new FakeClock();
    const io = { http, store: new MemoryStore(), clock, budget: budgetFrom(clock, 60_000) };
    const connection = { system: 'iMIS', name: 'iMIS', url: 'http://127.0.0.1/imis/', username: 'sync.user', secret: 'demo-password', mode: 'EMS' };
    const job = { name: 'Att', action: 'Push', system: 'iMIS', target: 'Activity', connection } as unknown as PushJob;
    const first = fieldChoices(job, io);
    expect(first.complete).toBe(true);
    expect(first.fields.filter((f) => f.live).map((f) => f.name)).toEqual(['ACTIVITY_DATE', 'EFFECTIVE_DATE', 'THRU_DATE', 'QUANTITY', 'STATUS', 'SOURCE_CODE', 'PRODUCT_CODE', 'UF_1', 'UF_2', 'UF_3', 'UF_4', 'UF_5', 'UF_6', 'UF_7']);
    fieldChoices(job, io);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /token', 'GET /api/BoEntityDefinition/Activity']);
  });
});

describe('Activity: the wire', () => {
  /** The engine over a simulator whose create answers can be changed, for what a real site might send back. */
  function withAnswers(rewrite: (path: string, body: string) => string) {
    const clock = new FakeClock();
    const ems = new ImisSimulator({ now: () => clock.now().getTime() });
    const sent: { method: string; url: string; body?: string }[] = [];
    const http = inProcessHttp({
      '/imis/': (req) => {
        sent.push(req);
        const res = ems.handle(req);
        return req.method === 'POST' && /\/api\/Activity$/i.test(req.url) ? { ...res, body: rewrite(req.url, res.body) } : res;
      },
    });
    const workbook = new MemoryWorkbook({
      Connections: CONNECTIONS.slice(0, 2),
      Jobs: [[...HEADERS.jobs], jobRow({ name: 'Att', action: 'Push', source: 'Att', target: 'Activity', match: 'ID' })] as Grid,
      Att: [
        ['iMIS ID', 'Event'],
        ['10001', 'Autumn Gala'],
      ],
      Mappings: mappings('Att', [
        ['iMIS ID', 'ID', true],
        ['Event', 'DESCRIPTION'],
      ]),
      Constants: constants('Att', [['ACTIVITY_TYPE', 'EVENT']]),
    });
    const run = () =>
      runSync(
        { workbook, store: new MemoryStore(), http, clock, log: memoryLog(), secrets: secrets({ iMIS: 'demo-password' }), connectors: createConnectors, timeZone: 'UTC', random: () => 0.5 },
        { trigger: 'CLI', jobs: [], preview: false, budgetMs: 270_000 },
      );
    return { ems, sent, workbook, run };
  }

  it('POSTs the body ASI documents (activity-post-body.json), with the contact as PartyId', () => {
    const research = JSON.parse(readFileSync(join(__dirname, '../fixtures/imis/activity-post-body.json'), 'utf8')) as { $type: string; Properties: { $type: string; $values: { $type: string; Name: string }[] } };
    const t = withAnswers((_path, body) => body);
    t.run();
    const post = JSON.parse(t.sent.find((r) => r.method === 'POST' && r.url.endsWith('/api/Activity'))!.body!) as typeof research & { EntityTypeName: string };
    expect(post.$type).toBe(research.$type);
    expect(post.EntityTypeName).toBe('Activity');
    expect(post.Properties.$type).toBe(research.Properties.$type);
    expect(new Set(post.Properties.$values.map((p) => p.$type))).toEqual(new Set(research.Properties.$values.map((p) => p.$type)));
    expect(post.Properties.$values).toContainEqual({ ...research.Properties.$values.find((p) => p.Name === 'PartyId')!, Value: '10001' });
    expect(post.Properties.$values).toContainEqual({ ...research.Properties.$values.find((p) => p.Name === 'ACTIVITY_TYPE')!, Value: 'EVENT' });
    // And ASI's own body, for a contact the simulator has, is what the simulator takes.
    const asi = JSON.parse(JSON.stringify(research).replace('"22708"', '"10002"'));
    const res = t.ems.handle({ method: 'POST', url: '/api/Activity', headers: { authorization: `Bearer ${tokenOf(t.ems)}`, 'content-type': 'application/json' }, body: JSON.stringify(asi) });
    expect(res.status).toBe(201);
  });

  it('takes the new SEQN from Identity.IdentityElements, or from the SEQN property when Identity is missing', () => {
    const t = withAnswers((_path, body) => {
      const json = JSON.parse(body) as Record<string, unknown>;
      delete json.Identity;
      return JSON.stringify(json);
    });
    t.run();
    expect(t.workbook.text('Att')[1]![2]).toBe('6');
  });

  it('a create answer without any SEQN marks the row, so an edit can never add the activity again', () => {
    const t = withAnswers(() => JSON.stringify({ $type: 'Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts', Properties: { $values: [] } }));
    expect(t.run().results[0]).toMatchObject({ created: 1 });
    const [header, row] = t.workbook.text('Att');
    expect(row![header!.indexOf('Att ID')]).toBe('unknown');
    expect(row![header!.indexOf('Att Message')]).toContain('iMIS did not say the new activity\'s SEQN: find it in iMIS and enter it in "Att ID"');
    (t.workbook.tabs.get('Att')![1]![1] as unknown) = 'Autumn Gala (dinner)';
    expect(t.run().results[0]).toMatchObject({ created: 0, skipped: 1 });
    expect(t.ems.activities().filter((a) => Number(a.SEQN) > 5)).toHaveLength(1);
  });
});

/** A bearer token the simulator accepts, from its own /token. */
function tokenOf(sim: ImisSimulator): string {
  const res = sim.handle({ method: 'POST', url: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&username=sync.user&password=demo-password' });
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}
