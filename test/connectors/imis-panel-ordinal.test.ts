// A multi-instance panel row whose saved "<Job> ID" ends in "|" with no Ordinal after it (written
// back when iMIS's create answer left the Ordinal out): the next run must find the row iMIS has by
// its key and update it, never add a second one.

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import { imisRun, jobRow } from '../helpers/imis-run';

function certs(savedId: string) {
  return imisRun([jobRow({ name: 'Certs', action: 'Push', source: 'Certs', target: 'Demo_Certifications', match: 'ID', parameters: 'Key=CertCode' })], {
    Certs: [
      ['Member', 'Code', 'Credits', 'Certs ID'],
      ['10001', 'CPR', '7', savedId],
    ],
    Mappings: [
      [...HEADERS.mappings],
      ['Certs', 'Member', 'ID', true, ''],
      ['Certs', 'Code', 'CertCode', true, 'upper'],
      ['Certs', 'Credits', 'Credits', false, 'number'],
    ],
  });
}

describe('panels: a saved ID without its Ordinal', () => {
  it('"10001|" finds the existing row by its key and updates it; no second row', () => {
    const t = certs('10001|');
    const before = t.ems.panelRows('Demo_Certifications').filter((r) => r.ID === '10001');
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', updated: 1, created: 0 });
    const after = t.ems.panelRows('Demo_Certifications').filter((r) => r.ID === '10001');
    expect(after).toHaveLength(before.length);
    expect(after.find((r) => r.CertCode === 'CPR')).toMatchObject({ Ordinal: 1, Credits: 7 });
    // The list is read (not a single row by an empty Ordinal), then the row is PUT at its real address.
    const sent = t.ems.requests.map((r) => `${r.method} ${decodeURIComponent(r.path)}`).filter((r) => r.includes('/api/Demo_Certifications'));
    expect(sent).toEqual(['GET /api/Demo_Certifications?ID=eq:10001&limit=500', 'PUT /api/Demo_Certifications/~10001|1']);
    const grid = t.workbook.text('Certs');
    expect(grid[1]![grid[0]!.indexOf('Certs ID')]).toBe('10001|1');
    expect(t.ems.requests.some((r) => r.method === 'POST' && r.path.startsWith('/api/Demo_Certifications'))).toBe(false);
  });

  it('a saved "10001|" whose key iMIS does not have yet adds the row once, and learns its Ordinal', () => {
    const t = certs('10001|');
    (t.workbook.tabs.get('Certs')![1]![1] as unknown) = 'FIRE';
    expect(t.run().results[0]).toMatchObject({ created: 1 });
    const grid = t.workbook.text('Certs');
    expect(grid[1]![grid[0]!.indexOf('Certs ID')]).toBe('10001|3');
    expect(t.run().results[0]).toMatchObject({ unchanged: 1, requests: 0 });
    expect(t.ems.panelRows('Demo_Certifications').filter((r) => r.CertCode === 'FIRE')).toHaveLength(1);
  });
});
