// An EveryAction custom field named by its EveryAction name (DESIGN §10.3) as well as by
// CustomField:<id>: config parsing lets a name that is no standard field through, and the people
// target resolves it against EveryAction's custom field list when it prepares (the one request it
// already makes for CustomField:<id>), failing the job before any person is written when no custom
// field has that name. Against the in-process EveryAction simulator, through the whole engine.

import { describe, expect, it } from 'vitest';
import { TARGET_CATALOGUES } from '../../src/connectors/catalogues';
import { customNameProblem } from '../../src/connectors/everyaction/people';
import { HEADERS } from '../../src/core/config/types';
import type { Grid } from '../../src/core/ports';
import type { StoredPerson } from '../../src/simulators/everyaction/people';
import { DEMO_CUSTOM_FIELDS } from '../../src/simulators/everyaction/custom-fields';
import { imisRun, jobRow } from '../helpers/imis-run';

const ROWS: Grid = [
  ['Email', 'First', 'Last', 'Helps with', 'Size'],
  ['maya.patel@example.org', 'Maya', 'Patel', 'Canvassing', 'M'],
  ['lee.wong@example.org', 'Lee', 'Wong', 'Juggling', 'L'],
];

function push(helpsWith: string, size = 'CustomField:102') {
  return imisRun([jobRow({ name: 'Signers', action: 'Push', connection: 'EveryAction', source: 'Signers', target: 'People', match: 'Auto', mode: 'Liberal' })], {
    Signers: ROWS,
    Mappings: [
      [...HEADERS.mappings],
      ['Signers', 'Email', 'Email', false, 'email'],
      ['Signers', 'First', 'FirstName', false, ''],
      ['Signers', 'Last', 'LastName', false, ''],
      ['Signers', 'Helps with', helpsWith, false, ''],
      ['Signers', 'Size', size, false, ''],
    ],
  });
}

const customFieldRequests = (t: ReturnType<typeof push>) => t.ea.requests.filter((r) => r.path.startsWith('/customFields'));
const writes = (t: ReturnType<typeof push>) => t.ea.requests.filter((r) => r.method === 'POST' && /\/people\//.test(r.path));

describe('an EveryAction custom field by its name', () => {
  it('config parsing lets a name through; a near miss of a standard field is still a typo', () => {
    const { EveryAction } = TARGET_CATALOGUES;
    expect(EveryAction.canonical('People', ' Volunteer Interest ')).toEqual({ field: 'Volunteer Interest' });
    expect(EveryAction.canonical('People', 'Employer Type')).toEqual({ field: 'Employer Type' });
    expect(EveryAction.canonical('People', 'VAN ID')).toEqual({ problem: expect.stringContaining('(did you mean "VANID"?)') });
  });

  it('is resolved with the one request CustomField:<id> already costs, and sent by id and group', () => {
    const t = push('volunteer interest');
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', created: 1, skipped: 1 });
    expect(customFieldRequests(t)).toHaveLength(1);
    // Values are checked against the field found by name, as for CustomField:<id>.
    const messages = t.workbook.text('Signers').map((r) => r[t.workbook.text('Signers')[0]!.indexOf('Signers Message')] ?? '');
    expect(messages[2]).toBe('volunteer interest: "Juggling" is not one of Phone banking, Canvassing, Event setup, Data entry');
    const maya = (t.ea.people() as StoredPerson[]).find((p) => p.emails.some((e) => e.email === 'maya.patel@example.org'))!;
    const stored = JSON.stringify(maya.customFieldValues);
    expect(stored).toContain('101');
    expect(stored).toContain('102');
  });

  it('a name no custom field has fails the job before any person is written, with the closest names', () => {
    const t = push('Volunter Interest');
    const out = t.run().results[0]!;
    expect(out.status).toBe('Failed');
    expect(out.message).toMatch(
      /^Mappings row 5, Field: "Volunter Interest" is neither an EveryAction People field nor the name of one of its contact custom fields \(did you mean "Volunteer Interest"\?\); its custom fields are "Volunteer Interest", "T-shirt size"/,
    );
    expect(writes(t)).toEqual([]);
    expect(customFieldRequests(t)).toHaveLength(1);
  });

  it('two custom fields with one name: only CustomField:<id> says which', () => {
    const list = [...DEMO_CUSTOM_FIELDS, { ...DEMO_CUSTOM_FIELDS[0]!, customFieldId: 901 }];
    expect(customNameProblem('Volunteer Interest', list)).toBe(
      'several EveryAction contact custom fields are named "Volunteer Interest" (CustomField:101, CustomField:901); write the one you mean as CustomField:<id>',
    );
    expect(customNameProblem('T-SHIRT SIZE', list)).toBeNull();
  });
});
