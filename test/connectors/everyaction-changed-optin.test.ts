// The changed-people source on scripted EveryAction answers shaped like the researched bodies
// (Parsons' field list mock, the daisychain export job, the person record's status spellings):
// it asks for the opt-in statuses only where the export offers them and for the mapped custom
// fields, and hands the pull the statuses in words and custom fields under their EveryAction names.

import { describe, expect, it } from 'vitest';
import { changedPeopleSource } from '../../src/connectors/everyaction/changed';
import { EveryActionClient } from '../../src/connectors/everyaction/client';
import { budgetFrom } from '../../src/core/budget';
import type { EveryActionConnection, EveryActionPullJob, Mapping } from '../../src/core/config/types';
import { SyncError } from '../../src/core/errors';
import type { HttpRequest, HttpResponse } from '../../src/core/ports';
import { FakeClock, json, MemoryStore, ScriptedHttp } from '../helpers/fakes';
import { imisRun, jobRow } from '../helpers/imis-run';
import { HEADERS } from '../../src/core/config/types';

const connection: EveryActionConnection = {
  system: 'EveryAction', name: 'EveryAction', url: 'https://api.securevan.com/v4/', username: 'SheetsSyncDemo', mode: 'MyCampaign', secret: 'k', row: 3,
};

function job(mappings: [string, string][] = [], mode: EveryActionPullJob['mode'] = 'Liberal'): EveryActionPullJob {
  const rows: Mapping[] = mappings.map(([column, field], i) => ({ column, field, required: false, transform: null, row: i + 2 }));
  return {
    action: 'Pull', system: 'EveryAction', name: 'Changes', enabled: true, connection, schedule: 'Hourly', source: 'Changed people',
    target: 'People', key: 'VANID', mode, parameters: [], mappings: rows, constants: [], row: 2,
  };
}

/** GET /changedEntityExportJobs/fields/Contacts in the shape of Parsons' mock (fieldName, fieldType, isCoreField…). */
const field = (fieldName: string, isCoreField: boolean) => ({ fieldName, fieldType: 'T', maxTextboxCharacters: null, isCoreField, availableValues: null });
const WITH_STATUSES = [field('VanID', true), field('FirstName', true), field('EmailSubscriptionStatus', false), field('PhoneOptInStatus', false)];

/** GET /customFields?customFieldsGroupType=Contacts, in the shape of research §4. */
const CUSTOM_FIELDS = [
  { customFieldId: 101, customFieldParentId: null, customFieldName: 'Volunteer Interest', customFieldGroupId: 11, customFieldGroupName: 'Demo', customFieldGroupType: 'Contacts', customFieldTypeId: 'S', isEditable: true, isExportable: true, maxTextboxCharacters: null, availableValues: [{ id: 1, name: 'Phone banking', parentValueId: null }] },
  { customFieldId: 103, customFieldParentId: null, customFieldName: 'Newsletter Topic', customFieldGroupId: 11, customFieldGroupName: 'Demo', customFieldGroupType: 'Contacts', customFieldTypeId: 'T', isEditable: true, isExportable: true, maxTextboxCharacters: 50, availableValues: null },
];

/** The daisychain fixture's completed export job (changedEntityExportJob-response), its link on the blob host. */
const COMPLETE = {
  exportJobId: 555444333, dateChangedFrom: '2026-06-01T00:00:00Z', dateChangedTo: '2026-06-30T00:00:00Z',
  files: [{ downloadUrl: 'https://ngpvan.blob.core.windows.net/changedentities/555444333.csv', dateExpired: '2026-07-06T00:00:00Z' }],
  jobStatus: 'Complete', message: null, code: null, exportedRecordCount: 42,
};

function setup(fields: unknown, csv: string) {
  const clock = new FakeClock();
  const answer = (req: HttpRequest): HttpResponse => {
    if (req.url.endsWith('changedEntityExportJobs/fields/Contacts')) return json(200, fields);
    if (req.url.includes('customFields')) return json(200, CUSTOM_FIELDS);
    if (req.method === 'POST') return json(201, { ...COMPLETE, files: [], jobStatus: 'Pending', message: 'Created export job', exportedRecordCount: 0 });
    if (req.url.endsWith('.csv')) return { status: 200, headers: { 'content-type': 'text/csv' }, body: csv };
    return json(200, COMPLETE);
  };
  const http = new ScriptedHttp(answer);
  const client = new EveryActionClient(connection, { http, clock, budget: budgetFrom(clock, 60_000), random: () => 0.5 });
  const source = changedPeopleSource(client, new MemoryStore(), connection, () => clock.now(), (ms) => clock.advance(ms));
  const exportBody = () => JSON.parse(http.requests.find((r) => r.method === 'POST')!.body ?? '{}') as Record<string, unknown>;
  return { http, source, exportBody };
}

const CSV = [
  'VanID,FirstName,EmailSubscriptionStatus,PhoneOptInStatus,CF101',
  '100000001,Harriet,S,Opt-In,Phone banking',
  '100000004,Dana,U,,',
  '100000006,Siobhán,N,Unknown,',
  '100000035,Omar,N,Opt-Out,',
  // the phone's write codes, in case the file holds those rather than the words
  '100000036,Maria,S,I,',
  '100000037,Theo,,O,',
].join('\r\n');

describe('what the export is asked for', () => {
  it('names the statuses the field list offers as requestedFields, and the mapped custom fields as requestedCustomFieldIds', () => {
    const t = setup(WITH_STATUSES, CSV);
    t.source.read(job([['VANID', 'VanID'], ['Interest', 'CustomField:101'], ['Topic', 'newsletter topic']]), [], {});
    expect(t.http.requests.map((r) => `${r.method} ${r.url.replace(connection.url, '')}`).slice(0, 3)).toEqual([
      'GET changedEntityExportJobs/fields/Contacts',
      'GET customFields?customFieldsGroupType=Contacts',
      'POST changedEntityExportJobs',
    ]);
    expect(t.exportBody()).toMatchObject({ resourceType: 'Contacts', requestedFields: ['EmailSubscriptionStatus', 'PhoneOptInStatus'], requestedCustomFieldIds: [101, 103], excludeChangesFromSelf: true });
  });

  it('without custom fields in Mappings it asks for none and reads no custom field list', () => {
    const t = setup(WITH_STATUSES, CSV);
    t.source.read(job(), [], {});
    expect(t.http.requests.some((r) => r.url.includes('customFields'))).toBe(false);
    expect(t.exportBody()).not.toHaveProperty('requestedCustomFieldIds');
  });

  it('an export that offers neither status is not asked for them, and the tab gets no such columns', () => {
    const t = setup([field('VanID', true), field('FirstName', true)], 'VanID,FirstName\r\n100000001,Harriet\r\n');
    const rows = t.source.read(job(), [], {});
    expect(t.exportBody()).not.toHaveProperty('requestedFields');
    expect(rows.columns).toEqual(['VanID', 'FirstName']);
    expect(rows.rows).toEqual([{ VanID: '100000001', FirstName: 'Harriet' }]);
  });

  it('a status that is a core field comes without being requested', () => {
    const t = setup([field('VanID', true), field('EmailSubscriptionStatus', true)], 'VanID,EmailSubscriptionStatus\r\n100000001,S\r\n');
    const rows = t.source.read(job(), [], {});
    expect(t.exportBody()).not.toHaveProperty('requestedFields');
    expect(rows.rows).toEqual([{ VanID: '100000001', 'Email Subscription': 'Subscribed' }]);
  });

  it('a custom field name EveryAction does not have stops the job at its Mappings row, before any export', () => {
    const t = setup(WITH_STATUSES, CSV);
    let thrown: unknown;
    try {
      t.source.read(job([['VANID', 'VanID'], ['Interest', 'Volunter Interest']]), [], {});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SyncError);
    expect((thrown as SyncError).code).toBe('config');
    expect((thrown as Error).message).toBe(
      `Mappings row 3, Field: "Volunter Interest" is neither a column of EveryAction's changed-people export nor the name of one of its contact custom fields (did you mean "Volunteer Interest"?)`,
    );
    expect(t.http.requests.some((r) => r.method === 'POST')).toBe(false);
  });
});

describe('what the pull receives', () => {
  it('the statuses in words under "Email Subscription" and "SMS Opt-In", a custom field under its EveryAction name', () => {
    const t = setup(WITH_STATUSES, CSV);
    const rows = t.source.read(job([['VANID', 'VanID'], ['Interest', 'CustomField:101']]), [], {});
    expect(rows.columns).toEqual(['VanID', 'FirstName', 'Email Subscription', 'SMS Opt-In', 'Volunteer Interest']);
    expect(rows.rows.map((r) => [r['VanID'], r['Email Subscription'], r['SMS Opt-In'], r['Volunteer Interest']])).toEqual([
      ['100000001', 'Subscribed', 'Opt-In', 'Phone banking'],
      ['100000004', 'Unsubscribed', '', ''],
      ['100000006', 'Neutral', 'Unknown', ''],
      ['100000035', 'Neutral', 'Opt-Out', ''],
      ['100000036', 'Subscribed', 'Opt-In', ''],
      ['100000037', '', 'Opt-Out', ''],
    ]);
    // A Mappings Field may still name the column as written there, or by the export's own name.
    expect(rows.aliases).toMatchObject({ 'CustomField:101': 'Volunteer Interest', CF101: 'Volunteer Interest', EmailSubscriptionStatus: 'Email Subscription', PhoneOptInStatus: 'SMS Opt-In' });
  });

  it('a status spelt in a way it does not know is passed on as EveryAction wrote it, never guessed at', () => {
    const t = setup(WITH_STATUSES, 'VanID,EmailSubscriptionStatus,PhoneOptInStatus\r\n1,Pending,Maybe\r\n');
    expect(t.source.read(job(), [], {}).rows).toEqual([{ VanID: '1', 'Email Subscription': 'Pending', 'SMS Opt-In': 'Maybe' }]);
  });
});

describe('against the EveryAction simulator', () => {
  const pull = (mappings: [string, string][]) =>
    imisRun([jobRow({ name: 'Changes', connection: 'EveryAction', source: 'Changed people', target: 'People', match: 'VANID' })], {
      Mappings: [[...HEADERS.mappings], ...mappings.map(([column, f]) => ['Changes', column, f, false, ''])],
    });

  it('a custom field id EveryAction does not know fails the job with EveryAction\'s own 400 message', () => {
    const t = pull([['VANID', 'VanID'], ['Mystery', 'CustomField:999']]);
    const out = t.run().results[0]!;
    expect(out.status).toBe('Failed');
    expect(out.message).toContain('EveryAction said: "Custom field 999 does not exist."');
    expect(t.workbook.tabs.has('People')).toBe(false);
  });

  it('mapped custom fields land under the Column the coordinator chose', () => {
    const t = pull([['VANID', 'VanID'], ['Email', 'Email Subscription'], ['Interest', 'Volunteer Interest'], ['Shifts', 'CustomField:106']]);
    expect(t.run().results[0]!.status).toBe('OK');
    const tab = t.workbook.text('People');
    expect(tab[0]).toEqual(['VANID', 'Email', 'Interest', 'Shifts']);
    expect(tab.find((r) => r[0] === '100000029')![1]).toBe('Unsubscribed');
  });
});
