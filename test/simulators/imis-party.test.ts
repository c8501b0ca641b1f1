// The iMIS simulator's contacts: seeded PersonData consistent with the member queries, searching
// /api/Party by email / name / id (including the deliberate duplicates), get, create, whole-object
// replace on PUT, validation failures, and faults on the contact endpoints.

import { describe, expect, it } from 'vitest';
import { DEMO_CONTACTS, DEMO_QUERIES, ImisSimulator } from '../../src/simulators/imis/index';
import { memberRowFromParty } from '../../src/simulators/imis/parties';
import { HTTP_ERROR, signIn, validationBody } from './imis-client';

const PERSON = 'Asi.Soa.Membership.DataContracts.PersonData, Asi.Contracts';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const emailOf = (p: any): string => p.Emails.$values[0].Address;
const ids = (page: any): string[] => page.Items.$values.map((p: any) => p.Id);
const q = (path: string, extra = '') => `QueryName=${encodeURIComponent(path)}${extra}`;

/** A new contact as a connector would POST it. */
function newPerson(over: Record<string, unknown> = {}) {
  return {
    $type: PERSON,
    PersonName: { $type: 'Asi.Soa.Membership.DataContracts.PersonNameData, Asi.Contracts', FirstName: 'Ada', LastName: 'Okafor' },
    Emails: {
      $type: 'Asi.Soa.Membership.DataContracts.EmailDataCollection, Asi.Contracts',
      $values: [{ $type: 'Asi.Soa.Membership.DataContracts.EmailData, Asi.Contracts', Address: 'ada.okafor@example.net', EmailType: '_Primary', IsPrimary: true }],
    },
    ...over,
  };
}

describe('seeded contacts', () => {
  it('are full PersonData for the same members the Active Members query lists', () => {
    const sim = new ImisSimulator();
    const rows = sim.queryRows(DEMO_QUERIES.activeMembers);
    const parties = sim.parties();
    expect(parties).toHaveLength(1234 + 3);
    const members = parties.filter((p) => Number(p.Id) >= 10001);
    // Every field the query shows can be read back from the contact, for every member.
    expect(members.map((p) => memberRowFromParty(p))).toEqual(rows);

    const p: any = sim.party('10001');
    const row = rows[0]!;
    expect(p.$type).toBe(PERSON);
    expect([p.Id, p.PartyId]).toEqual(['10001', '10001']);
    expect(p.UniformId).toMatch(GUID);
    expect(p.PersonName).toMatchObject({
      $type: 'Asi.Soa.Membership.DataContracts.PersonNameData, Asi.Contracts',
      FirstName: row.FirstName,
      LastName: row.LastName,
      InformalName: row.FirstName,
    });
    expect(p.PersonName.FullName).toContain(`${row.LastName}`);
    expect(p.Emails).toEqual({
      $type: 'Asi.Soa.Membership.DataContracts.EmailDataCollection, Asi.Contracts',
      $values: [{ $type: 'Asi.Soa.Membership.DataContracts.EmailData, Asi.Contracts', Address: row.Email, EmailType: '_Primary', IsPrimary: true }],
    });
    const attrs = Object.fromEntries(p.AdditionalAttributes.$values.map((a: any) => [a.Name, a.Value]));
    expect(attrs.CustomerTypeCode).toBe(row.MemberType);
    expect(attrs.IsMember).toEqual({ $type: 'System.Boolean', $value: row.IsMember });
    expect(attrs.JoinDate).toBe(row.JoinDate);
    const address = p.Addresses.$values[0];
    expect(address.$type).toBe('Asi.Soa.Membership.DataContracts.FullAddressData, Asi.Contracts');
    expect(address.Address.$type).toBe('Asi.Soa.Membership.DataContracts.AddressData, Asi.Contracts');
    expect(address.Address.AddressLines.$values.length).toBeGreaterThan(0);
    expect([address.Address.CityName, address.Address.CountrySubEntityCode]).toEqual([row.City, row.StateProvince]);
    expect(['US', 'CA']).toContain(address.Address.CountryCode);
    expect(p.Phones.$values.length).toBeGreaterThan(0);
    expect(p.Status.PartyStatusId).toBe('A');
    expect(p.UpdateInformation.$type).toBe('Asi.Soa.Core.DataContracts.EntityUpdateInformationData, Asi.Contracts');
    expect(members.some((m: any) => typeof m.BirthDate === 'string' && /^\d{4}-\d\d-\d\dT00:00:00$/.test(m.BirthDate))).toBe(true);
    expect(members.some((m: any) => m.PrimaryOrganization?.Name)).toBe(true);

    // Deterministic: another site gives the same contacts, GUIDs included.
    expect(new ImisSimulator().party('10001')).toEqual(p);
  });

  it('include a household sharing one email and a member\'s same-email twin, none of them members', () => {
    const sim = new ImisSimulator({ memberCount: 20 });
    const [a, b] = DEMO_CONTACTS.householdIds.map((id) => sim.party(id)!);
    expect([emailOf(a), emailOf(b)]).toEqual([DEMO_CONTACTS.sharedEmail, DEMO_CONTACTS.sharedEmail]);
    const twin: any = sim.party(DEMO_CONTACTS.twinId);
    const member: any = sim.party(DEMO_CONTACTS.twinOf);
    expect(emailOf(twin)).toBe(emailOf(member));
    expect(twin.PersonName.LastName).toBe(member.PersonName.LastName);
    expect(twin.PersonName.FirstName).toBe(DEMO_CONTACTS.twinFirstName);
    expect(member.PersonName.FirstName).not.toBe(DEMO_CONTACTS.twinFirstName);
    expect(sim.queryRows(DEMO_QUERIES.activeMembers).map((r) => r.ID)).not.toContain(DEMO_CONTACTS.twinId);
  });
});

describe('GET /api/Party search', () => {
  const sim = new ImisSimulator({ memberCount: 50 });
  const api = signIn(sim);

  it('finds one contact by email, ignoring case, as a PagedResult of full PartyData', () => {
    const email = emailOf(sim.party('10005'));
    const { status, json } = api.get(`/api/Party?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(status).toBe(200);
    expect(json.$type).toBe('Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Membership.DataContracts.PartyData, Asi.Contracts]], Asi.Contracts');
    expect(json.Items.$type).toBe('System.Collections.Generic.List`1[[Asi.Soa.Membership.DataContracts.PartyData, Asi.Contracts]], mscorlib');
    expect([json.Offset, json.Limit, json.Count, json.TotalCount, json.NextPageLink, json.HasNext, json.NextOffset]).toEqual([0, 100, 1, 1, null, false, 0]);
    expect(json.Items.$values[0]).toEqual(sim.party('10005'));
  });

  it('finds several contacts for a shared email and the twin, and none for an unknown one', () => {
    expect(ids(api.get(`/api/Party?email=${encodeURIComponent(DEMO_CONTACTS.sharedEmail)}`).json)).toEqual(['9001', '9002']);
    const twinEmail = emailOf(sim.party(DEMO_CONTACTS.twinOf));
    expect(ids(api.get(`/api/party?Email=eq:${encodeURIComponent(twinEmail)}`).json)).toEqual([DEMO_CONTACTS.twinId, DEMO_CONTACTS.twinOf]);
    const none = api.get('/api/Party?email=nobody%40example.org').json;
    expect([none.Count, none.TotalCount, none.HasNext, none.Items.$values]).toEqual([0, 0, false, []]);
  });

  it('ANDs email, first and last name, so Email+Name tells the twin from the member', () => {
    const member: any = sim.party(DEMO_CONTACTS.twinOf);
    const email = encodeURIComponent(emailOf(member));
    const last = encodeURIComponent(member.PersonName.LastName);
    const byMember = api.get(`/api/Party?email=${email}&firstname=${encodeURIComponent(member.PersonName.FirstName)}&lastname=${last}`).json;
    expect(ids(byMember)).toEqual([DEMO_CONTACTS.twinOf]);
    expect(ids(api.get(`/api/Party?email=${email}&FirstName=${DEMO_CONTACTS.twinFirstName}&LastName=${last}`).json)).toEqual([DEMO_CONTACTS.twinId]);
    expect(ids(api.get(`/api/Party?email=${email}&firstname=Nobody&lastname=${last}`).json)).toEqual([]);
  });

  it('filters by id and with operators', () => {
    expect(ids(api.get('/api/Party?id=10007').json)).toEqual(['10007']);
    expect(ids(api.get('/api/Party?PartyId=eq:10007').json)).toEqual(['10007']);
    expect(ids(api.get('/api/Party?lastname=startsWith:riv&firstname=ne:Alex').json)).toEqual(['9002']);
    expect(ids(api.get('/api/Party?email=endsWith:household%40example.org').json)).toEqual(['9001', '9002']);
    expect(ids(api.get('/api/Party?id=in:9001|10003').json)).toEqual(['9001', '10003']);
  });

  it('pages with limit and offset', () => {
    const first = api.get('/api/Party?lastname=Rivera&limit=1').json;
    expect([first.Count, first.TotalCount, first.HasNext, first.NextOffset, ids(first)]).toEqual([1, 2, true, 1, ['9001']]);
    const second = api.get('/api/Party?lastname=Rivera&limit=1&offset=1').json;
    expect([second.HasNext, second.NextOffset, ids(second)]).toEqual([false, 0, ['9002']]);
    expect(api.get('/api/Party?limit=1000').json.Limit).toBe(500);
  });

  it('refuses an unknown filter with 400 and a Message', () => {
    const { status, json } = api.get('/api/Party?shoeSize=9');
    expect(status).toBe(400);
    expect(json.$type).toBe(HTTP_ERROR);
    expect(json.Message).toContain('shoeSize');
  });

  it('/api/Person lists the same contacts as PersonData', () => {
    const { json } = api.get(`/api/Person?email=${encodeURIComponent(DEMO_CONTACTS.sharedEmail)}`);
    expect(json.$type).toBe('Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Membership.DataContracts.PersonData, Asi.Contracts]], Asi.Contracts');
    expect(ids(json)).toEqual(['9001', '9002']);
  });
});

describe('GET /api/Party/{id}', () => {
  it('answers 200 with the contact, 404 with an HttpError when unknown, 401 without a token', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const found = api.get('/api/Party/10003');
    expect(found.status).toBe(200);
    expect(found.json).toEqual(sim.party('10003'));
    expect(api.get('/api/person/10003').json).toEqual(sim.party('10003'));
    const missing = api.get('/api/Party/99999');
    expect(missing.status).toBe(404);
    expect(missing.json.$type).toBe(HTTP_ERROR);
    expect(missing.json.Message).toContain('99999');
    expect(api.send('GET', '/api/Party/10003', undefined, {}).status).toBe(401);
  });
});

describe('POST /api/Party', () => {
  it('creates a contact with the next iMIS ID, a stable UniformId and update information', () => {
    const now = Date.UTC(2026, 10, 23, 19, 6, 0, 950);
    const sim = new ImisSimulator({ memberCount: 20, now: () => now });
    const api = signIn(sim);
    const { status, json } = api.post('/api/Party', newPerson({ BirthDate: '1990-02-03' }));
    expect(status).toBe(201);
    expect([json.Id, json.PartyId]).toEqual(['10021', '10021']);
    expect(json.$type).toBe(PERSON);
    expect(json.UniformId).toMatch(GUID);
    expect(json.BirthDate).toBe('1990-02-03T00:00:00');
    expect(json.PersonName.FullName).toBe('Ada Okafor');
    expect(json.Name).toBe('Ada Okafor');
    expect(json.UpdateInformation).toEqual({
      $type: 'Asi.Soa.Core.DataContracts.EntityUpdateInformationData, Asi.Contracts',
      CreatedBy: 'sync.user',
      CreatedOn: '2026-11-23T19:06:00.95',
      UpdatedBy: 'sync.user',
      UpdatedOn: '2026-11-23T19:06:00.95',
    });
    expect(sim.party('10021')).toEqual(json);
    expect(api.get('/api/Party?email=ada.okafor%40example.net').json.TotalCount).toBe(1);

    const viaPerson = api.post('/api/Person', newPerson({ PersonName: { FirstName: 'Bo', LastName: 'Lind' } }));
    expect([viaPerson.status, viaPerson.json.Id]).toEqual([201, '10022']);
    // Same data, same site size: same UniformId on another run.
    const again = new ImisSimulator({ memberCount: 20, now: () => now });
    expect(signIn(again).post('/api/Party', newPerson()).json.UniformId).toBe(json.UniformId);
  });

  it('puts the $type on nested objects and wraps loose attribute values, as iMIS echoes them', () => {
    const sim = new ImisSimulator({ memberCount: 5 });
    const { json } = signIn(sim).post('/api/Party', {
      PersonName: { FirstName: 'Cy', LastName: 'Ng' },
      Emails: [{ Address: 'cy@example.org', EmailType: '_Primary', IsPrimary: true }],
      AdditionalAttributes: { $values: [{ Name: 'CustomerTypeCode', Value: 'REG' }, { Name: 'IsMember', Value: true }, { Name: 'Visits', Value: 3 }] },
    });
    expect(json.PersonName.$type).toBe('Asi.Soa.Membership.DataContracts.PersonNameData, Asi.Contracts');
    expect(json.Emails.$type).toBe('Asi.Soa.Membership.DataContracts.EmailDataCollection, Asi.Contracts');
    expect(json.Emails.$values[0].$type).toBe('Asi.Soa.Membership.DataContracts.EmailData, Asi.Contracts');
    expect(json.AdditionalAttributes.$values.map((a: any) => a.Value)).toEqual(['REG', { $type: 'System.Boolean', $value: true }, { $type: 'System.Int32', $value: 3 }]);
    // A new member appears in the Active Members query.
    expect(sim.queryRows(DEMO_QUERIES.activeMembers).at(-1)).toMatchObject({ ID: json.Id, Email: 'cy@example.org', MemberType: 'REG', IsMember: true, Dues: 187.5 });
  });

  it('refuses invalid contacts with a 400 ValidationResultsData and stores nothing', () => {
    const sim = new ImisSimulator({ memberCount: 5 });
    const api = signIn(sim);
    const before = sim.parties().length;

    const noLast = api.post('/api/Party', newPerson({ PersonName: { FirstName: 'Ada' } }));
    expect(noLast.status).toBe(400);
    expect(noLast.json).toEqual(validationBody('LastName is required.'));

    const badEmail = api.post('/api/Party', newPerson({ Emails: { $values: [{ Address: 'not-an-email', EmailType: '_Primary', IsPrimary: true }] } }));
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.Errors.$values[0].Message).toBe("'not-an-email' is not a valid email address.");

    const both = api.post('/api/Party', newPerson({ PersonName: { FirstName: 'X' }, BirthDate: '1990-02-30' }));
    expect(both.json.Errors.$values.map((e: any) => e.Message)).toEqual(['LastName is required.', "'1990-02-30' is not a valid date for BirthDate."]);

    const broken = api.send('POST', '/api/Party', '{"PersonName": ');
    expect(broken.status).toBe(500);
    expect(broken.json.Message).toBe('An error occurred. Please contact the administrator.');
    expect(sim.parties()).toHaveLength(before);
  });
});

describe('PUT /api/Party/{id}', () => {
  it('replaces the whole contact: what the body leaves out is gone; server fields stay', () => {
    let now = Date.UTC(2026, 0, 5, 8, 0, 0);
    const sim = new ImisSimulator({ memberCount: 20, now: () => now });
    const api = signIn(sim);
    const before = api.get('/api/Party/10004').json;
    expect(before.Phones.$values.length).toBeGreaterThan(0);

    const { Phones: _dropped, ...edited } = before;
    edited.Emails.$values[0].Address = 'new.address@example.org';
    edited.PersonName.FirstName = 'Renamed';
    now += 60_000;
    const put = api.put('/api/Party/10004', edited);
    expect(put.status).toBe(200);
    const stored: any = sim.party('10004');
    expect(put.json).toEqual(stored);
    expect(stored.Phones).toBeUndefined();
    expect(emailOf(stored)).toBe('new.address@example.org');
    expect(stored.PersonName.FullName).toContain('Renamed');
    expect(stored.UniformId).toBe(before.UniformId);
    expect(stored.UpdateInformation.CreatedOn).toBe(before.UpdateInformation.CreatedOn);
    expect(stored.UpdateInformation.UpdatedOn).toBe('2026-01-05T08:01:00');
    expect(stored.UpdateInformation.UpdatedBy).toBe('sync.user');
  });

  it('shows in the Active Members query (and the view over it) after the PUT', () => {
    const sim = new ImisSimulator({ memberCount: 20 });
    const api = signIn(sim);
    const rowsBefore = sim.queryRows(DEMO_QUERIES.activeMembers);
    const body = api.get('/api/Party/10004').json;
    body.Emails.$values[0].Address = 'moved@example.org';
    expect(api.put('/api/Party/10004', body).status).toBe(200);

    const page = api.get(`/api/query?${q(DEMO_QUERIES.activeMembers)}`).json;
    const row = page.Items.$values.find((r: any) => r.ID === '10004');
    expect(row.Email).toBe('moved@example.org');
    expect(page.TotalCount).toBe(20);
    const rowsAfter = sim.queryRows(DEMO_QUERIES.activeMembers);
    expect(rowsAfter.filter((r) => r.ID !== '10004')).toEqual(rowsBefore.filter((r) => r.ID !== '10004'));
    const type = String(row.MemberType);
    const byType = api.get(`/api/query?${q(DEMO_QUERIES.membersByType, `&Parameter=${type}`)}`).json;
    expect(byType.Items.$values.find((r: any) => r.ID === '10004').Email).toBe('moved@example.org');

    // Leaving AdditionalAttributes out drops the member type, so the contact leaves the query.
    const { AdditionalAttributes: _gone, ...bare } = api.get('/api/Party/10004').json;
    expect(api.put('/api/Party/10004', bare).status).toBe(200);
    expect(sim.queryRows(DEMO_QUERIES.activeMembers).map((r) => r.ID)).not.toContain('10004');
  });

  it('setQueryRows still overrides the member query after writes', () => {
    const sim = new ImisSimulator({ memberCount: 5 });
    signIn(sim).post('/api/Party', newPerson({ AdditionalAttributes: { $values: [{ Name: 'CustomerTypeCode', Value: 'STU' }] } }));
    expect(sim.queryRows(DEMO_QUERIES.activeMembers)).toHaveLength(6);
    sim.setQueryRows(DEMO_QUERIES.activeMembers, [{ ID: '1', Email: 'x@y.org' }]);
    expect(sim.queryRows(DEMO_QUERIES.activeMembers)).toEqual([{ ID: '1', Email: 'x@y.org' }]);
  });

  it('answers 404 for an unknown contact, 400 when the body\'s Id differs, 405 without an id', () => {
    const sim = new ImisSimulator({ memberCount: 5 });
    const api = signIn(sim);
    const body = api.get('/api/Party/10002').json;
    expect(api.put('/api/Party/99999', { ...body, Id: '99999', PartyId: '99999' }).status).toBe(404);
    const mismatch = api.put('/api/Party/10003', body);
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.Errors.$values[0].Message).toContain("'10003'");
    const noId = api.put('/api/Party/10002', { ...body, Id: undefined, PartyId: undefined });
    expect(noId.status).toBe(400);
    expect(api.put('/api/Party', body).status).toBe(405);
    const invalid = api.put('/api/Party/10002', { ...body, Emails: { $values: [{ Address: 'a@b' }] } });
    expect(invalid.json).toEqual(validationBody("'a@b' is not a valid email address."));
    expect(sim.party('10002')).toEqual(body);
  });
});

describe('failures a test can ask for', () => {
  it('rejectNext makes the next write under a prefix fail once with a 400 validation message', () => {
    const sim = new ImisSimulator({ memberCount: 5 });
    const api = signIn(sim);
    sim.rejectNext('/api/party', 'Birth date cannot be in the future.');
    const body = api.get('/api/Party/10001').json; // reads are not affected
    const refused = api.put('/api/Party/10001', body);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual(validationBody('Birth date cannot be in the future.'));
    expect(api.put('/api/Party/10001', body).status).toBe(200);
  });

  it('queued status faults apply to the contact endpoints and are logged as requests', () => {
    const sim = new ImisSimulator({ memberCount: 5 });
    const api = signIn(sim);
    sim.faults.queue({ status: 500, pathPrefix: '/api/Party' });
    sim.faults.queue({ status: 429, pathPrefix: '/api/Party', retryAfterSeconds: 7 });
    const failed = api.post('/api/Party', newPerson());
    expect(failed.status).toBe(500);
    expect(sim.parties()).toHaveLength(5 + 3);
    const throttled = api.get('/api/Party?email=x%40y.org');
    expect([throttled.status, throttled.res.headers['retry-after']]).toEqual([429, '7']);
    expect(api.post('/api/Party', newPerson()).status).toBe(201);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /token',
      'POST /api/Party',
      'GET /api/Party?email=x%40y.org',
      'POST /api/Party',
    ]);
  });
});
