// The EveryAction simulator's custom field list and changed-entity exports: job lifecycle, the CSV
// on a separate host fetched without credentials (with commas, quotes and line breaks quoted), the
// 90-day window and excludeChangesFromSelf.

import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import type { HttpRequest, HttpResponse } from '../../src/core/ports';
import { DEMO_CUSTOM_FIELDS, DEMO_PEOPLE, EveryActionSimulator } from '../../src/simulators/everyaction/index';
import { inProcessHttp } from '../../src/simulators/router';

const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AUTH = `Basic ${Buffer.from('SheetsSyncDemo:demo-api-key|1').toString('base64')}`;
const HEADERS = { Authorization: AUTH, 'Content-Type': 'application/json' };

function simulator(o: ConstructorParameters<typeof EveryActionSimulator>[0] = {}) {
  let t = NOW;
  const sim = new EveryActionSimulator({ now: () => t, ...o });
  return { sim, advance: (ms: number) => (t += ms) };
}

function send(sim: EveryActionSimulator, method: HttpRequest['method'], url: string, body?: unknown): { status: number; json: any; res: HttpResponse } {
  const res = sim.handle(body === undefined ? { method, url, headers: HEADERS } : { method, url, headers: HEADERS, body: JSON.stringify(body) });
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, res };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** POSTs a job, polls until Complete, returns the final job body. */
function runExport(sim: EveryActionSimulator, body: object): any {
  const created = send(sim, 'POST', '/changedEntityExportJobs', { resourceType: 'Contacts', ...body });
  expect(created.status).toBe(201);
  for (let i = 0; i < 10; i++) {
    const job = send(sim, 'GET', `/changedEntityExportJobs/${created.json.exportJobId}`).json;
    if (job.jobStatus === 'Complete') return job;
  }
  throw new Error('the export never completed');
}

function downloadRows(sim: EveryActionSimulator, job: any): { header: string[]; rows: Record<string, string>[]; raw: string } {
  const path = new URL(job.files[0].downloadUrl).pathname;
  const res = sim.files({ method: 'GET', url: path, headers: {} });
  expect(res.status).toBe(200);
  const parsed = Papa.parse<Record<string, string>>(res.body, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { header: parsed.meta.fields ?? [], rows: parsed.data, raw: res.body };
}

describe('GET /customFields', () => {
  it('lists the contact custom fields as a bare array, one by id, 404 otherwise', () => {
    const { sim } = simulator();
    const list = send(sim, 'GET', '/customFields?customFieldsGroupType=Contacts');
    expect(list.status).toBe(200);
    expect(Array.isArray(list.json)).toBe(true);
    expect(list.json.map((f: any) => [f.customFieldId, f.customFieldName, f.customFieldTypeId])).toEqual([
      [101, 'Volunteer Interest', 'S'], [102, 'T-shirt size', 'S'], [103, 'Newsletter Topic', 'T'], [104, 'Joined Chapter On', 'D'],
      [105, 'Has Own Car', 'B'], [106, 'Shifts Worked', 'N'], [107, 'Pledge Amount', 'M'],
    ]);
    expect(Object.keys(list.json[0])).toEqual([
      'customFieldId', 'customFieldParentId', 'customFieldName', 'customFieldGroupId', 'customFieldGroupName', 'customFieldGroupType',
      'customFieldTypeId', 'isEditable', 'isExportable', 'maxTextboxCharacters', 'availableValues',
    ]);
    expect(list.json[0]).toMatchObject({ customFieldGroupId: 11, customFieldGroupName: 'Sheets Sync Demo', customFieldGroupType: 'Contacts' });
    expect(list.json[0].availableValues[0]).toEqual({ id: 1, name: 'Phone banking', parentValueId: null });
    expect(send(sim, 'GET', '/customFields').json).toEqual(list.json);
    expect(send(sim, 'GET', '/customFields?customFieldsGroupType=Contributions').json).toEqual([]);
    expect(send(sim, 'GET', '/customFields/103').json).toEqual(list.json[2]);
    expect(send(sim, 'GET', '/customFields/999').status).toBe(404);
    expect(sim.customFields()).toEqual(DEMO_CUSTOM_FIELDS);
  });
});

describe('changed-entity export', () => {
  it('lists resources and Contacts fields', () => {
    const { sim } = simulator();
    expect(send(sim, 'GET', '/changedEntityExportJobs/resources').json).toEqual(['ContactHistory', 'Contacts', 'ContactsActivistCodes', 'Contributions', 'Disbursements']);
    const fields = send(sim, 'GET', '/changedEntityExportJobs/fields/Contacts').json;
    expect(fields[0]).toEqual({ fieldName: 'VanID', fieldType: 'N', maxTextboxCharacters: null, isCoreField: true, availableValues: null });
    expect(fields.filter((f: any) => !f.isCoreField).map((f: any) => f.fieldName)).toContain('EmailSubscriptionStatus');
    expect(send(sim, 'GET', '/changedEntityExportJobs/fields/Frisbees').status).toBe(404);
  });

  it('runs Pending → Complete and serves a quoted CSV without credentials', () => {
    const { sim } = simulator({ exportPolls: 2 });
    const created = send(sim, 'POST', '/changedEntityExportJobs', {
      dateChangedFrom: iso(NOW - 80 * DAY), resourceType: 'Contacts', requestedCustomFieldIds: [101, 103], fileSizeKbLimit: 5000,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      dateChangedFrom: '2026-09-04T15:00:00Z', dateChangedTo: '2026-11-23T15:00:00Z', resourceType: 'Contacts', requestedCustomFieldIds: [101, 103],
      fileSizeKbLimit: 5000, excludeChangesFromSelf: false, jobStatus: 'Pending', files: [], code: null,
    });
    const id = created.json.exportJobId;
    const poll = () => send(sim, 'GET', `/changedEntityExportJobs/${id}`).json;
    expect(poll()).toMatchObject({ exportJobId: id, jobStatus: 'Pending', files: [] });
    expect(poll()).toMatchObject({ jobStatus: 'InProcess', files: [] });
    const done = poll();
    expect(done).toMatchObject({ exportJobId: id, jobStatus: 'Complete', code: null, exportedRecordCount: 40 });
    expect(done.files).toEqual([{ downloadUrl: `http://files.everyaction.invalid/${id}.csv`, dateExpired: '2026-12-13T15:00:00Z' }]);
    expect(poll()).toEqual(done);

    const { header, rows, raw } = downloadRows(sim, done);
    expect(header).toEqual([
      'VanID', 'FirstName', 'LastName', 'MiddleName', 'Email', 'Phone', 'AddressLine1', 'City', 'StateOrProvince', 'ZipOrPostalCode',
      'CountryCode', 'DateOfBirth', 'Employer', 'Occupation', 'DateCreated', 'DateModified', 'CF101', 'CF103',
    ]);
    expect(rows).toHaveLength(40);
    const byId = (vanId: number) => rows.find((r) => r['VanID'] === String(vanId))!;
    expect(byId(DEMO_PEOPLE.harriet.vanId)).toMatchObject({
      FirstName: 'Harriet', Email: DEMO_PEOPLE.harriet.email, Phone: DEMO_PEOPLE.harriet.phone, ZipOrPostalCode: '99501', DateOfBirth: '1975-03-14', CF101: 'Phone banking',
    });
    expect(byId(DEMO_PEOPLE.commaEmployer.vanId)).toMatchObject({ LastName: 'Núñez', Employer: 'Summit Engineering, Inc.', CF103: 'Transit, housing & zoning' });
    expect(byId(DEMO_PEOPLE.newlineOccupation.vanId)).toMatchObject({ LastName: "O'Brien", Occupation: 'Organizer\n"Weekend" shift lead' });
    expect(raw).toContain('"Summit Engineering, Inc."');
    expect(raw).toContain('"Organizer\n""Weekend"" shift lead"');
    expect(raw.split('\r\n')[0]).toBe(header.join(','));

    expect(sim.downloads).toEqual([{ method: 'GET', path: `/${id}.csv`, at: NOW }]);
    expect(sim.requests.every((r) => r.authorization === AUTH)).toBe(true);
  });

  it('follows the download link through an in-process Http that mounts the file host', () => {
    const { sim } = simulator({ exportPolls: 0 });
    const http = inProcessHttp({ '/everyaction/v4/': sim.handle, '/': sim.files });
    const [created] = http.fetchAll([
      { method: 'POST', url: 'http://api.everyaction.invalid/everyaction/v4/changedEntityExportJobs', headers: HEADERS, body: JSON.stringify({ dateChangedFrom: iso(NOW - DAY), resourceType: 'Contacts' }) },
    ]);
    const id = JSON.parse(created!.body).exportJobId;
    const [job] = http.fetchAll([{ method: 'GET', url: `http://api.everyaction.invalid/everyaction/v4/changedEntityExportJobs/${id}`, headers: HEADERS }]);
    const url = JSON.parse(job!.body).files[0].downloadUrl;
    const [file] = http.fetchAll([{ method: 'GET', url, headers: {} }]);
    expect(file!.status).toBe(200);
    expect(file!.headers['content-type']).toBe('text/csv');
    expect(file!.body.startsWith('VanID,FirstName,')).toBe(true);
    expect(sim.downloads[0]!.authorization).toBeUndefined();
  });

  it('exports what changed in the window, by this key only unless excludeChangesFromSelf', () => {
    const { sim, advance } = simulator();
    advance(HOUR);
    const windowStart = NOW + 30 * 60_000;
    const created = send(sim, 'POST', '/people/findOrCreate', { firstName: 'Nia', lastName: 'Okoro', emails: [{ email: 'nia.okoro@example.org' }] }).json.vanId;
    send(sim, 'POST', `/people/${DEMO_PEOPLE.samRiveraOlder.vanId}`, { employer: 'Columbus Metro Library' });
    send(sim, 'POST', `/people/${DEMO_PEOPLE.samRiveraNewer.vanId}`, {}); // no change: not exported
    sim.touch(DEMO_PEOPLE.unsubscribed.vanId, { occupation: 'Harbor pilot' });
    advance(60_000);

    const all = downloadRows(sim, runExport(sim, { dateChangedFrom: iso(windowStart) }));
    expect(all.rows.map((r) => Number(r['VanID']))).toEqual([DEMO_PEOPLE.samRiveraOlder.vanId, DEMO_PEOPLE.unsubscribed.vanId, created]);
    expect(all.rows[0]).toMatchObject({ Employer: 'Columbus Metro Library' });
    expect(all.rows[1]).toMatchObject({ Occupation: 'Harbor pilot', Email: DEMO_PEOPLE.unsubscribed.email });

    const others = runExport(sim, { dateChangedFrom: iso(windowStart), excludeChangesFromSelf: true });
    expect(others.exportedRecordCount).toBe(1);
    expect(downloadRows(sim, others).rows.map((r) => Number(r['VanID']))).toEqual([DEMO_PEOPLE.unsubscribed.vanId]);

    const before = runExport(sim, { dateChangedFrom: iso(NOW - 89 * DAY), dateChangedTo: iso(windowStart) });
    expect(before.exportedRecordCount).toBe(40);
    const requested = downloadRows(sim, runExport(sim, { dateChangedFrom: iso(windowStart), requestedFields: ['EmailSubscriptionStatus'], requestedIds: [DEMO_PEOPLE.unsubscribed.vanId] }));
    expect(requested.header.slice(-1)).toEqual(['EmailSubscriptionStatus']);
    expect(requested.rows).toEqual([expect.objectContaining({ VanID: String(DEMO_PEOPLE.unsubscribed.vanId), EmailSubscriptionStatus: 'U' })]);
  });

  it('refuses a start more than 90 days back and other bad requests', () => {
    const { sim } = simulator();
    const post = (body: object) => send(sim, 'POST', '/changedEntityExportJobs', { resourceType: 'Contacts', ...body });
    const old = post({ dateChangedFrom: iso(NOW - 91 * DAY) });
    expect(old.status).toBe(400);
    expect(old.json.errors[0]).toMatchObject({ code: 'INVALID_PARAMETER', properties: ['dateChangedFrom'] });
    expect(old.json.errors[0].text).toContain('90 days');
    expect(post({}).status).toBe(400);
    expect(post({ dateChangedFrom: 'last tuesday' }).status).toBe(400);
    expect(post({ dateChangedFrom: iso(NOW - DAY), dateChangedTo: iso(NOW + DAY) }).status).toBe(400);
    expect(post({ dateChangedFrom: iso(NOW - DAY), requestedCustomFieldIds: [999] }).json.errors[0].text).toBe('Custom field 999 does not exist.');
    expect(post({ dateChangedFrom: iso(NOW - DAY), requestedFields: ['ShoeSize'] }).status).toBe(400);
    expect(post({ dateChangedFrom: iso(NOW - DAY), fileSizeKbLimit: 10 }).status).toBe(400);
    expect(send(sim, 'POST', '/changedEntityExportJobs', { dateChangedFrom: iso(NOW - DAY), resourceType: 'Frisbees' }).status).toBe(400);
    expect(post({ dateChangedFrom: '2026-11-20' }).status).toBe(201); // a bare date is fine
    expect(send(sim, 'GET', '/changedEntityExportJobs/123').status).toBe(404);
  });

  it('lets download links expire and 404s unknown files', () => {
    const { sim, advance } = simulator({ exportPolls: 0 });
    const job = runExport(sim, { dateChangedFrom: iso(NOW - DAY) });
    const path = new URL(job.files[0].downloadUrl).pathname;
    expect(sim.files({ method: 'GET', url: '/nope.csv', headers: {} }).status).toBe(404);
    advance(21 * DAY);
    const expired = sim.files({ method: 'GET', url: path, headers: {} });
    expect(expired.status).toBe(403);
    expect(expired.body).toContain('AuthenticationFailed');
  });
});
