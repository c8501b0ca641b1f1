// Config parsing of an iMIS Activity push (DESIGN §10.5): Target Activity is taken in any case,
// with Match Email, Email+Name or ID; its usual fields are spelled as iMIS spells them; and a job
// that never gives ACTIVITY_TYPE (by a mapping or a constant) is a setup problem, found before
// anything is sent, that only blocks the run when the job is turned on.

import { describe, expect, it } from 'vitest';
import { TARGET_CATALOGUES } from '../../src/connectors/catalogues';
import { parseConfig, type ConfigTabs } from '../../src/core/config/parse';
import { describeProblem, type ImisPushJob } from '../../src/core/config/types';
import type { Grid, Secrets } from '../../src/core/ports';

const SECRETS: Secrets = { get: () => ({ state: 'set', value: 'pw' }), howToSet: () => 'set it' };

function tabs(o: { target?: string; match?: string; enabled?: boolean; mappings?: [string, string][]; constants?: [string, string][] } = {}): ConfigTabs {
  const mappings: Grid = [['Job', 'Column', 'Field', 'Required', 'Transform'], ...(o.mappings ?? [['Email', 'Email']]).map(([column, field]) => ['Attendance', column, field, false, ''])];
  const constants: Grid = [['Job', 'Field', 'Value'], ...(o.constants ?? [['ACTIVITY_TYPE', 'EVENT']]).map(([field, value]) => ['Attendance', field, value])];
  return {
    connections: [
      ['Name', 'System', 'URL', 'Username', 'Mode'],
      ['iMIS', 'iMIS', 'https://myorg.imiscloud.com/', 'sync.user', ''],
    ],
    jobs: [
      ['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target', 'Match', 'Mode', 'Parameters', 'Schedule'],
      ['Attendance', o.enabled ?? true, 'Push', 'iMIS', 'Event Attendance', o.target ?? 'Activity', o.match ?? 'Email', '', '', ''],
    ],
    mappings,
    constants,
  };
}

const parse = (t: ConfigTabs) => parseConfig(t, SECRETS, TARGET_CATALOGUES);
const job = (t: ConfigTabs) => {
  const r = parse(t);
  if (!r.ok) throw new Error(r.problems.map(describeProblem).join('\n'));
  return r.config.jobs[0] as ImisPushJob;
};

describe('an Activity push in the setup tabs', () => {
  it('is taken for Match Email, Email+Name and ID, whatever the case of its Target', () => {
    for (const [match, mappings] of [
      ['Email', [['Email', 'Email']]],
      ['email+name', [['Email', 'Email'], ['First', 'FirstName'], ['Last', 'LastName']]],
      ['ID', [['iMIS ID', 'ID']]],
    ] as [string, [string, string][]][]) {
      const j = job(tabs({ target: 'activity', match, mappings }));
      expect([j.system, j.action, j.target, j.match]).toEqual(['iMIS', 'Push', 'Activity', match === 'email+name' ? 'Email+Name' : match]);
    }
  });

  it('spells the usual Activity fields as iMIS does, and leaves a site\'s own properties as written', () => {
    const j = job(tabs({ mappings: [['Email', 'email'], ['Event', 'description'], ['When', 'transaction_date'], ['Where', 'UF_2']], constants: [['activity_type', 'EVENT']] }));
    expect(j.mappings.map((m) => m.field)).toEqual(['Email', 'DESCRIPTION', 'TRANSACTION_DATE', 'UF_2']);
    expect(j.constants.map((c) => c.field)).toEqual(['ACTIVITY_TYPE']);
  });

  it('ACTIVITY_TYPE may come from a column instead of a constant', () => {
    expect(job(tabs({ mappings: [['Email', 'Email'], ['Kind', 'Activity_Type']], constants: [] })).mappings.map((m) => m.field)).toEqual(['Email', 'ACTIVITY_TYPE']);
  });

  it('without ACTIVITY_TYPE, the run stops before anything is sent, naming the job\'s row', () => {
    const r = parse(tabs({ constants: [] }));
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems.map(describeProblem)).toEqual([
      'Jobs row 2, Target: an iMIS Activity needs its type: map a column to ACTIVITY_TYPE, or add a Constants row for it (e.g. EVENT)',
    ]);
  });

  it('a turned-off Activity job without ACTIVITY_TYPE is a note that blocks nothing', () => {
    const r = parse(tabs({ constants: [], enabled: false }));
    expect(r.ok).toBe(true);
    expect(r.notes.map(describeProblem)).toEqual(['Jobs row 2, Target: an iMIS Activity needs its type: map a column to ACTIVITY_TYPE, or add a Constants row for it (e.g. EVENT)']);
  });

  it('a Contact or panel push needs no ACTIVITY_TYPE', () => {
    expect(parse(tabs({ target: 'Contact', constants: [] })).ok).toBe(true);
    expect(parse(tabs({ target: 'Demo_Volunteer', constants: [] })).ok).toBe(true);
  });
});
