// The EveryAction connector on scripted answers: the Basic header, 201 vs 302, opt-in bodies,
// the match-combination guard, the VANID 404 fallback, 429 waits read from the error text, and
// the export CSV parser.

import { describe, expect, it } from 'vitest';
import { parseExportCsv } from '../../src/connectors/everyaction/changed';
import { EveryActionClient } from '../../src/connectors/everyaction/client';
import { matchCombination, optInOf, peopleTarget } from '../../src/connectors/everyaction/people';
import { budgetFrom } from '../../src/core/budget';
import type { EveryActionConnection, EveryActionPushJob } from '../../src/core/config/types';
import type { HttpRequest, HttpResponse } from '../../src/core/ports';
import type { Payload, PushRow } from '../../src/core/push/types';
import { FakeClock, json, ScriptedHttp } from '../helpers/fakes';

const connection = (mode: 'MyCampaign' | 'VoterFile' = 'MyCampaign'): EveryActionConnection => ({
  system: 'EveryAction',
  name: 'EveryAction',
  url: 'https://api.securevan.com/v4/',
  username: 'SheetsSyncDemo',
  mode,
  secret: 'demo-api-key',
  row: 3,
});

function job(over: Partial<EveryActionPushJob> = {}): EveryActionPushJob {
  return {
    action: 'Push',
    system: 'EveryAction',
    name: 'Volunteers EA',
    enabled: true,
    connection: connection(),
    schedule: 'Hourly',
    source: 'Volunteers',
    target: 'People',
    match: 'Auto',
    mode: 'Liberal',
    parameters: [],
    mappings: [],
    constants: [],
    row: 2,
    ...over,
  };
}

function setup(answer: (req: HttpRequest) => HttpResponse, j = job(), mode: 'MyCampaign' | 'VoterFile' = 'MyCampaign') {
  const clock = new FakeClock();
  const http = new ScriptedHttp(answer);
  const client = new EveryActionClient(connection(mode), { http, clock, budget: budgetFrom(clock, 60_000), random: () => 0.5 });
  return { clock, http, client, target: peopleTarget(client, j) };
}

const row = (payload: Payload, knownId = '', n = 2): PushRow => ({ row: n, payload, knownId });
const body = (r: HttpRequest) => JSON.parse(r.body ?? '{}') as Record<string, unknown>;
const created = (vanId: number) => json(201, { vanId, status: 'UnmatchedStored' }, { location: `https://api.securevan.com/v4/people/${vanId}` });
const matched = (vanId: number) => json(302, { vanId, status: 'Matched' }, { location: `https://api.securevan.com/v4/people/${vanId}` });

describe('EveryAction transport', () => {
  it('signs every request with HTTP Basic: application name, then API key | database mode', () => {
    const t = setup(() => json(200, { message: 'Sheets Sync connection test', dateSent: '2026-01-01T00:00:00Z', delayInMilliseconds: null }));
    expect(t.client.test()).toBe('EveryAction answered the connection test');
    const sent = t.http.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('https://api.securevan.com/v4/echoes');
    expect(sent.headers.Authorization).toBe(`Basic ${Buffer.from('SheetsSyncDemo:demo-api-key|1').toString('base64')}`);
    expect(sent.headers['Content-Type']).toBe('application/json');
    expect(sent.headers['Accept-Encoding']).toBe('gzip, deflate');
    const voter = setup(() => json(200, { message: 'Sheets Sync connection test' }), job(), 'VoterFile');
    voter.client.test();
    expect(voter.http.requests[0]!.headers.Authorization).toBe(`Basic ${Buffer.from('SheetsSyncDemo:demo-api-key|0').toString('base64')}`);
  });

  it('a 401 says the key, application name or mode was not accepted', () => {
    const t = setup(() => json(401, { errors: [{ code: 'UNAUTHORIZED', text: 'Authorization has been denied for this request.' }] }));
    expect(() => t.client.test()).toThrow(/did not accept the application name and API key of connection "EveryAction".*one database mode only \(MyCampaign or VoterFile\)/);
  });

  it('waits as long as the 429 text says when there is no Retry-After', () => {
    let n = 0;
    const t = setup(() => (++n === 1 ? json(429, { errors: [{ code: '429', text: 'Rate limit exceeded. Try again in 2500 ms.' }] }) : created(7)));
    const [out] = t.target.push([row({ Email: 'a@example.org' })], false);
    expect(out).toMatchObject({ outcome: 'Created', id: '7' });
    expect(t.clock.sleeps).toEqual([2500]);
  });
});

describe('EveryAction people', () => {
  it('201 is a new person and 302 a matched one; the VANID comes from the body, the redirect is not followed', () => {
    let n = 0;
    const t = setup(() => (++n === 1 ? created(100000001) : matched(100000002)));
    const out = t.target.push([row({ FirstName: 'Ann', LastName: 'Lee', Email: 'ann@example.org' }), row({ Email: 'bob@example.org' }, '', 3)], false);
    expect(out.map((o) => [o.outcome, o.id])).toEqual([
      ['Created', '100000001'],
      ['Updated', '100000002'],
    ]);
    expect(t.http.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST https://api.securevan.com/v4/people/findOrCreate',
      'POST https://api.securevan.com/v4/people/findOrCreate',
    ]);
  });

  it('a row with a VANID updates that person; a 404 (merged away) falls back to findOrCreate', () => {
    const t = setup((r) => (r.url.endsWith('/people/555') ? json(404, { errors: [{ code: 'NOT_FOUND', text: 'Not found' }] }) : matched(777)));
    const [out] = t.target.push([row({ FirstName: 'Ann', LastName: 'Lee', Email: 'ann@example.org' }, '555')], false);
    expect(out).toMatchObject({ outcome: 'Updated', id: '777' });
    expect(t.http.requests.map((r) => r.url.replace('https://api.securevan.com/v4/', ''))).toEqual(['people/555', 'people/findOrCreate']);
  });

  it('a row without a minimum match combination is skipped and never sent', () => {
    const t = setup(() => created(1));
    expect(t.target.check(row({ FirstName: 'Ann', LastName: 'Lee' }))).toMatch(/^not enough to match safely: .*it would create a duplicate$/);
    expect(t.target.check(row({ FirstName: 'Ann', LastName: 'Lee', Phone: '907-555-0142' }))).toBeNull();
    expect(t.target.check(row({ FirstName: 'Ann', LastName: 'Lee', ZipOrPostalCode: '99501', DateOfBirth: '1980-02-03' }))).toBeNull();
    expect(t.target.check(row({ FirstName: 'Ann', LastName: 'Lee', AddressLine1: '123 Test St', ZipOrPostalCode: '99501' }))).toBeNull();
    expect(t.target.check(row({ FirstName: 'Ann', LastName: 'Lee', AddressLine1: 'Test St', ZipOrPostalCode: '99501' }))).not.toBeNull();
    expect(t.target.check(row({ FirstName: 'Ann' }, '123'))).toBeNull();
    expect(t.http.requests).toEqual([]);
    expect(matchCombination({ Email: 'x@y.org' })).toBe('email');
  });

  it('Match VANID sends only rows that carry one', () => {
    const t = setup(() => matched(1), job({ match: 'VANID' }));
    expect(t.target.check(row({ Email: 'a@example.org' }))).toBe('no VANID (Match is VANID: only rows that carry one are sent)');
    expect(t.target.check(row({ Email: 'a@example.org', VANID: '12' }))).toBeNull();
  });

  describe('opt-in', () => {
    const sent = (payload: Payload, j = job()) => {
      const t = setup(() => created(1), j);
      t.target.push([row(payload)], false);
      return body(t.http.requests[0]!);
    };

    it('TRUE subscribes the email (S) and opts the phone in (I)', () => {
      expect(sent({ Email: 'a@example.org', Phone: '907-555-0142', OptIn: true })).toMatchObject({
        emails: [{ email: 'a@example.org', subscriptionStatus: 'S' }],
        phones: [{ phoneNumber: '907-555-0142', phoneOptInStatus: 'I' }],
      });
    });

    it('FALSE or blank sends the email as neutral (N), never unsubscribed, and leaves SMS alone', () => {
      for (const optIn of [false, 'FALSE', undefined]) {
        const b = sent({ Email: 'a@example.org', Phone: '907-555-0142', ...(optIn === undefined ? {} : { OptIn: optIn }) });
        expect(b.emails).toEqual([{ email: 'a@example.org', type: 'P', subscriptionStatus: 'N' }]);
        expect(b.phones).toEqual([{ phoneNumber: '907-555-0142' }]);
      }
    });

    it('only a cell that says Unsubscribed sends U / O', () => {
      expect(sent({ Email: 'a@example.org', Phone: '907-555-0142', OptIn: 'Unsubscribed' })).toMatchObject({
        emails: [{ subscriptionStatus: 'U' }],
        phones: [{ phoneOptInStatus: 'O' }],
      });
    });

    it('Conservative sends only opted-in rows; anything else in OptIn is a mistake to report', () => {
      const t = setup(() => created(1), job({ mode: 'Conservative' }));
      expect(t.target.check(row({ Email: 'a@example.org', OptIn: false }))).toBe('not opted in (Mode is Conservative: only rows whose OptIn is TRUE are sent)');
      expect(t.target.check(row({ Email: 'a@example.org', OptIn: 'TRUE' }))).toBeNull();
      expect(optInOf({ OptIn: 'maybe' })).toBe('OptIn: "maybe" is not TRUE, FALSE, blank or Unsubscribed');
    });
  });

  it('maps names, address, date of birth, employer and occupation into the person', () => {
    const b = sent2({ FirstName: 'Grace', LastName: 'Testperson', Email: 'g@example.org', AddressLine1: '123 Test St', City: 'Anchorage', StateOrProvince: 'AK', ZipOrPostalCode: '99501', DateOfBirth: '1980-2-3', Employer: 'Acme, Inc.', Occupation: 'Nurse' });
    expect(b).toEqual({
      firstName: 'Grace',
      lastName: 'Testperson',
      dateOfBirth: '1980-02-03',
      employer: 'Acme, Inc.',
      occupation: 'Nurse',
      emails: [{ email: 'g@example.org', type: 'P', subscriptionStatus: 'N' }],
      addresses: [{ addressLine1: '123 Test St', city: 'Anchorage', stateOrProvince: 'AK', zipOrPostalCode: '99501', type: 'Home' }],
    });
  });

  it('a row EveryAction rejects fails alone, with EveryAction’s own text', () => {
    const t = setup((r) =>
      body(r).phones
        ? json(400, { errors: [{ code: 'INVALID_PARAMETER', text: "'phoneNumber' (555) is not a valid phone number for NorthAmerica", properties: ['phones[0].phoneNumber'] }] })
        : created(9),
    );
    const out = t.target.push([row({ Email: 'a@example.org', Phone: '555' }), row({ Email: 'b@example.org' }, '', 3)], false);
    expect(out.map((o) => o.outcome)).toEqual(['Failed', 'Created']);
    expect(out[0]!.message).toBe("EveryAction refused it: 'phoneNumber' (555) is not a valid phone number for NorthAmerica");
  });
});

describe('export files', () => {
  it('parses quoted commas, quotes and newlines as data', () => {
    const csv = 'VanID,FirstName,Employer,Occupation\r\n101,Ann,"Acme, Inc.","Says ""hi""\nand more"\r\n102,Bob,,\r\n';
    expect(parseExportCsv(csv)).toEqual({
      columns: ['VanID', 'FirstName', 'Employer', 'Occupation'],
      rows: [
        { VanID: '101', FirstName: 'Ann', Employer: 'Acme, Inc.', Occupation: 'Says "hi"\nand more' },
        { VanID: '102', FirstName: 'Bob', Employer: '', Occupation: '' },
      ],
    });
  });
});

function sent2(payload: Payload) {
  const t = setup(() => created(1));
  t.target.push([row(payload)], false);
  return body(t.http.requests[0]!);
}

describe('EveryAction preview', () => {
  it('a find answer that names nobody (no vanId, no Location) fails that row; it never asks for person "null"', () => {
    const t = setup(() => json(302, { status: 'Matched' }));
    const [out] = t.target.push([row({ Email: 'who@example.org', FirstName: 'Who', LastName: 'Knows' })], true);
    expect(out).toMatchObject({ outcome: 'Failed', message: expect.stringContaining('no VANID in its answer') });
    expect(t.http.requests.map((r) => r.url)).toEqual([expect.stringMatching(/people\/find$/)]);
  });
});
