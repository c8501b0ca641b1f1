// The EveryAction simulator's changed-entity export of the opt-in statuses and custom fields: the
// field list offers both statuses, the file writes them as the person record reads them back, the
// seeded people changed in the last two days carry every status, and unknown requested fields or
// custom field ids get EveryAction's 400 error envelope.

import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/core/ports';
import { EveryActionSimulator } from '../../src/simulators/everyaction/index';

const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);
const HEADERS = { Authorization: `Basic ${Buffer.from('SheetsSyncDemo:demo-api-key|1').toString('base64')}`, 'Content-Type': 'application/json' };

function send(sim: EveryActionSimulator, method: HttpRequest['method'], url: string, body?: unknown) {
  const res = sim.handle({ method, url, headers: HEADERS, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: JSON.parse(res.body) as any };
}

/** One export of the last 48 hours, downloaded: the header and the rows by VanID. */
function lastTwoDays(sim: EveryActionSimulator, extra: object) {
  const created = send(sim, 'POST', '/changedEntityExportJobs', { resourceType: 'Contacts', dateChangedFrom: new Date(NOW - 48 * 3_600_000).toISOString(), ...extra });
  expect(created.status).toBe(201);
  send(sim, 'GET', `/changedEntityExportJobs/${created.json.exportJobId}`);
  const job = send(sim, 'GET', `/changedEntityExportJobs/${created.json.exportJobId}`).json;
  const file = sim.files({ method: 'GET', url: new URL(job.files[0].downloadUrl).pathname, headers: {} });
  const parsed = Papa.parse<Record<string, string>>(file.body, { header: true, skipEmptyLines: true });
  const byId: Record<string, Record<string, string>> = Object.fromEntries(parsed.data.map((r) => [r['VanID'], r]));
  return { header: parsed.meta.fields ?? [], byId };
}

describe('opt-in statuses in the changed-entity export', () => {
  it('the field list offers both statuses as fields to request, not core ones', () => {
    const sim = new EveryActionSimulator({ now: () => NOW });
    const fields = send(sim, 'GET', '/changedEntityExportJobs/fields/Contacts').json as { fieldName: string; isCoreField: boolean }[];
    expect(fields.filter((f) => /Status$/.test(f.fieldName))).toEqual([
      expect.objectContaining({ fieldName: 'EmailSubscriptionStatus', isCoreField: false }),
      expect.objectContaining({ fieldName: 'PhoneOptInStatus', isCoreField: false }),
    ]);
  });

  it('the seeded people changed in the last two days show every status: email as its letter, texts in words', () => {
    const sim = new EveryActionSimulator({ now: () => NOW });
    const out = lastTwoDays(sim, { requestedFields: ['EmailSubscriptionStatus', 'PhoneOptInStatus'], requestedCustomFieldIds: [101] });
    expect(out.header.slice(-3)).toEqual(['EmailSubscriptionStatus', 'PhoneOptInStatus', 'CF101']);
    const statuses = Object.fromEntries(Object.entries(out.byId).map(([id, r]) => [id, [r['EmailSubscriptionStatus'], r['PhoneOptInStatus']]]));
    expect(statuses).toEqual({
      '100000003': ['S', 'Unknown'],
      '100000029': ['U', 'Opt-Out'],
      '100000034': ['N', 'Opt-In'],
      '100000038': ['S', 'Opt-In'],
      '100000040': ['N', ''],
    });
  });

  it('an unknown requested field or custom field id is refused with the errors envelope, naming each', () => {
    const sim = new EveryActionSimulator({ now: () => NOW });
    const post = (extra: object) => send(sim, 'POST', '/changedEntityExportJobs', { resourceType: 'Contacts', dateChangedFrom: new Date(NOW - 3_600_000).toISOString(), ...extra });
    expect(post({ requestedFields: ['SmsOptInStatus'] })).toEqual({
      status: 400,
      json: { errors: [expect.objectContaining({ code: 'INVALID_PARAMETER', text: "'SmsOptInStatus' is not a valid field for resource type 'Contacts'.", properties: ['requestedFields[0]'] })] },
    });
    expect(post({ requestedCustomFieldIds: [101, 999] }).json.errors).toEqual([
      expect.objectContaining({ code: 'INVALID_PARAMETER', text: 'Custom field 999 does not exist.', properties: ['requestedCustomFieldIds[1]'] }),
    ]);
  });
});
