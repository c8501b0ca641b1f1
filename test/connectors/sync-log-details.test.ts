// What the Sync Log says about a pushed row: the Key never shows a bare "iMIS ID " for a row
// without one, and the EveryAction push lists each field sent with its new value (DESIGN §10.2).

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import type { Grid } from '../../src/core/ports';
import { imisRun, jobRow } from '../helpers/imis-run';

function mappings(job: string, rows: [string, string][]): Grid {
  return [[...HEADERS.mappings], ...rows.map(([column, field]) => [job, column, field, false, ''])];
}

describe('Sync Log Key', () => {
  it('a contact row matched by ID but without one is keyed by its email, not "iMIS ID "', () => {
    const t = imisRun([jobRow({ name: 'ByID', action: 'Push', source: 'People', target: 'Contact', match: 'ID' })], {
      People: [
        ['iMIS ID', 'E-mail', 'Title'],
        ['', 'no.id@example.org', 'Treasurer'],
        ['10004', '', 'Chair'],
      ],
      Mappings: mappings('ByID', [
        ['iMIS ID', 'ID'],
        ['E-mail', 'Email'],
        ['Title', 'Title'],
      ]),
    });
    expect(t.run().results[0]).toMatchObject({ updated: 1, skipped: 1 });
    const keys = t.workbook.text('Sync Log').slice(1).map((r) => r[4]);
    expect(keys).toEqual(['no.id@example.org', '10004']);
    expect(keys.some((k) => /^iMIS ID\s*$/.test(k!))).toBe(false);
  });
});

describe('EveryAction push: Field Changes', () => {
  it('lists each field sent with its new value; old values only where a read gave them (preview)', () => {
    const t = imisRun([jobRow({ name: 'Signers', action: 'Push', connection: 'EveryAction', source: 'Signers', target: 'People', match: 'Auto', mode: 'Liberal' })], {
      Signers: [
        ['Email', 'First', 'Last'],
        ['new.signer@example.org', 'Nadia', 'Smith'],
      ],
      Mappings: mappings('Signers', [
        ['Email', 'Email'],
        ['First', 'FirstName'],
        ['Last', 'LastName'],
      ]),
    });
    const preview = t.run({ preview: true });
    expect(preview.results[0]).toMatchObject({ status: 'Preview', created: 1 });
    expect(t.workbook.text('Sync Log').at(-1)![6]).toBe('Email: (blank) → new.signer@example.org; FirstName: (blank) → Nadia; LastName: (blank) → Smith');
    t.run();
    const created = t.workbook.text('Sync Log').at(-1)!;
    expect(created[5]).toBe('Created');
    expect(created[6]).toBe('Email: → new.signer@example.org; FirstName: → Nadia; LastName: → Smith');
  });
});
