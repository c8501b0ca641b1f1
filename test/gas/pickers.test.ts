// Field pickers on the Mappings tab (DESIGN §10.3, issue 10 item 3): after a refresh (sidebarState,
// no request) and a connection test (the lists only the system can give), each job's Field and
// Column cells carry a dropdown that warns but never rejects, one rule per contiguous block of a
// job's rows, help text naming the target; a lookup that fails leaves the cells as they were.

import { describe, expect, it } from 'vitest';
import { CONTACT_FIELDS } from '../../src/connectors/imis/person';
import { EVERYACTION_PEOPLE_FIELDS } from '../../src/connectors/everyaction/fields';
import { TAB } from '../../src/core/config/types';
import { DEMO_CUSTOM_FIELDS } from '../../src/simulators/everyaction/custom-fields';
import { DEMO_PANELS, DEMO_QUERIES } from '../../src/simulators/imis';
import { EVERYACTION_CONNECTION, IMIS_CONNECTION, peopleTab, seedConfig, setSecrets, type GasWorld, type ValidationRule } from './fakes';
import { MEMBERS, SIGNUPS, useWorlds } from './scenario';

const newWorld = useWorlds();

// Mappings columns: Job 1, Column 2, Field 3.
const COLUMN = 2;
const FIELD = 3;
const rule = (w: GasWorld, row: number, col: number): ValidationRule | undefined => w.sheet(TAB.mappings).validation(row, col);
const setCalls = (w: GasWorld) => w.executions[w.executions.length - 1]!.calls.get('Range.setDataValidation') ?? 0;

const VOLUNTEERS = { name: 'Volunteers', action: 'Push' as const, source: 'Volunteers', target: DEMO_PANELS.volunteer, match: 'ID' };
const PETITION = { name: 'Petition', action: 'Push' as const, connection: 'EveryAction', source: 'Petition', target: 'People', match: 'Auto', mode: 'Liberal' };

function world(): GasWorld {
  const w = newWorld();
  seedConfig(w, {
    connections: [IMIS_CONNECTION, EVERYACTION_CONNECTION],
    jobs: [SIGNUPS, VOLUNTEERS, MEMBERS, PETITION],
    mappings: [
      ['Sign-ups', 'Email', 'Email', true, 'email'],
      ['Sign-ups', 'First', 'FirstName'],
      ['Volunteers', 'ID', 'ID'],
      ['Volunteers', 'Skills', 'Skills'],
      ['Sign-ups', 'Last', 'LastName'],
      ['Members', 'ID', 'ID'],
      ['Members', 'First name', 'FirstName'],
      ['Petition', 'Email', 'Email'],
      ['Petition', 'Can help with', 'Volunteer Interest'],
    ],
  });
  w.addSheet('Sign-ups', peopleTab(2));
  w.addSheet('Volunteers', [['ID', 'Skills', 'Hours'], ['10001', 'Mentoring', 3]]);
  w.addSheet('Petition', [['Email', 'Can help with'], ['a@example.org', 'Canvassing']]);
  setSecrets(w, { iMIS: 'demo-password', EveryAction: 'demo-api-key' });
  return w;
}

describe('field pickers on the Mappings tab', () => {
  it('a refresh gives a contact push its fields and every push its source headers, with no request, one rule per block', () => {
    const w = world();
    w.sidebar('sidebarState');
    expect(w.internet.requests).toEqual([]);
    // Sign-ups: rows 2-3 and row 6 (two blocks), Volunteers rows 4-5, Members 7-8, Petition 9-10.
    for (const row of [2, 3, 6]) {
      expect(rule(w, row, FIELD)).toEqual({ criteria: 'VALUE_IN_LIST', values: [...CONTACT_FIELDS], showDropdown: true, allowInvalid: true, helpText: 'Fields iMIS Contact takes (job "Sign-ups")' });
      expect(rule(w, row, COLUMN)).toMatchObject({ values: ['Email', 'First', 'Last'], allowInvalid: true, helpText: 'Headers of the tab "Sign-ups" (job "Sign-ups")' });
    }
    expect(rule(w, 4, COLUMN)).toMatchObject({ values: ['ID', 'Skills', 'Hours'], allowInvalid: true });
    // What only iMIS or EveryAction can list waits for a connection test.
    for (const row of [4, 5, 7, 8, 9, 10]) expect(rule(w, row, FIELD)).toBeUndefined();
    expect(rule(w, 7, COLUMN)).toBeUndefined();
    expect(rule(w, 9, COLUMN)).toMatchObject({ values: ['Email', 'Can help with'] });
    // Blocks: Sign-ups ×2, Volunteers, Petition for Column; the two Sign-ups blocks for Field.
    expect(setCalls(w)).toBe(6);

    // Nothing changed, nothing written.
    w.sidebar('sidebarState');
    expect(setCalls(w)).toBe(0);
  });

  it('an iMIS test gives a panel push its properties and a pull its query columns (a one-row query), a request per list', () => {
    const w = world();
    const before = w.imis.requests.length;
    expect(w.sidebar('testConnection', 'iMIS')).toMatchObject({ ok: true });
    const sent = w.imis.requests.slice(before).map((r) => r.path);
    // Sign-in, the test itself, the panels' definitions, one row of the query.
    expect(sent).toHaveLength(4);
    expect(sent.filter((p) => /^\/api\/BoEntityDefinition/i.test(p))).toHaveLength(1);
    const query = sent.filter((p) => /^\/api\/query/i.test(p));
    expect(query).toHaveLength(1);
    expect(query[0]).toMatch(/[?&]Limit=1(&|$)/);
    expect(w.everyAction.requests).toEqual([]);

    for (const row of [4, 5]) {
      expect(rule(w, row, FIELD)).toMatchObject({
        values: ['ID', 'Skills', 'HoursPledged', 'Active', 'StartDate', 'Notes'],
        allowInvalid: true,
        helpText: `Fields iMIS ${DEMO_PANELS.volunteer} takes (job "Volunteers")`,
      });
    }
    const columns = rule(w, 7, FIELD)!;
    expect(columns).toMatchObject({ allowInvalid: true, helpText: `Columns of the iMIS query ${DEMO_QUERIES.activeMembers} (job "Members")` });
    expect(columns.values).toEqual(expect.arrayContaining(['ID', 'FirstName', 'LastName', 'Email']));
    expect(rule(w, 8, COLUMN)).toMatchObject({ values: columns.values, allowInvalid: true });
    // EveryAction was not tested: its job's Field cells are left as they were.
    expect(rule(w, 9, FIELD)).toBeUndefined();
  });

  it('an EveryAction test gives its push the standard fields, then the custom fields by name', () => {
    const w = world();
    expect(w.sidebar('testConnection', 'EveryAction')).toMatchObject({ ok: true });
    expect(w.everyAction.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(['POST /echoes', 'GET /customFields']);
    const want = [...EVERYACTION_PEOPLE_FIELDS, ...DEMO_CUSTOM_FIELDS.map((f) => f.customFieldName)];
    for (const row of [9, 10]) expect(rule(w, row, FIELD)).toMatchObject({ values: want, allowInvalid: true, helpText: 'Fields EveryAction People takes (job "Petition")' });
    expect(rule(w, 9, FIELD)!.values).toContain('Volunteer Interest');
    expect(w.imis.requests).toEqual([]);
  });

  it('a lookup that fails leaves those cells as they were, and the test still says OK', () => {
    const w = world();
    // A panel iMIS does not have, and a query it cannot find.
    const jobs = w.sheet(TAB.jobs);
    jobs.put(3, 6, 'No_Such_Panel');
    jobs.put(4, 5, '$/No/Such/Query');
    expect(w.sidebar('testConnection', 'iMIS')).toMatchObject({ ok: true });
    for (const row of [4, 5, 7, 8]) expect(rule(w, row, FIELD)).toBeUndefined();
    expect(rule(w, 2, FIELD)).toMatchObject({ values: [...CONTACT_FIELDS] });
    const logged = w.executions[w.executions.length - 1]!.logs.map((l) => l.message).join('\n');
    expect(logged).toMatch(/Volunteers: Field: iMIS has no panel \(business object\) named "No_Such_Panel"/);
    expect(logged).toMatch(/Members: Field: iMIS could not find the query/);
  });

  it('a list longer than Sheets allows is cut to 500 items', () => {
    const w = world();
    const wide = Array.from({ length: 620 }, (_, i) => `Column ${i + 1}`);
    w.doc.remove('Sign-ups');
    w.addSheet('Sign-ups', [wide]);
    w.sidebar('sidebarState');
    expect(rule(w, 2, COLUMN)!.values).toEqual(wide.slice(0, 500));
  });

  it('the page’s background refresh gives every connection with a saved secret its live lists, in one call', () => {
    const w = world();
    expect(w.sidebar('refreshFieldPickers')).toMatchObject({ rulesSet: expect.any(Number) });
    expect(rule(w, 4, FIELD)).toMatchObject({ values: ['ID', 'Skills', 'HoursPledged', 'Active', 'StartDate', 'Notes'] });
    expect(rule(w, 7, FIELD)!.values).toEqual(expect.arrayContaining(['ID', 'FirstName', 'LastName', 'Email']));
    expect(rule(w, 9, FIELD)!.values).toContain('Volunteer Interest');
    // No Status cell is written: it is not a connection test.
    expect(w.sheet(TAB.connections).records().map((r) => r.Status)).toEqual(['', '']);
  });

  it('the background refresh asks nothing of a connection without a saved secret', () => {
    const w = world();
    w.props.document.delete('secret:EveryAction');
    w.sidebar('refreshFieldPickers');
    expect(w.everyAction.requests).toEqual([]);
    expect(rule(w, 9, FIELD)).toBeUndefined();
    expect(rule(w, 4, FIELD)).toMatchObject({ values: expect.arrayContaining(['Skills']) });
  });
});
