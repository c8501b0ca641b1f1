// The sidebar's connection and job forms, server side (src/gas/forms.ts), in the fake Apps Script
// world: a valid form writes exactly one row (found by header, the coordinator's own columns kept),
// an invalid one writes nothing and names the field in config parsing's own words, Save & test
// saves the secret bound to the row just written and tests it, and hand edits keep working.

import { describe, expect, it } from 'vitest';
import { HEADERS, TAB } from '../../src/core/config/types';
import type { ConnectionForm, JobForm, SaveResult } from '../../src/gas/sidebar-api';
import { EVERYACTION_CONNECTION, IMIS_CONNECTION, PASSWORDS, seedConfig, type GasWorld } from './fakes';
import { URLS } from './fakes/world';
import { MEMBERS, useWorlds } from './scenario';

const newWorld = useWorlds();

function world(): GasWorld {
  const w = newWorld();
  seedConfig(w, { jobs: [MEMBERS], connections: [IMIS_CONNECTION, EVERYACTION_CONNECTION] });
  return w;
}

const writes = (e: { sheetOps: { op: string; sheet: string; row: number; column: number; rows: number; columns: number }[] }) =>
  e.sheetOps.filter((o) => o.op !== 'getValues' && o.op !== 'getValue' && o.op !== 'getFormulas').map(({ op, sheet, row, column, rows, columns }) => ({ op, sheet, row, column, rows, columns }));

const connection = (o: Partial<ConnectionForm> = {}): ConnectionForm => ({ original: '', name: 'Test site', system: 'iMIS', url: URLS.imis, username: 'sync.user', mode: 'EMS', secret: '', ...o });
const job = (o: Partial<JobForm> = {}): JobForm => ({
  original: '', name: 'Sign-ups', enabled: false, action: 'Push', connection: 'iMIS', source: 'Sign-ups', target: 'Contact', match: 'Email', mode: 'Upsert', parameters: '', schedule: 'Hourly', ...o,
});

describe('saveConnection', () => {
  it('writes one new row after the last, in one call, and nothing else', () => {
    const w = world();
    const e = w.run('saveConnection', { args: [connection()] });
    expect(e.error).toBeUndefined();
    expect(e.result).toEqual({ ok: true, message: 'The connection "Test site" is saved in row 4 of the Connections tab.' });
    expect(writes(e)).toEqual([{ op: 'setValues', sheet: TAB.connections, row: 4, column: 1, rows: 1, columns: 5 }]);
    expect(w.sheet(TAB.connections).grid()[3]!.slice(0, 5)).toEqual(['Test site', 'iMIS', URLS.imis, 'sync.user', 'EMS']);
    expect(w.internet.requests).toEqual([]);
  });

  it('writes nothing for an invalid form and names each field in the parser\'s words', () => {
    const w = world();
    const before = JSON.stringify(w.doc.sheets.map((s) => [s.name, s.grid()]));
    const e = w.run('saveConnection', { args: [connection({ url: 'http://myorg.example.org/', username: '', mode: 'Cloud' })] });
    const result = e.result as SaveResult;
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.problems.map((p) => p.field)).toEqual(['url', 'username', 'mode']);
    expect(result.ok === false && result.problems[0]!.message).toMatch(/must start with https:\/\//);
    expect(writes(e)).toEqual([]);
    expect(JSON.stringify(w.doc.sheets.map((s) => [s.name, s.grid()]))).toBe(before);
  });

  it('refuses a name another connection has, whatever its case, also when renaming', () => {
    const w = world();
    const e = w.run('saveConnection', { args: [connection({ name: 'everyaction' })] });
    expect(e.result).toEqual({ ok: false, problems: [{ field: 'name', message: 'another connection is already called "EveryAction" (row 3)' }] });
    expect(writes(e)).toEqual([]);
    const renamed = w.run('saveConnection', { args: [connection({ original: 'iMIS', name: 'EveryAction' })] });
    expect(renamed.result).toMatchObject({ ok: false, problems: [{ field: 'name' }] });
    expect(writes(renamed)).toEqual([]);
  });

  it('edits the row of its name in place, keeping the coordinator\'s own columns and their order', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS] });
    // The coordinator moved Status first and added a Notes column between URL and Username.
    w.doc.remove(TAB.connections);
    w.addSheet(TAB.connections, [
      ['Status', 'Name', 'System', 'URL', 'Notes', 'Username', 'Mode'],
      ['OK 2026-11-23 14:05', 'iMIS', 'iMIS', URLS.imis, 'ask Sam', 'sync.user', 'EMS'],
    ]);
    const form = w.sidebar<ConnectionForm>('connectionForm', 'imis');
    expect(form).toEqual({ original: 'iMIS', name: 'iMIS', system: 'iMIS', url: URLS.imis, username: 'sync.user', mode: 'EMS', secret: '' });
    const e = w.run('saveConnection', { args: [{ ...form, username: 'other.user' }] });
    expect(e.result).toMatchObject({ ok: true });
    expect(w.sheet(TAB.connections).grid()).toEqual([
      ['Status', 'Name', 'System', 'URL', 'Notes', 'Username', 'Mode'],
      // A changed user name makes the last test's OK stale; the note stays.
      ['', 'iMIS', 'iMIS', URLS.imis, 'ask Sam', 'other.user', 'EMS'],
    ]);
    expect(writes(e).map((o) => [o.row, o.column, o.columns])).toEqual([
      [2, 1, 4],
      [2, 6, 2],
    ]);
  });

  it('Save & test saves the secret bound to the row it wrote, then tests it with the sidebar\'s own test', () => {
    const w = world();
    const result = w.sidebar<SaveResult>('saveConnection', connection({ secret: PASSWORDS.iMIS }));
    expect(result).toMatchObject({ ok: true, secret: { ok: true }, test: { ok: true } });
    expect(w.sheet(TAB.connections).records()[2]).toMatchObject({ Name: 'Test site', Status: expect.stringMatching(/^OK /) });
    expect(w.sidebar('sidebarState')).toMatchObject({ connections: expect.arrayContaining([expect.objectContaining({ name: 'Test site', hasSecret: true })]) });
    // A wrong password is saved (it is what was typed) and the test says it was refused.
    const wrong = w.sidebar<SaveResult>('saveConnection', connection({ original: 'Test site', secret: 'not-it' }));
    expect(wrong).toMatchObject({ ok: true, secret: { ok: true }, test: { ok: false, code: 'auth' } });
  });

  it('an invalid form with a secret saves neither the row nor the secret', () => {
    const w = world();
    const props = JSON.stringify(w.props.document.all());
    const e = w.run('saveConnection', { args: [connection({ url: '', secret: 'pw' })] });
    expect(e.result).toMatchObject({ ok: false, problems: [{ field: 'url' }] });
    expect(JSON.stringify(w.props.document.all())).toBe(props);
    expect(w.internet.requests).toEqual([]);
  });

  it('says which jobs still name a renamed connection', () => {
    const w = world();
    const result = w.sidebar<SaveResult>('saveConnection', connection({ original: 'iMIS', name: 'iMIS Live' }));
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining('Job "Members" still uses "iMIS": change its Connection to "iMIS Live".') });
  });

  it('refuses garbled forms before any work, like every server function', () => {
    const w = world();
    for (const args of [[], [{ ...connection(), extra: 1 }], [{ ...connection(), name: 7 }], [connection(), 'more']]) {
      const e = w.run('saveConnection', { args });
      expect(e.error).toBeUndefined();
      expect(e.result).toMatchObject({ ok: false, problems: [{ field: '', message: expect.stringMatching(/^Nothing was saved: /) }] });
      expect(writes(e)).toEqual([]);
    }
    expect(w.sidebar('connectionForm', 'nope')).toMatchObject({ refused: true, code: 'not_found' });
  });
});

describe('saveJob', () => {
  it('writes one new row, and the engine reads it as the form said', () => {
    const w = world();
    const e = w.run('saveJob', { args: [job()] });
    expect(e.result).toMatchObject({ ok: true, message: expect.stringContaining('row 3 of the Jobs tab') });
    expect(writes(e)).toEqual([{ op: 'setValues', sheet: TAB.jobs, row: 3, column: 1, rows: 1, columns: 10 }]);
    expect(w.sheet(TAB.jobs).records()[1]).toMatchObject({ Name: 'Sign-ups', Enabled: false, Action: 'Push', Connection: 'iMIS', Target: 'Contact', Match: 'Email' });
    expect(w.sidebar('sidebarState')).toMatchObject({ jobs: [{ name: 'Members' }, { name: 'Sign-ups', enabled: false }] });
  });

  it('refuses a connection that does not exist and a job name taken, writing nothing', () => {
    const w = world();
    const e = w.run('saveJob', { args: [job({ connection: 'iMS' })] });
    expect(e.result).toEqual({ ok: false, problems: [{ field: 'connection', message: expect.stringContaining('"iMS"') }] });
    expect(writes(e)).toEqual([]);
    const taken = w.run('saveJob', { args: [job({ name: 'members' })] });
    expect(taken.result).toEqual({ ok: false, problems: [{ field: 'name', message: 'another job is already called "Members" (row 2)' }] });
    expect(writes(taken)).toEqual([]);
  });

  it('edits in place: Last Run, Last Result and a column of the coordinator\'s own stay', () => {
    const w = world();
    w.sheet(TAB.jobs).values[0]!.push('Owner');
    w.sheet(TAB.jobs).values[1]![10] = '2026-11-23 13:00';
    w.sheet(TAB.jobs).values[1]![11] = 'OK';
    w.sheet(TAB.jobs).values[1]![12] = 'Sam';
    const form = w.sidebar<JobForm>('jobForm', 'Members');
    expect(form).toMatchObject({ original: 'Members', enabled: true, action: 'Pull', mode: 'Replace', match: 'ID' });
    const e = w.run('saveJob', { args: [{ ...form, schedule: 'Daily' }] });
    expect(e.result).toMatchObject({ ok: true });
    expect(writes(e)).toEqual([{ op: 'setValues', sheet: TAB.jobs, row: 2, column: 1, rows: 1, columns: 10 }]);
    expect(w.sheet(TAB.jobs).records()).toEqual([expect.objectContaining({ Name: 'Members', Schedule: 'Daily', 'Last Run': '2026-11-23 13:00', 'Last Result': 'OK', Owner: 'Sam' })]);
  });

  it('a job edited by hand after the page read it is found by its name as it is now', () => {
    const w = world();
    w.sheet(TAB.jobs).values[1]![0] = 'Members (renamed)';
    const e = w.run('saveJob', { args: [job({ original: 'Members', name: 'Members' })] });
    expect(e.result).toMatchObject({ ok: false, problems: [{ field: '', message: expect.stringContaining('no longer a job named "Members"') }] });
    expect(writes(e)).toEqual([]);
  });

  it('adds a column the tab lacks only when the form fills it', () => {
    const w = world();
    w.doc.remove(TAB.jobs);
    const noParameters = HEADERS.jobs.filter((h) => h !== 'Parameters');
    w.addSheet(TAB.jobs, [noParameters]);
    expect(w.sidebar('saveJob', job())).toMatchObject({ ok: true });
    expect(w.sheet(TAB.jobs).grid()[0]).toEqual(noParameters);
    expect(w.sidebar('saveJob', job({ name: 'Pull with prompt', action: 'Pull', source: '$/Lists/Members', target: 'Members', match: '', mode: 'Merge', parameters: '{{today}}' }))).toMatchObject({ ok: true });
    expect(w.sheet(TAB.jobs).grid()[0]).toEqual([...noParameters, 'Parameters']);
    expect(w.sheet(TAB.jobs).records()[1]).toMatchObject({ Name: 'Pull with prompt', Parameters: '{{today}}' });
  });
});
