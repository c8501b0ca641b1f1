// The EveryAction simulator against the recorded NGP VAN wire format: Basic auth with `key|mode`,
// echoes, the match rules of find and findOrCreate (302 on a match, a silent duplicate below the
// threshold), appended contact methods, terminal unsubscribes, validation bodies, $expand policing
// and injected faults.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { HttpRequest } from '../../src/core/ports';
import { DEMO_PEOPLE, EveryActionSimulator, EXPAND_SECTIONS, FIRST_VAN_ID } from '../../src/simulators/everyaction/index';
import { reply, type Reply } from './imis-client';

// Unchanged copies of shared/research/everyaction/ bodies.
const capture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../src/simulators/everyaction/captures/${name}`, import.meta.url), 'utf8'));

const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const AUTH = basic('SheetsSyncDemo', 'demo-api-key|1');
const JSON_HEADERS = { Authorization: AUTH, 'Content-Type': 'application/json', Accept: 'application/json' };


function send(sim: EveryActionSimulator, method: HttpRequest['method'], url: string, body?: unknown, headers: Record<string, string> = JSON_HEADERS): Reply {
  const req: HttpRequest = body === undefined ? { method, url, headers } : { method, url, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
  return reply(sim.handle(req));
}
const post = (sim: EveryActionSimulator, url: string, body: unknown) => send(sim, 'POST', url, body);
const get = (sim: EveryActionSimulator, url: string) => send(sim, 'GET', url);

function simulator(o: ConstructorParameters<typeof EveryActionSimulator>[0] = {}) {
  let t = NOW;
  const sim = new EveryActionSimulator({ now: () => t, ...o });
  return { sim, advance: (ms: number) => (t += ms), now: () => t };
}

const UNAUTHORIZED = { errors: [{ code: 'UNAUTHORIZED', text: 'Authorization has been denied for this request.' }] };
const NOT_FOUND = { errors: [{ code: 'NOT_FOUND', text: 'The specified resource cannot be found.' }] };
const { harriet, samRiveraOlder, samRiveraNewer, unsubscribed, commaEmployer } = DEMO_PEOPLE;

describe('authentication', () => {
  it('accepts Basic applicationName:apiKey|mode and refuses everything else with 401', () => {
    const { sim } = simulator();
    expect(post(sim, '/echoes', { message: 'hi' }).status).toBe(200);
    const refusals = [
      basic('SheetsSyncDemo', 'wrong-key|1'),
      basic('SheetsSyncDemo', 'demo-api-key|0'), // a mode the key was not issued for
      basic('SheetsSyncDemo', 'demo-api-key'), // the |mode forgotten
      basic('SheetsSyncDemo', 'demo-api-key|2'),
      basic('OtherApp', 'demo-api-key|1'),
      'Bearer demo-api-key',
    ];
    for (const authorization of refusals) {
      const r = send(sim, 'POST', '/echoes', { message: 'hi' }, { Authorization: authorization, 'Content-Type': 'application/json' });
      expect(r.status).toBe(401);
      expect(r.json).toEqual(UNAUTHORIZED);
      expect(r.res.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    const none = send(sim, 'POST', '/echoes', { message: 'hi' }, { 'Content-Type': 'application/json' });
    expect([none.status, none.json]).toEqual([401, UNAUTHORIZED]);
  });

  it('takes a key issued for My Voters (mode 0) only with |0, and its own key and name', () => {
    const { sim } = simulator({ mode: 0, applicationName: 'Acme', apiKey: '7c9e6679-7425-40de-944b-e07fc1f90ae7' });
    const headers = (password: string) => ({ Authorization: basic('Acme', password), 'Content-Type': 'application/json' });
    expect(send(sim, 'POST', '/echoes', {}, headers('7c9e6679-7425-40de-944b-e07fc1f90ae7|0')).status).toBe(200);
    expect(send(sim, 'POST', '/echoes', {}, headers('7c9e6679-7425-40de-944b-e07fc1f90ae7|1')).status).toBe(401);
  });

  it('records every request with its Authorization header', () => {
    const { sim, now } = simulator();
    post(sim, '/echoes', {});
    send(sim, 'GET', `/people/${harriet.vanId}`, undefined, {});
    expect(sim.requests).toEqual([
      { method: 'POST', path: '/echoes', at: now(), authorization: AUTH },
      { method: 'GET', path: `/people/${harriet.vanId}`, at: now() },
    ]);
  });

  it('answers paths no route matches before looking at credentials', () => {
    const { sim } = simulator();
    const unknown = send(sim, 'GET', '/people', undefined, {});
    expect([unknown.status, unknown.json]).toEqual([404, NOT_FOUND]);
    const html = send(sim, 'GET', '/people/abc', undefined, {});
    expect(html.status).toBe(404);
    expect(html.res.headers['content-type']).toBe('text/html');
    expect(html.res.body).toContain('<title>404 - File or directory not found.</title>');
    const put = send(sim, 'PUT', `/people/${harriet.vanId}`, {});
    expect(put.status).toBe(405);
    expect(put.json.errors[0].code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('POST /echoes', () => {
  it('round-trips the message as recorded, dated by the clock', () => {
    const { sim } = simulator({ now: () => Date.UTC(2026, 0, 1) });
    const transcript = capture('transcript.echo-round-trips-the-message.json');
    const exchanges = transcript.entries.filter((e: any) => e.kind === 'exchange');
    expect(exchanges).toHaveLength(2);
    for (const e of exchanges) {
      const r = post(sim, e.request.path, e.request.body);
      expect(r.status).toBe(e.response.status);
      expect(r.json).toEqual(e.response.body);
      expect(r.res.headers['content-type']).toBe(e.response.headers['content-type']);
    }
  });

  it('wants a JSON Content-Type on a JSON body', () => {
    const { sim } = simulator();
    const r = send(sim, 'POST', '/echoes', { message: 'x' }, { Authorization: AUTH, 'Content-Type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.json.errors[0]).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(send(sim, 'POST', '/echoes', { message: 'x' }, { Authorization: AUTH }).status).toBe(415);
    expect(send(sim, 'POST', '/echoes', '{not json', JSON_HEADERS).status).toBe(400);
    expect(post(sim, '/echoes', { message: 'x' }).json.message).toBe('x');
  });
});

describe('POST /people/findOrCreate', () => {
  it('creates an unmatched person: 201 UnmatchedStored with a Location', () => {
    const { sim } = simulator();
    const r = post(sim, '/people/findOrCreate', { firstName: 'Grace', lastName: 'Testperson', emails: [{ email: 'grace.testperson@example.com' }] });
    const vanId = FIRST_VAN_ID + 40;
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ vanId, status: 'UnmatchedStored' });
    expect(r.res.headers['location']).toBe(`http://api.everyaction.invalid/everyaction/v4/people/${vanId}`);
    const stored = sim.person(vanId)!;
    expect(stored).toMatchObject({ firstName: 'Grace', lastName: 'Testperson', contactSource: 'API', dateCreated: NOW });
    expect(stored.emails).toEqual([{ email: 'grace.testperson@example.com', type: 'P', isPreferred: true, subscriptionStatus: 'S', dateCreated: NOW }]);
    expect(sim.people()).toHaveLength(41);
  });

  it('matches an existing person: 302 Matched with a Location, nothing created', () => {
    const { sim } = simulator({ apiBaseUrl: 'https://api.securevan.com/v4/' });
    const r = post(sim, '/people/findOrCreate', { firstName: 'Harriet', lastName: 'Kowalski', emails: [{ email: harriet.email }] });
    expect(r.status).toBe(302);
    expect(r.json).toEqual({ vanId: harriet.vanId, status: 'Matched' });
    expect(r.res.headers['location']).toBe(`https://api.securevan.com/v4/people/${harriet.vanId}`);
    expect(sim.people()).toHaveLength(40);
  });

  it('matches case- and accent-insensitively', () => {
    const { sim } = simulator();
    const upper = post(sim, '/people/findOrCreate', { firstName: 'HARRIET', lastName: 'kowalski', emails: [{ email: 'Harriet.Kowalski@EXAMPLE.com' }] });
    expect([upper.status, upper.json.vanId]).toEqual([302, harriet.vanId]);
    const plain = post(sim, '/people/findOrCreate', { firstName: 'Jose', lastName: 'Nunez', emails: [{ email: commaEmployer.email }] });
    expect([plain.status, plain.json.vanId]).toEqual([302, commaEmployer.vanId]);
  });

  it('creates a silent duplicate below the match threshold (a name alone), as recorded', () => {
    const { sim } = simulator();
    const recorded = capture('transcript.findorcreate-below-threshold-creates-a-duplicate.json').entries.filter((e: any) => e.role === 'subject')[0];
    expect(recorded.response.status).toBe(201);
    const r = post(sim, '/people/findOrCreate', { firstName: 'Harriet', lastName: 'Kowalski' });
    expect(r.status).toBe(201);
    expect(r.json.status).toBe(recorded.response.body.status);
    expect(r.res.headers['location']).toMatch(/\/people\/\d+$/);
    const harriets = sim.people().filter((p) => p.firstName === 'Harriet' && p.lastName === 'Kowalski');
    expect(harriets.map((p) => p.vanId)).toEqual([harriet.vanId, r.json.vanId]);
    // Name + date of birth and name + zip are below the threshold too.
    expect(post(sim, '/people/findOrCreate', { firstName: 'Harriet', lastName: 'Kowalski', dateOfBirth: harriet.dateOfBirth }).status).toBe(201);
    expect(post(sim, '/people/findOrCreate', { firstName: 'Harriet', lastName: 'Kowalski', addresses: [{ zipOrPostalCode: harriet.zip }] }).status).toBe(201);
    // An empty body is a blank person.
    expect(post(sim, '/people/findOrCreate', {}).status).toBe(201);
  });

  it('needs every supplied criterion to agree: a wrong first name creates a new person', () => {
    const { sim } = simulator();
    const r = post(sim, '/people/findOrCreate', { firstName: 'Gregory', lastName: 'Kowalski', emails: [{ email: harriet.email }] });
    expect(r.status).toBe(201);
    expect(r.json.vanId).not.toBe(harriet.vanId);
  });

  it('updates the matched person with the payload', () => {
    const { sim, advance, now } = simulator();
    advance(60_000);
    const r = post(sim, '/people/findOrCreate', {
      firstName: 'Harriet', lastName: 'Kowalski', employer: 'Alaska Humanities Forum', emails: [{ email: harriet.email }],
      phones: [{ phoneNumber: '907-555-0199', phoneType: 'W' }],
    });
    expect(r.status).toBe(302);
    const p = sim.person(harriet.vanId)!;
    expect(p.employer).toBe('Alaska Humanities Forum');
    expect(p.phones.map((ph) => ph.phoneNumber)).toEqual([harriet.phone, '9075550199']);
    expect(p.emails).toHaveLength(1);
    expect(p.dateModified).toBe(now());
  });

  it('lets a known vanId decide and ignores an unknown one', () => {
    const { sim } = simulator();
    const byId = post(sim, '/people/findOrCreate', { vanId: samRiveraNewer.vanId, emails: [{ email: harriet.email }] });
    expect([byId.status, byId.json.vanId]).toEqual([302, samRiveraNewer.vanId]);
    const unknownId = post(sim, '/people/findOrCreate', { vanId: 2147483646, firstName: 'Harriet', lastName: 'Kowalski', emails: [{ email: harriet.email }] });
    expect([unknownId.status, unknownId.json.vanId]).toEqual([302, harriet.vanId]);
  });
});

describe('POST /people/find', () => {
  it('answers 302 Matched or a 404 Unmatched stub, and never creates', () => {
    const { sim } = simulator();
    const hit = post(sim, '/people/find', { firstName: 'Harriet', lastName: 'Kowalski', emails: [{ email: harriet.email }] });
    expect([hit.status, hit.json]).toEqual([302, { vanId: harriet.vanId, status: 'Matched' }]);
    expect(hit.res.headers['location']).toMatch(new RegExp(`/people/${harriet.vanId}$`));
    const miss = post(sim, '/people/find', { emails: [{ email: 'nobody@example.com' }] });
    expect([miss.status, miss.json]).toEqual([404, { vanId: null, status: 'Unmatched' }]);
    expect(sim.people()).toHaveLength(40);
  });

  it('matches only the minimum combinations', () => {
    const { sim } = simulator();
    const find = (body: object) => post(sim, '/people/find', body).status;
    const name = { firstName: 'Harriet', lastName: 'Kowalski' };
    const home = { addressLine1: harriet.addressLine1, city: 'Springfield', stateOrProvince: 'AK', zipOrPostalCode: harriet.zip };
    expect(find({ ...name, phones: [{ phoneNumber: '(907) 555-4242' }] })).toBe(302);
    expect(find({ ...name, dateOfBirth: harriet.dateOfBirth, addresses: [{ zipOrPostalCode: harriet.zip }] })).toBe(302);
    expect(find({ ...name, addresses: [home] })).toBe(302);
    expect(find({ emails: [{ email: harriet.email }] })).toBe(302);
    expect(find({ phones: [{ phoneNumber: '9075554242' }] })).toBe(302);
    expect(find(name)).toBe(404);
    expect(find({ ...name, dateOfBirth: harriet.dateOfBirth })).toBe(404);
    expect(find({ ...name, addresses: [{ zipOrPostalCode: harriet.zip }] })).toBe(404);
    expect(find({ addresses: [home] })).toBe(404);
    expect(find({ ...name, addresses: [{ ...home, addressLine1: 'Evergreen Terrace' }] })).toBe(404); // no street number
    expect(find({ ...name, addresses: [{ ...home, zipOrPostalCode: '99502' }] })).toBe(404);
    expect(find({ ...name, dateOfBirth: '1975-03-15', emails: [{ email: harriet.email }] })).toBe(404);
    expect(find({ vanId: harriet.vanId, firstName: 'Nobody' })).toBe(302);
  });

  it('picks the oldest duplicate for name-based criteria and the newest for email alone', () => {
    const { sim } = simulator();
    // A third Sam Rivera, then give them the older Sam's email.
    const third = post(sim, '/people/findOrCreate', { firstName: 'Sam', lastName: 'Rivera' }).json.vanId;
    expect(post(sim, `/people/${third}`, { emails: [{ email: samRiveraOlder.email }] }).status).toBe(302);
    const byName = post(sim, '/people/find', { firstName: 'Sam', lastName: 'Rivera', emails: [{ email: samRiveraOlder.email }] });
    expect(byName.json.vanId).toBe(samRiveraOlder.vanId);
    const byEmail = post(sim, '/people/find', { emails: [{ email: samRiveraOlder.email }] });
    expect(byEmail.json.vanId).toBe(third);
    // The two seeded Sams have different emails: each email finds its own.
    expect(post(sim, '/people/find', { firstName: 'Sam', lastName: 'Rivera', emails: [{ email: samRiveraNewer.email }] }).json.vanId).toBe(samRiveraNewer.vanId);
  });
});

describe('POST /people/{vanId}', () => {
  it('appends emails, moves the preferred flag to the new one, and never duplicates (recorded)', () => {
    const { sim } = simulator({ now: () => Date.UTC(2026, 0, 1) });
    const transcript = capture('transcript.update-appends-contact-methods.json');
    const exchanges = transcript.entries.filter((e: any) => e.kind === 'exchange');
    const created = post(sim, '/people/findOrCreate', exchanges[0].request.body);
    expect(created.status).toBe(201);
    const vanId = created.json.vanId;
    const scope = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll('100000001', String(vanId)));
    for (const e of exchanges.slice(1)) {
      const url = e.request.url.replace('100000001', String(vanId));
      const r = e.request.method === 'POST' ? post(sim, url, e.request.body) : get(sim, url);
      expect(r.status).toBe(e.response.status);
      const recorded = scope(e.response.body);
      if (e.request.method === 'POST') {
        expect(r.json).toEqual(recorded);
        expect(r.res.headers['location']).toMatch(new RegExp(`/people/${vanId}$`));
      } else {
        expect(Object.keys(r.json)).toEqual(Object.keys(recorded));
        expect(r.json.emails).toEqual(recorded.emails);
        expect(r.json).toMatchObject({ phones: null, addresses: null, customFields: null, contactSource: 'API', salutation: 'Imani' });
      }
    }
  });

  it('appends phones without duplicating a number written another way', () => {
    const { sim } = simulator();
    expect(post(sim, `/people/${harriet.vanId}`, { phones: [{ phoneNumber: '1 (907) 555-4242' }, { phoneNumber: '907.555.0101', phoneType: 'H' }] }).status).toBe(302);
    expect(post(sim, `/people/${harriet.vanId}`, { phones: [{ phoneNumber: '9075550101' }] }).status).toBe(302);
    const p = sim.person(harriet.vanId)!;
    expect(p.phones.map((ph) => ph.phoneNumber)).toEqual(['9075554242', '9075550101']);
    expect(p.phones.map((ph) => ph.isPreferred)).toEqual([true, false]); // a new phone never takes the flag implicitly
  });

  it('keeps scalars left out, treats {} as a no-op and 404s unknown ids', () => {
    const { sim, advance } = simulator();
    const before = sim.person(harriet.vanId)!;
    advance(3_600_000);
    const noop = post(sim, `/people/${harriet.vanId}`, {});
    expect([noop.status, noop.json]).toEqual([302, { vanId: harriet.vanId, status: 'Matched' }]);
    expect(sim.person(harriet.vanId)).toEqual(before);
    expect(post(sim, `/people/${harriet.vanId}`, { middleName: 'Quinn' }).status).toBe(302);
    expect(sim.person(harriet.vanId)).toMatchObject({ middleName: 'Quinn', employer: before.employer, occupation: before.occupation });
    for (const id of ['2147483646', '0', '-5']) {
      const r = post(sim, `/people/${id}`, { firstName: 'Nobody' });
      expect([r.status, r.json]).toEqual([404, NOT_FOUND]);
    }
    const html = post(sim, '/people/dwid:123', {});
    expect([html.status, html.res.headers['content-type']]).toEqual([404, 'text/html']);
  });

  it('keeps an unsubscribe for ever; N never downgrades S; S is the default', () => {
    const { sim } = simulator();
    const emailOf = (vanId: number, email: string) => sim.person(vanId)!.emails.find((e) => e.email === email)!;
    expect(emailOf(unsubscribed.vanId, unsubscribed.email).subscriptionStatus).toBe('U');
    post(sim, `/people/${unsubscribed.vanId}`, { emails: [{ email: unsubscribed.email, subscriptionStatus: 'S' }] });
    post(sim, `/people/${unsubscribed.vanId}`, { emails: [{ email: unsubscribed.email.toUpperCase(), subscriptionStatus: 'N' }] });
    post(sim, `/people/${unsubscribed.vanId}`, { emails: [{ email: unsubscribed.email, isSubscribed: true }] });
    expect(emailOf(unsubscribed.vanId, unsubscribed.email).subscriptionStatus).toBe('U');
    expect(sim.person(unsubscribed.vanId)!.emails).toHaveLength(1);

    post(sim, `/people/${harriet.vanId}`, { emails: [{ email: harriet.email, subscriptionStatus: 'N' }] });
    expect(emailOf(harriet.vanId, harriet.email).subscriptionStatus).toBe('S');
    post(sim, `/people/${harriet.vanId}`, { emails: [{ email: 'h.k@example.net', subscriptionStatus: 'N' }, { email: 'hk@example.org', isSubscribed: false }] });
    expect(emailOf(harriet.vanId, 'h.k@example.net').subscriptionStatus).toBe('N');
    expect(emailOf(harriet.vanId, 'hk@example.org').subscriptionStatus).toBe('U');
    post(sim, `/people/${harriet.vanId}`, { emails: [{ email: 'h.k@example.net', subscriptionStatus: 'S' }, { email: 'hk@example.org', subscriptionStatus: 'S' }] });
    expect(emailOf(harriet.vanId, 'h.k@example.net').subscriptionStatus).toBe('S');
    expect(emailOf(harriet.vanId, 'hk@example.org').subscriptionStatus).toBe('U');

    const both = post(sim, `/people/${harriet.vanId}`, { emails: [{ email: harriet.email, isSubscribed: true, subscriptionStatus: 'S' }] });
    expect(both.status).toBe(400);
    expect(both.json.errors[0]).toMatchObject({ code: 'INVALID_PARAMETER', properties: ['emails[0]'] });
  });

  it('stores SMS opt-in, reads it back in words, and keeps an opt-out', () => {
    const { sim } = simulator();
    post(sim, `/people/${samRiveraOlder.vanId}`, { phones: [{ phoneNumber: '614-555-0142', phoneType: 'C', phoneOptInStatus: 'I' }] });
    const phones = () => get(sim, `/people/${samRiveraOlder.vanId}?$expand=phones`).json.phones;
    expect(phones()).toEqual([
      expect.objectContaining({ phoneNumber: '6145550142', phoneType: 'Personal', deviceType: 'Cell', isBest: true, smsOptInStatus: 'Opt-In', phoneOptInStatus: 'Opt-In' }),
    ]);
    post(sim, `/people/${samRiveraOlder.vanId}`, { phones: [{ phoneNumber: '6145550142', phoneOptInStatus: 'O' }] });
    post(sim, `/people/${samRiveraOlder.vanId}`, { phones: [{ phoneNumber: '6145550142', phoneOptInStatus: 'I' }] });
    expect(phones()[0]).toMatchObject({ smsOptInStatus: 'Opt-Out', phoneOptInStatus: 'Opt-Out' });
  });

  it('refuses an invalid phone with the recorded error shape and changes nothing', () => {
    const { sim } = simulator();
    const recorded = capture('error-400-invalid-phone.van-openapi-example.json');
    const before = sim.person(harriet.vanId);
    const r = post(sim, `/people/${harriet.vanId}`, { employer: 'Changed', phones: [{ phoneNumber: '555' }] });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ errors: [{ ...recorded.errors[0], properties: ['phones[0].phoneNumber'] }] });
    expect(Object.keys(r.json.errors[0])).toEqual(Object.keys(recorded.errors[0]));
    expect(sim.person(harriet.vanId)).toEqual(before);
    // 1 + a valid area code and exchange passes; 0 or 1 at the start of the exchange does not.
    expect(post(sim, `/people/${harriet.vanId}`, { phones: [{ phoneNumber: '+1 907-555-0100' }] }).status).toBe(302);
    expect(post(sim, `/people/${harriet.vanId}`, { phones: [{ phoneNumber: '907-155-0100' }] }).status).toBe(400);
    expect(post(sim, `/people/${harriet.vanId}`, { phones: [{ phoneNumber: '9075550100', ext: '1234567' }] }).json.errors[0].text).toBe(
      "'ext' must be between 0 and 6 characters",
    );
  });

  it('refuses a malformed email, drops an unparseable birth date, refuses a 19th-century one', () => {
    const { sim } = simulator();
    const bad = post(sim, `/people/${samRiveraOlder.vanId}`, { emails: [{ email: 'not-an-address' }] });
    expect(bad.json).toEqual({ errors: [{ code: 'INVALID_PARAMETER', text: "'email' is not a valid email address", properties: ['emails[0].email'] }] });
    expect(post(sim, `/people/${samRiveraOlder.vanId}`, { dateOfBirth: 'sometime in spring' }).status).toBe(302);
    expect(sim.person(samRiveraOlder.vanId)!.dateOfBirth).toBeNull();
    expect(post(sim, `/people/${samRiveraOlder.vanId}`, { dateOfBirth: '1850-01-01' }).json.errors[0].text).toBe(
      "'dateOfBirth' must be in the 20th or 21st century.",
    );
    expect(post(sim, `/people/${samRiveraOlder.vanId}`, { dateOfBirth: '1990-07-04' }).status).toBe(302);
    expect(get(sim, `/people/${samRiveraOlder.vanId}`).json.dateOfBirth).toBe('1990-07-04T00:00:00Z');
  });

  it('writes custom field values, checked against the field type', () => {
    const { sim } = simulator();
    const write = (values: object[]) => post(sim, `/people/${samRiveraOlder.vanId}`, { customFieldValues: values });
    const unknown = write([{ customFieldId: 999, customFieldGroupId: 11, assignedValue: 'x' }]);
    expect([unknown.status, unknown.json]).toEqual([
      400,
      { errors: [{ code: 'INVALID_PARAMETER', text: 'Custom field 999 does not exist.', properties: ['customFieldValues[0].customFieldId'] }] },
    ]);
    expect(write([{ customFieldId: 101, customFieldGroupId: 11, assignedValue: 'Knitting' }]).status).toBe(400);
    expect(write([{ customFieldId: 103, customFieldGroupId: 11, assignedValue: 'x'.repeat(51) }]).status).toBe(400);
    expect(write([{ customFieldId: 104, customFieldGroupId: 11, assignedValue: '2026-02-30' }]).status).toBe(400);
    expect(write([{ customFieldId: 105, customFieldGroupId: 11, assignedValue: 'maybe' }]).status).toBe(400);
    expect(write([{ customFieldId: 107, customFieldGroupId: 11, assignedValue: 12.345 }]).status).toBe(400);
    expect(write([{ customFieldId: 101, customFieldGroupId: 12, assignedValue: 2 }]).status).toBe(400);
    const ok = write([
      { customFieldId: 101, customFieldGroupId: 11, assignedValue: 'canvassing' },
      { customFieldId: 102, customFieldGroupId: 11, assignedValue: '8' },
      { customFieldId: 104, customFieldGroupId: 11, assignedValue: '2026-03-01' },
      { customFieldId: 105, customFieldGroupId: 11, assignedValue: false },
      { customFieldId: 107, customFieldGroupId: 11, assignedValue: '25.5' },
    ]);
    expect(ok.status).toBe(302);
    expect(get(sim, `/people/${samRiveraOlder.vanId}?$expand=customFields`).json.customFields).toEqual([
      { customFieldId: 101, customFieldGroupId: 11, assignedValue: '2' },
      { customFieldId: 102, customFieldGroupId: 11, assignedValue: '8' },
      { customFieldId: 104, customFieldGroupId: 11, assignedValue: '2026-03-01' },
      { customFieldId: 105, customFieldGroupId: 11, assignedValue: 'false' },
      { customFieldId: 107, customFieldGroupId: 11, assignedValue: '25.50' },
    ]);
  });
});

describe('GET /people/{vanId}', () => {
  it('leaves collections null unless expanded and reads back in the current shape', () => {
    const { sim } = simulator();
    const plain = get(sim, `/people/${harriet.vanId}`);
    expect(plain.status).toBe(200);
    expect(plain.json).toMatchObject({ vanId: harriet.vanId, firstName: 'Harriet', emails: null, phones: null, addresses: null, customFields: null });
    expect(plain.json.dateOfBirth).toBe('1975-03-14T00:00:00Z');

    const recorded = capture('person-get-expanded.van-openapi-example.json');
    const full = get(sim, `/people/${harriet.vanId}?%24expand=emails,phones,addresses,customFields`).json;
    expect(Object.keys(full.phones[0])).toEqual(Object.keys(recorded.phones[0]));
    expect(Object.keys(full.addresses[0])).toEqual(Object.keys(recorded.addresses[0]));
    expect(Object.keys(full.emails[0])).toEqual(Object.keys(recorded.emails[0]));
    expect(full.phones[0]).toMatchObject({
      phoneNumber: harriet.phone, dialingPrefix: '1', countryCode: 'US', phoneType: 'Personal', deviceType: 'Cell',
      isPreferred: true, isBest: true, smsOptInStatus: 'Opt-In', phoneOptInStatus: 'Opt-In',
    });
    expect(full.emails[0]).toMatchObject({ email: harriet.email, isSubscribed: true, subscriptionStatus: 'S', isPreferred: true });
    // One home address fills both slots, sharing its id.
    expect(full.addresses.map((a: any) => [a.type, a.addressId, a.isPreferred, a.addressLine1])).toEqual([
      ['Voting', full.addresses[0].addressId, true, harriet.addressLine1],
      ['Mailing', full.addresses[0].addressId, true, harriet.addressLine1],
    ]);
    expect(full.customFields).toEqual([
      { customFieldId: 101, customFieldGroupId: 11, assignedValue: '1' },
      { customFieldId: 102, customFieldGroupId: 11, assignedValue: '7' },
    ]);
    const unsub = get(sim, `/people/${unsubscribed.vanId}?$expand=emails`).json.emails[0];
    expect([unsub.isSubscribed, unsub.subscriptionStatus]).toEqual([false, 'U']);
    const none = get(sim, `/people/${samRiveraOlder.vanId}?$expand=phones`).json;
    expect([none.phones, none.emails]).toEqual([[], null]);
  });

  it('polices the $expand set with the recorded bodies', () => {
    const { sim } = simulator();
    const transcript = capture('transcript.person-expand-set-is-policed.json');
    const subjects = transcript.entries.filter((e: any) => e.role === 'subject');
    expect(subjects).toHaveLength(3);
    for (const e of subjects) {
      const r = get(sim, e.request.url.replace('100000001', String(harriet.vanId)));
      expect(r.status).toBe(e.response.status);
      expect(r.json).toEqual(e.response.body);
    }
    expect(subjects[0].response.body.errors[0].hint).toContain(EXPAND_SECTIONS.map((s) => `'${s}'`).join(', '));
    const every = EXPAND_SECTIONS.filter((s) => s !== 'scores' && s !== 'pollingLocation').join(',');
    expect(get(sim, `/people/${harriet.vanId}?$expand=${every}`).status).toBe(200);
  });

  it('404s unknown, zero and negative ids with the envelope', () => {
    const { sim } = simulator();
    for (const id of ['2147483646', '0', '-1']) expect(get(sim, `/people/${id}`).json).toEqual(NOT_FOUND);
    expect(get(sim, '/people/99999999999').res.headers['content-type']).toBe('text/html');
  });
});

describe('staff changes', () => {
  it('touch() applies a change made inside EveryAction and dates it', () => {
    const { sim, advance, now } = simulator();
    advance(5 * 60_000);
    sim.touch(harriet.vanId, { occupation: 'Archivist' });
    const p = sim.person(harriet.vanId)!;
    expect(p.occupation).toBe('Archivist');
    expect(p.dateModified).toBe(now());
    expect(p.changes[p.changes.length - 1]).toEqual({ at: now(), bySelf: false });
    expect(() => sim.touch(1, {})).toThrow(/no person 1/);
    expect(() => sim.touch(harriet.vanId, { phones: [{ phoneNumber: '12' }] })).toThrow(/not a valid phone number/);
  });
});

describe('faults', () => {
  it('answers 429 with the wait in the text and no Retry-After', () => {
    const { sim } = simulator();
    sim.faults.queue({ status: 429, waitMs: 1200, pathPrefix: '/people/findOrCreate' });
    expect(post(sim, '/echoes', {}).status).toBe(200);
    const r = post(sim, '/people/findOrCreate', { emails: [{ email: harriet.email }] });
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ errors: [{ code: '429', text: 'Rate limit exceeded. Try again in 1200 ms.' }] });
    expect(Object.keys(r.res.headers).map((h) => h.toLowerCase())).not.toContain('retry-after');
    expect(post(sim, '/people/findOrCreate', { emails: [{ email: harriet.email }] }).status).toBe(302);

    sim.faults.queue({ status: 429 });
    expect(post(sim, '/echoes', {}).json).toEqual(capture('error-429-response.van-openapi-example.json'));
  });

  it('injects 500 with a reference code, 503 and 401, and every Nth request', () => {
    const { sim } = simulator();
    sim.faults.queue({ status: 500, times: 2 });
    const first = post(sim, '/echoes', {});
    expect(first.status).toBe(500);
    expect(first.json.errors[0]).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(first.json.errors[0].referenceCode).toMatch(/^[0-9A-F]+$/);
    expect(post(sim, '/echoes', {}).status).toBe(500);
    expect(post(sim, '/echoes', {}).status).toBe(200);
    sim.faults.queue({ status: 503 });
    expect(post(sim, '/echoes', {}).res.headers['content-type']).toBe('text/html');
    sim.faults.queue({ status: 401 });
    expect(post(sim, '/echoes', {}).json).toEqual(UNAUTHORIZED);

    const { sim: other } = simulator();
    other.faults.rateLimitEvery = 3;
    other.faults.errorEvery = 5;
    const statuses = Array.from({ length: 10 }, () => post(other, '/echoes', {}).status);
    expect(statuses).toEqual([200, 200, 429, 200, 500, 429, 200, 200, 429, 500]);
  });

  it('answers 500 for a null entry in a contact list', () => {
    const { sim } = simulator();
    const r = post(sim, `/people/${harriet.vanId}`, { phones: [null] });
    expect(r.status).toBe(500);
    expect(r.json.errors[0].code).toBe('INTERNAL_SERVER_ERROR');
  });
});
