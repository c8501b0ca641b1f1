// Saved passwords and API keys in the built add-on (DESIGN §10.1, §10.2): each is bound to the
// connection's URL, user name and mode as they were when it was saved, so an editor who points a
// connection at another server (or deletes its row and adds one with the same name) gets nothing
// sent there, whether by Sync now, the owner's hourly trigger or Test; and no editor can fill the
// document's 500 KB property store with secrets, leaving runs no room to save where they stopped.

import { describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { EVERYACTION_CONNECTION, GasWorld, HOUR, IMIS_CONNECTION, PASSWORDS, seedConfig, setSecrets, STORE_LIMIT_BYTES, URLS } from './fakes';
import { MEMBERS, report, useWorlds } from './scenario';

const newWorld = useWorlds();

/** Where an editor points the connection; the fake internet would answer it like the real iMIS. */
const ELSEWHERE = 'https://collector.example.net/imis/';
const RESERVE = 100 * 1024;

type Result = { ok: boolean; message: string };
type State = { connections: { name: string; hasSecret: boolean }[]; problems: string[] };

function boundWorld(): GasWorld {
  const w = newWorld();
  seedConfig(w, { jobs: [MEMBERS] });
  setSecrets(w);
  return w;
}

function setConnectionCell(w: GasWorld, row: number, header: string, value: unknown): void {
  const tab = w.sheet(TAB.connections);
  tab.put(row, tab.column(header), value as string);
}

const hasSecret = (w: GasWorld, name = 'iMIS') => w.sidebar<State>('sidebarState').connections.find((c) => c.name === name)!.hasSecret;

describe('A saved password belongs to the connection it was saved for', () => {
  it('is saved with the URL, user name and mode as config parsing reads them, and never comes back', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS], connections: [['iMIS', 'iMIS', ' HTTPS://IMIS.example.org/imis ', ' sync.user ', 'ems', '']] });
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'demo-password')).toEqual({
      ok: true,
      message: 'The password for "iMIS" is saved. It is kept with this spreadsheet and never shown again.',
    });
    expect(JSON.parse(w.props.document.get('secret:iMIS')!)).toEqual({ v: 2, value: 'demo-password', url: URLS.imis, username: 'sync.user', mode: 'EMS' });
    expect(hasSecret(w)).toBe(true);
    expect(JSON.stringify(w.sidebar('sidebarState'))).not.toContain('demo-password');
  });

  it('after the URL changes, Sync now, the hourly trigger and Test send nothing anywhere, and say to enter it again', () => {
    const w = boundWorld();
    w.call('turnHourlyOn');
    setConnectionCell(w, 2, 'URL', ELSEWHERE);

    const state = w.sidebar<State>('sidebarState');
    expect(state.connections).toEqual([expect.objectContaining({ name: 'iMIS', hasSecret: false })]);
    expect(state.problems).toContain('Connections row 2, Name: the password for "iMIS" was saved before the URL changed, so it is not used; enter it again');

    expect(w.sidebar<Result>('testConnection', 'iMIS')).toEqual({
      ok: false,
      message: 'The password for "iMIS" was saved before the URL changed, so it is not used; enter it again.',
    });
    w.call('syncNow');
    w.clock.advance(HOUR);
    const hourly = w.fireTriggers();
    expect(hourly.map((e) => e.error)).toEqual([undefined]);

    expect(w.internet.requests, 'nothing is sent, to the new address or any other').toEqual([]);
    expect(report(w).map((r) => [r.Trigger, r.Job, r.Status])).toEqual([
      ['Manual', 'Members', 'Failed'],
      ['Hourly', 'Members', 'Failed'],
    ]);
    for (const row of report(w)) expect(String(row.Message)).toMatch(/saved before the URL changed.*again/);
    expect(w.doc.find('Members')).toBeUndefined();

    // Put back as it was, the password is good again: nothing was lost for the real server.
    setConnectionCell(w, 2, 'URL', URLS.imis);
    expect(hasSecret(w)).toBe(true);
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'OK' });
    expect(w.internet.requests.every((r) => r.url.startsWith(URLS.imis))).toBe(true);
  });

  it('deleting the row and adding one with the same name and another URL does not inherit it', () => {
    const w = boundWorld();
    w.call('turnHourlyOn');
    const tab = w.sheet(TAB.connections);
    tab.values.splice(1, 1);
    tab.seed([['Other', 'iMIS', URLS.imis2017, 'sync.user', '2017', ''], ['iMIS', 'iMIS', ELSEWHERE, 'sync.user', 'EMS', '']], 2);

    expect(hasSecret(w)).toBe(false);
    w.call('syncNow');
    w.clock.advance(HOUR);
    w.fireTriggers();
    expect(w.internet.requests).toEqual([]);
    expect(report(w).map((r) => r.Status)).toEqual(['Failed', 'Failed']);
  });

  it('names what changed: the user name, the mode, or for EveryAction the application name', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS], connections: [IMIS_CONNECTION, EVERYACTION_CONNECTION] });
    setSecrets(w, { iMIS: PASSWORDS.iMIS, EveryAction: PASSWORDS.EveryAction });
    const said = (name: string) => w.sidebar<Result>('testConnection', name).message;

    setConnectionCell(w, 2, 'Username', 'someone.else');
    expect(said('iMIS')).toBe('The password for "iMIS" was saved before the user name changed, so it is not used; enter it again.');
    setConnectionCell(w, 2, 'Mode', '2017');
    expect(said('iMIS')).toBe('The password for "iMIS" was saved before the user name and the mode changed, so it is not used; enter it again.');
    setConnectionCell(w, 2, 'URL', ELSEWHERE);
    expect(said('iMIS')).toBe('The password for "iMIS" was saved before the URL, the user name and the mode changed, so it is not used; enter it again.');

    setConnectionCell(w, 3, 'Username', 'AnotherApp');
    expect(said('EveryAction')).toBe('The API key for "EveryAction" was saved before the application name changed, so it is not used; enter it again.');
    // A blank URL means EveryAction's public API: a change of address all the same.
    setConnectionCell(w, 3, 'Username', EVERYACTION_CONNECTION[3]);
    setConnectionCell(w, 3, 'URL', '');
    expect(said('EveryAction')).toMatch(/saved before the URL changed/);
    expect(w.internet.requests).toEqual([]);
    // The Status cell says it too.
    expect(w.sheet(TAB.connections).records().map((r) => r.Status)).toEqual([expect.stringMatching(/enter it again/), expect.stringMatching(/enter it again/)]);
  });

  it('a password an earlier version saved (bare text, bound to nothing) is not used until entered again', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS] });
    w.props.document.set('secret:iMIS', PASSWORDS.iMIS);
    expect(hasSecret(w)).toBe(false);
    expect(w.sidebar<Result>('testConnection', 'iMIS').message).toBe(
      'The password for "iMIS" was saved before the way Sheets Sync stores it changed, so it is not used; enter it again.',
    );
    w.call('syncNow');
    expect(w.internet.requests).toEqual([]);
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'Failed' });

    setSecrets(w);
    expect(hasSecret(w)).toBe(true);
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'OK' });
  });

  it('is not saved for a connection whose row has problems: the message says what to fix', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS], connections: [['iMIS', 'iMIS', 'http://imis.example.org/imis/', 'sync.user', 'EMS', '']] });
    const out = w.sidebar<Result>('setSecret', 'iMIS', 'demo-password');
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/^Nothing was saved: a password is kept only for a connection Sheets Sync can use, so first fix the Connections tab \(Connections row 2, URL: the address must start with https:\/\//);
    expect(out.message).toMatch(/then save the password again\.$/);
    expect(w.props.document.get('secret:iMIS')).toBeNull();

    // A second row with the same name is a problem of this connection too.
    seedConfig(w, { jobs: [MEMBERS], connections: [IMIS_CONNECTION, ['imis', 'iMIS', ELSEWHERE, 'sync.user', 'EMS', '']] });
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'demo-password').message).toMatch(/Connections row 3, Name: another connection is already called "iMIS" \(row 2\)/);
    expect(w.props.document.get('secret:iMIS')).toBeNull();
  });

  it('a problem in another connection or in a job does not stop saving this one', () => {
    const w = newWorld();
    seedConfig(w, {
      jobs: [MEMBERS, { name: 'Broken', source: 'not an IQA path', target: 'Members 2' }],
      connections: [['Draft', 'iMIS', 'not a web address', '', '', ''], IMIS_CONNECTION],
    });
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'demo-password')).toMatchObject({ ok: true });
    expect(hasSecret(w)).toBe(true);
    expect(hasSecret(w, 'Draft')).toBe(false);
  });
});

describe('Saved passwords leave room for run state in the 500 KB property store', () => {
  it('one save at a time: while another execution holds the document lock, nothing is saved and the editor is told to try again', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS], connections: [IMIS_CONNECTION] });
    const before = w.props.document.get('secret:iMIS');
    w.locks.document.holder = -1;
    const busy = w.sidebar<Result>('setSecret', 'iMIS', 'new-password');
    expect(busy).toMatchObject({ ok: false, message: 'Nothing was saved: Sheets Sync was busy saving in this spreadsheet (another editor, or a sync). Save the password again in a moment.' });
    expect(w.props.document.get('secret:iMIS')).toBe(before);
    w.locks.document.holder = null;
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'new-password')).toMatchObject({ ok: true });
    expect(JSON.parse(w.props.document.get('secret:iMIS')!)).toMatchObject({ value: 'new-password' });
  });

  /** Fills document properties with run-state-like values until `used` bytes are taken. */
  function fill(w: GasWorld, used: number, prefix = 'state:filler-'): void {
    for (let i = 0; w.props.document.size() < used; i++) {
      const key = `${prefix}${i}`;
      const room = used - w.props.document.size() - key.length;
      w.props.document.set(key, 'x'.repeat(Math.max(1, Math.min(8000, room))));
    }
  }

  it('an editor saving secret after secret is stopped 100 KB short of the limit, and runs still save their state', () => {
    const w = newWorld();
    const extra = Array.from({ length: 40 }, (_, i) => [`Extra ${i + 1}`, 'iMIS', `https://imis${i + 1}.example.org/`, 'someone', 'EMS', '']);
    seedConfig(w, { jobs: [MEMBERS], connections: [IMIS_CONNECTION, ...extra] });
    setSecrets(w);
    fill(w, STORE_LIMIT_BYTES - RESERVE - 20 * 1024);

    const answers: Result[] = [];
    for (let i = 1; i <= 40; i++) answers.push(w.sidebar<Result>('setSecret', `Extra ${i}`, 'k'.repeat(1000)));
    const refused = answers.filter((a) => !a.ok);
    expect(answers.filter((a) => a.ok).length).toBeGreaterThan(10);
    expect(refused.length).toBeGreaterThan(10);
    expect(answers.findIndex((a) => !a.ok), 'once refused, always refused').toBe(answers.length - refused.length);
    expect(refused[0]!.message).toMatch(
      /^Nothing was saved: this spreadsheet has no room left for another password\. Google keeps at most 500 KB .* and 100 KB of it is kept free so syncs can save where they stopped; saving this would use \d+ KB\. Remove connections you no longer use/,
    );
    expect(w.props.document.size()).toBeLessThanOrEqual(STORE_LIMIT_BYTES - RESERVE);

    // The run saves its lease, checkpoint and the schedule's state in the room that was kept.
    w.call('turnHourlyOn');
    w.call('syncNow');
    w.clock.advance(HOUR);
    w.fireTriggers();
    expect(report(w).map((r) => [r.Job, r.Status])).toEqual([
      ['Members', 'OK'],
      ['Members', 'OK'],
    ]);
  });

  it('saving again over the same connection needs room only for the difference', () => {
    const w = boundWorld();
    fill(w, STORE_LIMIT_BYTES - RESERVE - 10);
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'demo-password')).toMatchObject({ ok: true });
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'a-much-longer-password-than-before')).toMatchObject({ ok: false });
    expect(JSON.parse(w.props.document.get('secret:iMIS')!).value).toBe('demo-password');
  });

  it('passwords of connections no longer in the tab are forgotten first to make room; run state is never touched', () => {
    const w = boundWorld();
    w.props.document.set('secret:Gone', JSON.stringify({ v: 2, value: 'g'.repeat(5000), url: ELSEWHERE, username: 'x', mode: 'EMS' }));
    w.props.document.set('secret:Also gone', 'an old bare password');
    fill(w, STORE_LIMIT_BYTES - RESERVE - 100);
    const state = Object.entries(w.props.document.all()).filter(([k]) => k.startsWith('state:'));

    // A longer password needs more room than there is until the two are forgotten.
    expect(w.sidebar<Result>('setSecret', 'iMIS', `demo-password-${'p'.repeat(200)}`)).toMatchObject({ ok: true });
    expect(w.props.document.get('secret:Gone')).toBeNull();
    expect(w.props.document.get('secret:Also gone')).toBeNull();
    expect(Object.entries(w.props.document.all()).filter(([k]) => k.startsWith('state:'))).toEqual(state);
    expect(hasSecret(w)).toBe(true);
  });

  it('a URL too long to keep with the password is refused in plain words, not Apps Script\'s', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS], connections: [['iMIS', 'iMIS', `https://imis.example.org/${'a'.repeat(9300)}/`, 'sync.user', 'EMS', '']] });
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'demo-password')).toEqual({
      ok: false,
      message: 'Nothing was saved: the URL and user name of "iMIS" are too long to keep with its password. Shorten them in the Connections tab, then save again.',
    });
    expect(w.props.document.get('secret:iMIS')).toBeNull();
  });

  it('a header-only Connections tab or a missing one: no such connection', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS], connections: [] });
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'pw')).toEqual({ ok: false, message: 'There is no connection named "iMIS" in the Connections tab.' });
    w.doc.remove(TAB.connections);
    expect(w.sidebar<Result>('setSecret', 'iMIS', 'pw')).toEqual({ ok: false, message: 'There is no connection named "iMIS" in the Connections tab.' });
    expect(w.props.document.map.size).toBe(0);
  });
});
