// The target catalogues the connectors hand to config parsing and the sidebar: the fields known
// without a request, canonical spellings, the ID's label; and that every way into config parsing
// (explicit, the run's factory, the default the connectors install) checks fields the same way.

import { describe, expect, it } from 'vitest';
import { createConnectors } from '../../src/connectors';
import { offeredFields, TARGET_CATALOGUES } from '../../src/connectors/catalogues';
import { CONTACT_FIELDS } from '../../src/connectors/imis/person';
import { budgetFrom } from '../../src/core/budget';
import { parseConfig, type ConfigTabs } from '../../src/core/config/parse';
import { describeProblem, type PushJob } from '../../src/core/config/types';
import type { ConnectorIO, Secrets } from '../../src/core/ports';

const { iMIS, EveryAction } = TARGET_CATALOGUES;

describe('target catalogues', () => {
  it('name the ID each system gives and the field that carries it', () => {
    expect([iMIS.idLabel, iMIS.idField, EveryAction.idLabel, EveryAction.idField]).toEqual(['iMIS ID', 'ID', 'VANID', 'VANID']);
  });

  it('list the standard fields of each target without a request', () => {
    expect(iMIS.fields('contact')).toEqual(CONTACT_FIELDS);
    expect(iMIS.fields('Volunteer_Interests')).toEqual(['ID']);
    expect(EveryAction.fields('People')).toContain('ZipOrPostalCode');
  });

  it('map a coordinator spelling to the canonical one, or say why not', () => {
    expect(EveryAction.canonical('People', 'dateofbirth')).toEqual({ field: 'DateOfBirth' });
    expect(EveryAction.canonical('People', 'custom field: 007')).toEqual({ field: 'CustomField:7' });
    expect(EveryAction.canonical('People', 'Zip')).toEqual({ problem: expect.stringContaining('"Zip" is not an EveryAction People field') });
    // iMIS takes any name: a Contact field it does not know is an additional attribute.
    expect(iMIS.canonical('Contact', 'Shoe size')).toEqual({ field: 'Shoe size' });
  });

  it('offer a contact push its fields without sending anything', () => {
    const sent: unknown[] = [];
    const clock = { now: () => new Date(0), sleep: () => undefined };
    const io: ConnectorIO = {
      http: { fetchAll: (r) => (sent.push(...r), []) },
      store: { get: () => null, set: () => undefined, delete: () => undefined },
      clock,
      budget: budgetFrom(clock, 60_000),
    };
    const job = { system: 'iMIS', target: 'Contact', connection: { system: 'iMIS' } } as PushJob;
    expect(offeredFields(iMIS, job, io)).toEqual([...CONTACT_FIELDS]);
    expect(sent).toEqual([]);
  });
});

describe('config parsing reads the catalogues', () => {
  const secrets: Secrets = { get: () => ({ state: 'missing' }), howToSet: () => 'set it' };
  const tabs: ConfigTabs = {
    connections: [
      ['Name', 'System', 'URL', 'Username', 'Mode'],
      ['EveryAction', 'EveryAction', '', 'MyApp', ''],
    ],
    jobs: [
      ['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target', 'Match', 'Mode', 'Parameters', 'Schedule'],
      ['Volunteers EA', true, 'Push', 'EveryAction', 'Volunteers', 'People', '', '', '', ''],
    ],
    mappings: [
      ['Job', 'Column', 'Field', 'Required', 'Transform'],
      ['Volunteers EA', 'Zip', 'zip', '', ''],
    ],
    constants: null,
  };
  const said = (result: ReturnType<typeof parseConfig>) => (result.ok ? [] : result.problems.map(describeProblem));

  it('the same way whether handed them directly or through the run factory', () => {
    const explicit = said(parseConfig(tabs, secrets, TARGET_CATALOGUES));
    expect(explicit).toEqual([expect.stringContaining('Mappings row 2, Field: "zip" is not an EveryAction People field')]);
    expect(createConnectors.catalogues).toBe(TARGET_CATALOGUES);
  });
});
