// The iMIS ↔ EveryAction crosswalk (DESIGN §10.6): a push Field `Identifier:<type>` sends
// `identifiers: [{type, externalId}]` (the Match Candidate shape of match-candidate.ngp_van-fixture.json)
// in findOrCreate and in POST /people/{vanId}, and reads back under $expand=externalIds as in
// person-get-expanded.parsons-fixture.json. A type the database does not know is refused with
// van-openapi's recorded words, and the job ends on that first batch with nobody written.
// Through the whole engine, against the in-process EveryAction simulator.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TARGET_CATALOGUES } from '../../src/connectors/catalogues';
import { identifierRefusal } from '../../src/connectors/everyaction/identifiers';
import { fieldChoices } from '../../src/connectors/pickers';
import { HEADERS, type PushJob } from '../../src/core/config/types';
import type { Grid, HttpRequest } from '../../src/core/ports';
import type { StoredPerson } from '../../src/simulators/everyaction/people';
import { DEMO_PEOPLE } from '../../src/simulators/everyaction';
import { imisRun, jobRow } from '../helpers/imis-run';
import type { MemoryWorkbook } from '../helpers/fakes';

/** Byte-for-byte copies of recorded NGP VAN bodies from shared/research/everyaction/ (a clean clone has no shared/). */
const RESEARCH = join(__dirname, '../fixtures/everyaction');
const fixture = (name: string) => JSON.parse(readFileSync(join(RESEARCH, name), 'utf8')) as Record<string, unknown>;

/** n members with an iMIS ID each (the first `blank` without one). */
const members = (n: number, blank = 0): Grid => [
  ['iMIS ID', 'First', 'Last', 'Email', 'Legacy no'],
  ...Array.from({ length: n }, (_, i) => [i < blank ? '' : String(20001 + i), 'Member', `Number${i + 1}`, `member.${i + 1}@example.org`, `L-${i + 1}`]),
];

function push(tab: Grid, identifiers: [string, string][] = [['iMIS ID', 'Identifier:imisid']], constants: Grid = [[...HEADERS.constants]]) {
  const t = imisRun([jobRow({ name: 'Crosswalk', action: 'Push', connection: 'EveryAction', source: 'Members', target: 'People', match: 'Auto', mode: 'Liberal' })], {
    Members: tab,
    Mappings: [
      [...HEADERS.mappings],
      ['Crosswalk', 'Email', 'Email', true, 'email'],
      ['Crosswalk', 'First', 'FirstName', false, ''],
      ['Crosswalk', 'Last', 'LastName', false, ''],
      ...identifiers.map(([column, field]) => ['Crosswalk', column, field, false, '']),
    ],
    Constants: constants,
  });
  // The simulator records paths only; the bodies sent are what this test is about.
  const sent: HttpRequest[] = [];
  const batches: HttpRequest[][] = [];
  const inner = t.http.fetchAll.bind(t.http);
  t.http.fetchAll = (batch) => {
    sent.push(...batch);
    batches.push(batch);
    return inner(batch);
  };
  return { ...t, sent, batches };
}

const col = (wb: MemoryWorkbook, tab: string, header: string) => {
  const t = wb.text(tab);
  const i = t[0]!.indexOf(header);
  return i < 0 ? t.slice(1).map(() => '') : t.slice(1).map((r) => r[i] ?? '');
};
const writes = (sent: HttpRequest[]) => sent.filter((r) => r.method === 'POST' && /\/people\/(findOrCreate|\d+)$/.test(r.url));
const bodyOf = (r: HttpRequest) => JSON.parse(r.body ?? '{}') as Record<string, unknown>;
const apiPeople = (t: { ea: { people(): unknown[] } }) => t.ea.people() as StoredPerson[];

describe('Identifier:<type> in the catalogue', () => {
  const { EveryAction } = TARGET_CATALOGUES;

  it('takes any non-empty type as EveryAction spells it; a bare Identifier: is a setup problem', () => {
    expect(EveryAction.canonical('People', 'Identifier:imisid')).toEqual({ field: 'Identifier:imisid' });
    expect(EveryAction.canonical('People', ' identifier : StateFileID ')).toEqual({ field: 'Identifier:StateFileID' });
    for (const bare of ['Identifier:', 'identifier :  ', 'Identifier']) {
      expect(EveryAction.canonical('People', bare)).toEqual({ problem: `"${bare}" needs the identifier type after the colon, as your EveryAction database spells it, e.g. Identifier:imisid` });
    }
  });

  it('the field picker offers the identifier types the job already names (EveryAction cannot list them)', () => {
    const job = { action: 'Push', system: 'EveryAction', target: 'People', mappings: [{ field: 'Email' }, { field: 'Identifier:imisid' }], constants: [{ field: 'Identifier:legacyid' }] } as unknown as PushJob;
    const offered = fieldChoices(job, null).fields.map((f) => f.name);
    expect(offered).toEqual(expect.arrayContaining(['Email', 'VANID', 'Identifier:imisid', 'Identifier:legacyid']));
    expect(offered.filter((f) => f.startsWith('Identifier:'))).toEqual(['Identifier:imisid', 'Identifier:legacyid']);
  });

  it('a bare Identifier: in Mappings stops the run before any request, naming the cell', () => {
    const t = push(members(2), [['iMIS ID', 'Identifier:']]);
    const out = t.run();
    expect(out.exitCode).toBe(2);
    expect(out.problems.map((p) => [p.tab, p.row, p.column])).toEqual([['Mappings', 5, 'Field']]);
    expect(out.problems[0]!.message).toContain('needs the identifier type after the colon');
    expect(t.sent).toEqual([]);
  });
});

describe('EveryAction refusing an identifier type (researched bodies)', () => {
  const refusal = (error: Record<string, unknown>) => ({ status: 400, headers: {}, body: JSON.stringify({ errors: [error] }) });
  const sent = [{ type: 'bogus', externalId: '1' }];

  it('is known by the recorded words, and by the property it names', () => {
    const text = "'type' (bogus) is not a valid ExternalID in this context"; // van-openapi PersonIdentifierInput
    expect(identifierRefusal(refusal({ code: 'INVALID_PARAMETER', text }), sent)).toEqual({ said: text, type: null });
    expect(identifierRefusal(refusal({ code: 'INVALID_PARAMETER', text: 'Unknown.', properties: ['identifiers[0].type'] }), sent)).toEqual({ said: 'Unknown.', type: 'bogus' });
  });

  it('is not any other 400: a bad phone (the recorded refusal) or a refused externalId is the row\'s own data', () => {
    const phone = { status: 400, headers: {}, body: readFileSync(join(RESEARCH, 'error-400-invalid-phone.van-openapi-example.json'), 'utf8') };
    expect(identifierRefusal(phone, sent)).toBeNull();
    expect(identifierRefusal(refusal({ code: 'INVALID_PARAMETER', text: 'Too long.', properties: ['identifiers[0].externalId'] }), sent)).toBeNull();
  });
});

describe('the simulated EveryAction and identifiers', () => {
  const post = (url: string, body: object): HttpRequest => {
    const base = getPerson('0', '');
    return { method: 'POST', url, headers: { ...base.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  };

  it('refuses a type the committee does not define with the 400 envelope, writing nothing, in findOrCreate and in an update', () => {
    const t = push(members(1));
    const before = apiPeople(t);
    const create = t.ea.handle(post('/people/findOrCreate', { firstName: 'New', lastName: 'Person', emails: [{ email: 'new.person@example.org' }], identifiers: [{ type: 'bogus', externalId: '1' }] }));
    expect(create.status).toBe(400);
    expect(JSON.parse(create.body)).toEqual({
      errors: [{ code: 'INVALID_PARAMETER', text: "'type' (bogus) is not a valid ExternalID in this context", properties: ['identifiers[0].type'] }],
    });
    const harriet = DEMO_PEOPLE.harriet.vanId;
    const update = t.ea.handle(post(`/people/${harriet}`, { firstName: 'Hattie', identifiers: [{ type: 'imisid', externalId: '1' }, { type: 'bogus', externalId: '2' }] }));
    expect(update.status).toBe(400);
    expect(apiPeople(t)).toEqual(before);
  });
});

describe('an EveryAction push with Identifier:<type>', () => {
  it('sends identifiers [{type, externalId}] in findOrCreate, writes the VANID back beside the iMIS ID, and EveryAction keeps them', () => {
    const t = push(members(3));
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', created: 3 });
    const [first] = writes(t.sent);
    expect(first!.url).toMatch(/\/people\/findOrCreate$/);
    // The Match Candidate's identifiers entry, key for key.
    const researched = (fixture('match-candidate.ngp_van-fixture.json').identifiers as object[])[0]!;
    const identifiers = bodyOf(first!).identifiers as object[];
    expect(identifiers).toEqual([{ type: 'imisid', externalId: '20001' }]);
    expect(Object.keys(identifiers[0]!)).toEqual(Object.keys(researched));

    const ids = col(t.workbook, 'Members', 'iMIS ID');
    const vanIds = col(t.workbook, 'Members', 'Crosswalk ID');
    vanIds.forEach((vanId, i) => {
      expect(vanId).toMatch(/^\d+$/);
      expect(t.ea.person(Number(vanId))!.identifiers).toEqual([{ type: 'imisid', externalId: ids[i] }]);
    });
    // Read back as the Parsons fixture shows them, only when expanded.
    const read = (expand: string) => JSON.parse(t.ea.handle(getPerson(vanIds[0]!, expand)).body) as Record<string, unknown>;
    expect(read('externalIds').identifiers).toEqual([{ type: 'imisid', externalId: '20001' }]);
    expect(Object.keys((read('externalIds').identifiers as object[])[0]!)).toEqual(Object.keys((fixture('person-get-expanded.parsons-fixture.json').identifiers as object[])[0]!));
    expect(read('emails').identifiers).toBeNull();

    // The push log lists it like any other field.
    const log = t.workbook.text('Sync Log').filter((r) => r[2] === 'Crosswalk');
    expect(log[0]![6]).toContain('Identifier:imisid: → 20001');
  });

  it('sends them in POST /people/{vanId} too, several types at once, and a re-run sends nothing', () => {
    const t = push(members(2), [
      ['iMIS ID', 'Identifier:imisid'],
      ['Legacy no', 'identifier: LEGACYID'],
    ]);
    expect(t.run().results[0]).toMatchObject({ status: 'OK', created: 2 });
    expect(t.run().results[0]).toMatchObject({ status: 'OK', unchanged: 2 });
    expect(writes(t.sent)).toHaveLength(2);

    // An edited row with a known VANID is an update, carrying its identifiers.
    const grid = t.workbook.tabs.get('Members')!;
    grid[1]![4] = 'L-100';
    const vanId = col(t.workbook, 'Members', 'Crosswalk ID')[0]!;
    expect(t.run().results[0]).toMatchObject({ status: 'OK', updated: 1, unchanged: 1 });
    const update = writes(t.sent).at(-1)!;
    expect(update.url).toMatch(new RegExp(`/people/${vanId}$`));
    expect(bodyOf(update).identifiers).toEqual([
      { type: 'imisid', externalId: '20001' },
      { type: 'LEGACYID', externalId: 'L-100' },
    ]);
    // One external ID per type, in the database's own spelling of the type.
    expect(t.ea.person(Number(vanId))!.identifiers).toEqual([
      { type: 'imisid', externalId: '20001' },
      { type: 'legacyid', externalId: 'L-100' },
    ]);
  });

  it('a Constants Field works the same, and preview compares with what EveryAction holds', () => {
    const harriet = DEMO_PEOPLE.harriet;
    const tab: Grid = [['iMIS ID', 'First', 'Last', 'Email', 'Legacy no'], ['30001', harriet.firstName, harriet.lastName, harriet.email, '']];
    const t = push(tab, [['iMIS ID', 'Identifier:imisid']], [[...HEADERS.constants], ['Crosswalk', 'Identifier:legacyid', 'H-{{column:iMIS ID}}']]);
    const preview = t.run({ preview: true }).results[0]!;
    expect(preview.status).toBe('Preview');
    const changes = t.workbook.text('Sync Log').filter((r) => r[2] === 'Crosswalk')[0]![6]!;
    expect(changes).toContain('Identifier:imisid: (blank) → 30001; Identifier:legacyid: (blank) → H-30001');
    expect(t.sent.some((r) => /\$expand=.*externalIds/.test(r.url))).toBe(true);

    expect(t.run().results[0]).toMatchObject({ status: 'OK', updated: 1 });
    expect(t.ea.person(harriet.vanId)!.identifiers).toEqual([
      { type: 'imisid', externalId: '30001' },
      { type: 'legacyid', externalId: 'H-30001' },
    ]);
    // Held now: a second preview of a changed row shows no change for the identifiers.
    t.workbook.tabs.get('Members')![1]![1] = harriet.firstName.toUpperCase();
    t.run({ preview: true });
    const again = t.workbook.text('Sync Log').filter((r) => r[2] === 'Crosswalk').at(-1)![6]!;
    expect(again).toBe('FirstName: Harriet → HARRIET');
  });
});

describe('an identifier type EveryAction does not know', () => {
  it('fails the job on its first batch with EveryAction\'s message, code config, nobody written, every row not sent', () => {
    const t = push(members(25), [['iMIS ID', 'Identifier:imis_id']]);
    const before = apiPeople(t).length;
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'Failed', code: 'config', read: 25, created: 0, updated: 0, failed: 0, skipped: 25 });
    expect(out.message).toBe(
      'Mappings row 5, Field: EveryAction does not know the identifier type "imis_id" ' +
        '(EveryAction said: "\'type\' (imis_id) is not a valid ExternalID in this context"). ' +
        'Use a type your EveryAction database defines, spelled as EveryAction spells it (your EveryAction administrator or support can tell you which it has), ' +
        'or remove the mapping. The job stopped before sending more people. 25 rows: 0 created, 0 updated, 0 unchanged; 25 rows not sent (left as they were; sent next run).',
    );
    // One batch went out, every request of it refused; nobody exists that did not before.
    expect(writes(t.sent)).toHaveLength(10);
    expect(apiPeople(t)).toHaveLength(before);
    expect(apiPeople(t).filter((p) => p.emails.some((e) => e.email.startsWith('member.')))).toEqual([]);
    expect(col(t.workbook, 'Members', 'Crosswalk Status')).toEqual(Array(25).fill(''));
    expect(t.workbook.text('Sync Log').filter((r) => r[2] === 'Crosswalk')).toEqual([]);

    // Fixed in Mappings, the next run sends them all.
    t.workbook.tabs.get('Mappings')![4]![2] = 'Identifier:imisid';
    expect(t.run().results[0]).toMatchObject({ status: 'OK', created: 25 });
  });

  it('rows without an identifier wait until EveryAction has accepted the type, so a refusal still writes nobody', () => {
    const t = push(members(10, 7), [['iMIS ID', 'Identifier:imis_id']]);
    const before = apiPeople(t).length;
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'Failed', code: 'config', created: 0, skipped: 10 });
    expect(writes(t.sent)).toHaveLength(3); // only the three rows carrying the type were sent
    expect(apiPeople(t)).toHaveLength(before);
  });

  it('with a known type, those rows cost no extra round trip after the first', () => {
    const t = push(members(25, 3));
    expect(t.run().results[0]).toMatchObject({ status: 'OK', created: 25 });
    // 25 rows in batches of 10: the first takes two round trips (the 7 with the type, then the 3 without), the rest one each.
    expect(t.batches.map((b) => writes(b).length).filter((n) => n > 0)).toEqual([7, 3, 10, 5]);
  });

  it('preview is refused the same way (find carries the identifiers) and writes nothing', () => {
    const t = push(members(3), [['iMIS ID', 'Identifier:bogus']]);
    const before = apiPeople(t).length;
    const out = t.run({ preview: true }).results[0]!;
    expect(out).toMatchObject({ status: 'Failed', code: 'config' });
    expect(out.message).toContain('"\'type\' (bogus) is not a valid ExternalID in this context"');
    expect(apiPeople(t)).toHaveLength(before);
  });
});

function getPerson(vanId: string, expand: string): HttpRequest {
  return {
    method: 'GET',
    url: `/people/${vanId}?$expand=${expand}`,
    headers: { Authorization: `Basic ${Buffer.from('SheetsSyncDemo:demo-api-key|1').toString('base64')}` },
  };
}
