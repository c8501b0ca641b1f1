// One Connections or Jobs row checked as the sidebar's forms check it (src/core/config/rows.ts):
// by the engine's own parsers, in the context of the rest of the tab, problems tied to columns.

import { describe, expect, it } from 'vitest';
import { checkConnectionRow, checkJobRow, rowNamed } from '../../src/core/config/rows';
import { parseConfig } from '../../src/core/config/parse';
import { OPEN_CATALOGUES } from '../../src/core/config/catalogues';
import { HEADERS } from '../../src/core/config/types';
import type { Grid } from '../../src/core/ports';

const CONNECTIONS: Grid = [
  ['Name', 'System', 'URL', 'Username', 'Mode', 'Status', 'Notes'],
  ['iMIS', 'iMIS', 'https://myorg.imiscloud.com/', 'sync.user', 'EMS', '', 'main site'],
  ['EveryAction', 'EveryAction', '', 'MyApp', 'MyCampaign', '', ''],
];
const JOBS: Grid = [
  [...HEADERS.jobs],
  ['Members', true, 'Pull', 'iMIS', '$/Lists/Members', 'Members', '', 'Replace', '', 'Hourly', '', ''],
];
const conn = (o: Record<string, unknown> = {}) => ({ Name: 'Test', System: 'iMIS', URL: 'https://test.example.org/', Username: 'u', Mode: 'EMS', ...o });
const job = (o: Record<string, unknown> = {}) => ({
  Name: 'Sign-ups', Enabled: true, Action: 'Push', Connection: 'iMIS', Source: 'Sign-ups', Target: 'Contact', Match: 'Email', Mode: 'Upsert', Parameters: '', Schedule: 'Hourly', ...o,
});

describe('checkConnectionRow', () => {
  it('accepts a good new row and one edited in place', () => {
    expect(checkConnectionRow(CONNECTIONS, conn(), null)).toEqual([]);
    expect(checkConnectionRow(CONNECTIONS, conn({ Name: 'iMIS' }), 'iMIS')).toEqual([]);
    expect(checkConnectionRow(CONNECTIONS, conn({ Name: 'IMIS live' }), 'imis')).toEqual([]);
  });

  it('names the field of each problem, in the parser\'s own words', () => {
    const problems = checkConnectionRow(CONNECTIONS, conn({ URL: 'http://example.org/', System: 'iMIS', Username: '' }), null);
    expect(problems.map((p) => p.field)).toEqual(['URL', 'Username']);
    expect(problems[0]!.message).toMatch(/must start with https:\/\//);
    expect(checkConnectionRow(CONNECTIONS, conn({ System: 'SAP' }), null)).toEqual([{ field: 'System', message: '"SAP" is not a valid System; use iMIS or EveryAction' }]);
  });

  it('refuses a name another row has, also when renaming, whatever its case', () => {
    expect(checkConnectionRow(CONNECTIONS, conn({ Name: 'everyaction' }), null)).toEqual([{ field: 'Name', message: 'another connection is already called "EveryAction" (row 3)' }]);
    expect(checkConnectionRow(CONNECTIONS, conn({ Name: 'EveryAction' }), 'iMIS')).toEqual([{ field: 'Name', message: 'another connection is already called "EveryAction" (row 3)' }]);
  });

  it('says the same as parseConfig would once the row is in the tab', () => {
    const bad = conn({ Name: 'X', URL: 'ftp://x', Mode: 'Live' });
    const problems = checkConnectionRow(CONNECTIONS, bad, null);
    const grid = [...CONNECTIONS, [bad.Name, bad.System, bad.URL, bad.Username, bad.Mode, '', '']];
    const parsed = parseConfig({ connections: grid, jobs: [[...HEADERS.jobs]], mappings: null, constants: null }, { get: () => ({ state: 'missing' }), howToSet: () => '' }, OPEN_CATALOGUES);
    expect(parsed.notes.filter((p) => p.row === 4).map((p) => ({ field: p.column, message: p.message }))).toEqual(problems);
  });

  it('reports a tab it could not write into safely as the whole form\'s problem', () => {
    const twice: Grid = [['Name', 'System', 'URL', 'Username', 'Name'], ['a', 'iMIS', 'https://a.org/', 'u', 'b']];
    expect(checkConnectionRow(twice, conn(), null)).toEqual([{ field: '', message: expect.stringContaining('appears twice') }]);
  });

  it('finds rows by name, case-insensitively', () => {
    expect(rowNamed(CONNECTIONS, ' everyaction ')).toBe(3);
    expect(rowNamed(CONNECTIONS, 'nope')).toBeNull();
  });
});

describe('checkJobRow', () => {
  it('accepts a good job, and checks it against its connection\'s system', () => {
    expect(checkJobRow(JOBS, CONNECTIONS, job(), null)).toEqual([]);
    expect(checkJobRow(JOBS, CONNECTIONS, job({ Connection: 'EveryAction', Target: 'Contact', Match: 'Email' }), null).map((p) => p.field)).toEqual(['Target', 'Match', 'Mode']);
  });

  it('refuses a connection that does not exist, and a job name taken', () => {
    expect(checkJobRow(JOBS, CONNECTIONS, job({ Connection: 'iMS' }), null)).toEqual([{ field: 'Connection', message: expect.stringContaining('iMS') }]);
    expect(checkJobRow(JOBS, CONNECTIONS, job({ Name: 'members' }), null)).toEqual([{ field: 'Name', message: 'another job is already called "Members" (row 2)' }]);
    expect(checkJobRow(JOBS, CONNECTIONS, job({ Name: 'Members', Action: 'Pull', Source: '$/Lists/Members', Target: 'Members', Match: '', Mode: 'Merge' }), 'Members')).toEqual([]);
  });

  it('checks a turned-off job just as strictly', () => {
    expect(checkJobRow(JOBS, CONNECTIONS, job({ Enabled: false, Source: 'Sync Log' }), null)).toEqual([{ field: 'Source', message: expect.stringContaining("add-on's own tabs") }]);
  });
});
