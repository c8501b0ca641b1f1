// The add-on as Apps Script runs it: the built dist/Code.js loaded into a fresh node:vm context
// for every execution, holding only fakes of the Apps Script services (test/gas/fakes), over one
// persistent spreadsheet, its document properties, triggers and lock, with the iMIS and
// EveryAction simulators answering UrlFetchApp. Each scenario asserts what a coordinator relies
// on, including the defects this harness first found in src/gas (now fixed, and kept as tests).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { HEADERS, TAB } from '../../src/core/config/types';
import { CHOICES } from '../../src/core/starter';
import { DEMO_QUERIES } from '../../src/simulators/imis';
import {
  contactMappings,
  COORDINATOR,
  EVERYACTION_CONNECTION,
  GasWorld,
  HOUR,
  IMIS_CONNECTION,
  interpret,
  MINUTE,
  PASSWORDS,
  peopleTab,
  seedConfig,
  setSecrets,
  type JobSpec,
  type Stored,
  type WorldOptions,
} from './fakes';
import { EDITOR, MEMBERS, pullWorld as pullWorldOf, plantLease, report, runRecord, SIGNUPS, useWorlds, writtenTabs } from './scenario';

// The sidebar first: a new coordinator sets up the tabs there (DESIGN §10.3).
const MENU = [
  { caption: 'Open sidebar', fn: 'openSidebar' },
  { caption: 'Sync now', fn: 'syncNow' },
  { caption: 'Preview a job…', fn: 'previewJob' },
  { caption: '---', fn: '' },
  { caption: 'Set up tabs', fn: 'setUpTabs' },
  { caption: 'Turn hourly sync on', fn: 'turnHourlyOn' },
  { caption: 'Turn hourly sync off', fn: 'turnHourlyOff' },
];

const newWorld = useWorlds();
const pullWorld = (o: WorldOptions = {}) => pullWorldOf(newWorld, o);

function formulasAnywhere(w: GasWorld) {
  return w.doc.sheets.flatMap((s) => s.formulaCells().map((f) => ({ sheet: s.name, ...f })));
}

// ---------------------------------------------------------------------------------------------

describe('1. onOpen and onInstall', () => {
  it.each(['onOpen', 'onInstall'])('%s builds the add-on menu and touches no other service, in every authorization mode', (fn) => {
    const w = newWorld();
    for (const authMode of ['NONE', 'LIMITED', 'FULL'] as const) {
      const e = w.run(fn, { authMode, event: { authMode } });
      expect(e.error, `${fn} in AuthMode.${authMode}`).toBeUndefined();
      expect([...e.servicesAtLoad], 'loading the bundle touches no service').toEqual([]);
      expect([...e.services]).toEqual(['SpreadsheetApp']);
      expect(e.calls.kinds().filter((k) => !/^(Ui|Menu)\./.test(k))).toEqual(['SpreadsheetApp.getUi']);
    }
    expect(w.ui.menus).toEqual([1, 2, 3].map(() => ({ title: 'add-on', items: MENU })));
    expect(w.doc.sheets.map((s) => s.name)).toEqual(['Sheet1']);
    expect(w.props.document.map.size).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('2. Set up tabs', () => {
  const RULES: Record<string, Record<string, { list?: readonly string[]; checkbox?: true; loose?: true }>> = {
    [TAB.connections]: { System: { list: CHOICES.System }, Mode: { list: CHOICES['Connection Mode'] } },
    [TAB.jobs]: {
      Enabled: { checkbox: true },
      Action: { list: CHOICES.Action },
      Match: { list: CHOICES.Match, loose: true },
      Mode: { list: [...CHOICES['Pull Mode']!, ...CHOICES['Push Mode']!] },
      Schedule: { list: CHOICES.Schedule, loose: true },
    },
    [TAB.mappings]: { Required: { checkbox: true }, Transform: { list: CHOICES.Transform } },
    [TAB.constants]: {},
  };
  const HEADER_OF = { [TAB.connections]: HEADERS.connections, [TAB.jobs]: HEADERS.jobs, [TAB.mappings]: HEADERS.mappings, [TAB.constants]: HEADERS.constants };

  it('creates the four config tabs with exact headers, an example row, frozen headers, dropdowns and checkboxes', () => {
    const w = newWorld();
    const e = w.run('setUpTabs');
    expect(e.error).toBeUndefined();
    expect(w.doc.sheets.map((s) => s.name)).toEqual(['Sheet1', TAB.connections, TAB.jobs, TAB.mappings, TAB.constants]);
    for (const [tab, headers] of Object.entries(HEADER_OF)) {
      const s = w.sheet(tab);
      expect(s.grid()[0], `${tab} headers`).toEqual([...headers]);
      expect(s.lastRow(), `${tab} has an example row`).toBeGreaterThanOrEqual(2);
      expect(s.frozenRows, `${tab} header frozen`).toBe(1);
      for (let c = 1; c <= headers.length; c++) {
        const header = headers[c - 1]!;
        const want = RULES[tab]![header];
        const rule = s.validation(2, c);
        if (!want) {
          expect(rule, `${tab}.${header} has no validation`).toBeUndefined();
          continue;
        }
        expect(rule, `${tab}.${header}`).toBeDefined();
        if (want.checkbox) expect(rule!.criteria).toBe('CHECKBOX');
        else {
          expect(rule!.criteria).toBe('VALUE_IN_LIST');
          expect(rule!.values).toEqual([...want.list!]);
          expect(rule!.allowInvalid, `${tab}.${header} ${want.loose ? 'accepts' : 'rejects'} other values`).toBe(want.loose === true);
        }
        // The dropdown reaches well below the example, but not the header.
        expect(s.validation(400, c)).toEqual(rule);
        expect(s.validation(1, c)).toBeUndefined();
      }
    }
    // The example job is a checkbox TRUE, not the text "TRUE".
    expect(w.sheet(TAB.jobs).records()[0]!.Enabled).toBe(true);
    expect(formulasAnywhere(w)).toEqual([]);
    expect(w.ui.toasts.at(-1)!.message).toMatch(/^Set up: created Connections; created Jobs; created Mappings; created Constants\.$/);
    // Only the sheet work it takes: no request, no property.
    expect(w.internet.requests).toEqual([]);
    expect(e.calls.sum('Properties')).toBe(0);
  });

  it('run again, duplicates nothing and keeps the coordinator’s own rows and columns', () => {
    const w = newWorld();
    w.call('setUpTabs');
    const jobs = w.sheet(TAB.jobs);
    jobs.seed([['Volunteers', true, 'Push', 'iMIS', 'Volunteers', 'Demo_Volunteer', 'Email', 'Upsert', '', 'Daily', '', '']], 3, 1);
    jobs.seed([['My notes'], ['keep me']], 1, 13);
    const before = w.doc.sheets.map((s) => ({ name: s.name, grid: s.grid() }));
    const e = w.run('setUpTabs');
    expect(e.error).toBeUndefined();
    expect(w.doc.sheets.map((s) => ({ name: s.name, grid: s.grid() }))).toEqual(before);
    expect(writtenTabs(e)).toEqual([]);
    expect(jobs.validation(3, 2)?.criteria).toBe('CHECKBOX');
    expect(w.ui.toasts.at(-1)!.message).toMatch(/already set up/);
  });

  it('adds only the missing headers at the right of an existing tab, keeping its rows', () => {
    const w = newWorld();
    w.addSheet(TAB.jobs, [
      ['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target', 'Notes'],
      ['Members', true, 'Pull', 'iMIS', DEMO_QUERIES.activeMembers, 'Members', 'mine'],
    ]);
    w.call('setUpTabs');
    const grid = w.sheet(TAB.jobs).grid();
    expect(grid[0]).toEqual(['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target', 'Notes', 'Match', 'Mode', 'Parameters', 'Schedule', 'Last Run', 'Last Result']);
    expect(grid.slice(1)).toEqual([['Members', true, 'Pull', 'iMIS', DEMO_QUERIES.activeMembers, 'Members', 'mine', '', '', '', '', '', '']]);
    // The dropdowns follow the headers wherever they are.
    expect(w.sheet(TAB.jobs).validation(2, 11)?.values).toEqual([...CHOICES.Schedule!]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('3. Sync now with a pull job', () => {
  it('fills the tab with one write, reports the run, fills Last Run / Last Result, and sends the headers iMIS asks for', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS] });
    setSecrets(w);
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();

    const members = w.sheet('Members');
    expect(members.lastRow()).toBe(1235);
    expect(members.grid()[0]!.slice(0, 4)).toEqual(['ID', 'FirstName', 'LastName', 'Email']);
    // A new tab is 1,000 rows: it is grown by one call, then written by one.
    expect(e.sheetOps.filter((o) => o.sheet === 'Members' && o.op !== 'getValues')).toEqual([
      { op: 'insertRowsAfter', sheet: 'Members', row: 1000, column: 0, rows: 235, columns: 0, exec: e.id },
      { op: 'setValues', sheet: 'Members', row: 1, column: 1, rows: 1235, columns: 12, exec: e.id },
    ]);
    expect(members.maxRows).toBe(1235);

    const [row] = report(w);
    expect(row).toMatchObject({ Trigger: 'Manual', Job: 'Members', Status: 'OK', Read: 1234, Failed: 0, Requests: 4 });
    expect(report(w)).toHaveLength(1);
    const job = w.sheet(TAB.jobs).records()[0]!;
    expect(job['Last Run']).toBe('2026-11-23T15:00:00Z');
    expect(String(job['Last Result'])).toMatch(/^OK: 1,234 rows/);
    expect(w.ui.toasts.at(-1)!.message).toMatch(/^Members: OK — 1,234 rows/);

    expect(w.internet.requests).toHaveLength(4);
    for (const r of w.internet.requests) {
      expect(r.headers['Accept-Encoding'], r.url).toBe('gzip, deflate');
      expect(r.muteHttpExceptions).toBe(true);
      expect(r.followRedirects).toBe(false);
    }
    expect(e.calls.get('UrlFetchApp.fetchAll')).toBe(4);
    // The password went to iMIS's token endpoint only, and was never written to the sheet.
    expect(w.internet.requests.filter((r) => r.payload?.includes('demo-password')).map((r) => r.url)).toEqual([`${IMIS_CONNECTION[2]}token`]);
    expect(JSON.stringify(w.doc.sheets.map((s) => s.grid()))).not.toContain('demo-password');
  });

  it('a second Sync now with nothing changed in iMIS leaves the pulled tab unwritten', () => {
    const w = pullWorld();
    w.call('syncNow');
    const e = w.run('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'OK', Created: 0, Updated: 0, Unchanged: 1234 });
    expect(writtenTabs(e)).toEqual([TAB.jobs, TAB.report]);
  });

  it('a 2017 site and an EveryAction changed-people pull work through UrlFetchApp too (the API key never goes to the file host)', () => {
    const w = newWorld();
    seedConfig(w, {
      connections: [['Old iMIS', 'iMIS', 'https://imis.example.org/imis2017/', 'sync.user', '2017', ''], EVERYACTION_CONNECTION],
      jobs: [
        { name: 'Events', connection: 'Old iMIS', source: DEMO_QUERIES.events, target: 'Events', match: 'EventCode', mode: 'Merge' },
        { name: 'EA changes', connection: 'EveryAction', source: 'Changed people', target: 'EveryAction People', match: 'VANID', mode: 'Merge' },
      ],
    });
    setSecrets(w, { 'Old iMIS': PASSWORDS['Old iMIS'], EveryAction: PASSWORDS.EveryAction });
    for (let i = 0; i < 3 && report(w).filter((r) => r.Job === 'EA changes' && r.Status === 'OK').length === 0; i++) {
      w.call('syncNow');
      w.clock.advance(HOUR);
    }
    expect(report(w).filter((r) => r.Job === 'Events')[0]).toMatchObject({ Status: 'OK' });
    expect(report(w).filter((r) => r.Job === 'EA changes').at(-1)).toMatchObject({ Status: 'OK' });
    expect(w.sheet('Events').lastRow()).toBeGreaterThan(1);
    expect(w.sheet('EveryAction People').lastRow()).toBeGreaterThan(1);
    expect(w.everyAction.downloads.length).toBeGreaterThan(0);
    expect(w.everyAction.downloads.every((d) => d.authorization === undefined)).toBe(true);
    expect(w.internet.requests.every((r) => r.headers['Accept-Encoding'] === 'gzip, deflate' || r.url.startsWith('https://files.'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('4. Sync now with a push job', () => {
  function pushWorld() {
    const w = newWorld();
    seedConfig(w, {
      jobs: [{ name: 'Notes', source: '$/Notes', target: 'Notes', match: 'ID', mode: 'Replace' }, SIGNUPS],
      mappings: contactMappings('Sign-ups'),
    });
    // Text that a sheet would take for a formula, as iMIS could hold it in a notes field.
    w.imis.setQueryRows('$/Notes', [
      { ID: '1', Notes: '=1+1', Tag: '-5 points', Phone: '+1 555 0100', Handle: '@home' },
      { ID: '2', Notes: '=HYPERLINK("http://evil.example","click")', Tag: '- follow up', Phone: '555 0100', Handle: 'x' },
    ]);
    // The coordinator's own tab: a first name typed as text that looks like a formula, an invalid email.
    const tab = peopleTab(3);
    tab.push(['-bad', '=1+1', 'Dash']);
    w.addSheet('Sign-ups', tab);
    setSecrets(w);
    return { w, tab };
  }

  it('writes the status columns beside the rows (one write), hides the Hash column, and never the coordinator’s cells', () => {
    const { w, tab } = pushWorld();
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();
    const s = w.sheet('Sign-ups');
    const grid = s.grid();
    expect(grid[0]).toEqual(['Email', 'First', 'Last', 'Sign-ups ID', 'Sign-ups Status', 'Sign-ups Synced At', 'Sign-ups Message', 'Sign-ups Hash']);
    expect(grid.map((r) => r.slice(0, 3))).toEqual(tab);
    expect([...s.hiddenColumns]).toEqual([8]);
    expect(e.sheetOps.filter((o) => o.sheet === 'Sign-ups' && o.op !== 'getValues')).toEqual([
      { op: 'setValues', sheet: 'Sign-ups', row: 1, column: 4, rows: 5, columns: 5, exec: e.id },
    ]);
    const rows = s.records();
    expect(rows.slice(0, 3).map((r) => r['Sign-ups Status'])).toEqual(['Created', 'Created', 'Created']);
    expect(rows.slice(0, 3).every((r) => String(r['Sign-ups ID']) !== '' && r['Sign-ups Hash'] !== '')).toBe(true);
    expect(rows[3]).toMatchObject({ 'Sign-ups Status': 'Skipped', 'Sign-ups ID': '', 'Sign-ups Hash': '' });
    expect(String(rows[3]!['Sign-ups Message'])).not.toBe('');
    // Every new contact exists exactly once in iMIS.
    for (let i = 0; i < 3; i++) expect(w.imis.parties().filter((p) => JSON.stringify(p).includes(`signup.${i}@example.org`)), `signup.${i}`).toHaveLength(1);
    expect(report(w).find((r) => r.Job === 'Sign-ups')).toMatchObject({ Status: 'OK', Read: 4, Created: 3, Skipped: 1 });
  });

  it('text that looks like a formula is written as text, never as a formula, in every tab it writes', () => {
    const { w } = pushWorld();
    w.call('syncNow');
    expect(formulasAnywhere(w)).toEqual([]);
    expect(w.sheet('Notes').records().map((r) => [r.Notes, r.Tag, r.Phone, r.Handle])).toEqual([
      ['=1+1', '-5 points', '+1 555 0100', '@home'],
      ['=HYPERLINK("http://evil.example","click")', '- follow up', '555 0100', 'x'],
    ]);
    // The Sync Log names the skipped row by its key "-bad": as text.
    expect(w.sheet(TAB.log).records().some((r) => r.Key === '-bad')).toBe(true);
  });

  it('a second Sync now sends nothing for unchanged rows and writes no status', () => {
    const { w } = pushWorld();
    w.call('syncNow');
    const sent = w.imis.requests.length;
    const e = w.run('syncNow');
    expect(report(w).filter((r) => r.Job === 'Sign-ups').at(-1)).toMatchObject({ Status: 'OK', Unchanged: 3, Created: 0 });
    // Only the invalid row is looked at again (it is Skipped, so it is retried, and skipped again without a request).
    expect(w.imis.requests.filter((r) => !r.path.startsWith('/api/query')).length - sent).toBeLessThanOrEqual(1);
    expect(e.sheetOps.filter((o) => o.sheet === 'Sign-ups' && o.op === 'setValues')).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('5. The hourly trigger runs jobs by Schedule', () => {
  it('Hourly every time, Daily once a day, Manual never; Sync now runs them all', () => {
    const w = newWorld();
    w.imis.setQueryRows('$/Tiny', [{ ID: '1', Name: 'One' }]);
    const tiny = (name: string, schedule: JobSpec['schedule'], enabled = true): JobSpec => ({ name, source: '$/Tiny', target: name, match: 'ID', mode: 'Replace', schedule, enabled });
    seedConfig(w, { jobs: [tiny('Every hour', 'Hourly'), tiny('Every day', 'Daily'), tiny('By hand', 'Manual'), tiny('Switched off', 'Hourly', false)] });
    setSecrets(w);
    w.call('turnHourlyOn');
    expect(w.script.triggers).toMatchObject([{ owner: COORDINATOR, handler: 'hourlySync', kind: 'CLOCK', everyHours: 1, createdByTrigger: false }]);
    // A run takes a little while, as a real one does.
    w.internet.latencyMs = 1500;

    const ran: string[][] = [];
    for (let hour = 0; hour <= 48; hour++) {
      const before = report(w).length;
      const [e] = w.fireTriggers();
      expect(e!.error, `hour ${hour}`).toBeUndefined();
      expect(e!.calls.get('SpreadsheetApp.getUi'), 'a trigger never asks for the UI').toBe(0);
      ran.push(report(w).slice(before).map((r) => String(r.Job)));
      w.clock.set(Date.parse('2026-11-23T15:00:00Z') + (hour + 1) * HOUR);
    }
    expect(ran.every((jobs) => jobs.includes('Every hour'))).toBe(true);
    // Daily: the first hourly run after 02:00 in the spreadsheet's zone (New York: 07:00Z, hours 16
    // and 40 from the 15:00Z start); hour 0 catches up the day's slot, already past.
    expect(ran.map((jobs, hour) => (jobs.includes('Every day') ? hour : -1)).filter((h) => h >= 0)).toEqual([0, 16, 40]);
    expect(ran.flat().filter((j) => j === 'By hand' || j === 'Switched off')).toEqual([]);
    expect(report(w).every((r) => r.Trigger === 'Hourly' && r.Status === 'OK')).toBe(true);

    w.call('syncNow');
    expect(report(w).filter((r) => r.Trigger === 'Manual').map((r) => r.Job)).toEqual(['Every hour', 'Every day', 'By hand']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('6. Runs longer than the time budget', () => {
  /** A pull that fits the budget, then 100 new contacts that do not (15 s per request round). */
  function slowWorld(pushRows = 100) {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS, SIGNUPS], mappings: contactMappings('Sign-ups') });
    w.addSheet('Sign-ups', peopleTab(pushRows));
    setSecrets(w);
    w.internet.latencyMs = 15_000;
    return w;
  }

  function expectEveryRowOnce(w: GasWorld, n = 100) {
    const creates = w.imis.requests.filter((r) => r.method === 'POST' && r.path.toLowerCase().startsWith('/api/party'));
    expect(creates, 'each row created once').toHaveLength(n);
    const parties = w.imis.parties().map((p) => JSON.stringify(p));
    for (let i = 0; i < n; i++) expect(parties.filter((p) => p.includes(`"signup.${i}@example.org"`)), `signup.${i}`).toHaveLength(1);
    const rows = w.sheet('Sign-ups').records();
    expect(rows.filter((r) => r['Sign-ups Status'] === 'Created')).toHaveLength(n);
    expect(new Set(rows.map((r) => String(r['Sign-ups ID']))).size).toBe(n);
    expect(w.sheet('Members').lastRow()).toBe(1235);
  }

  it('stops at the budget with Partial and a checkpoint; Sync now again carries on where it stopped', () => {
    const w = slowWorld();
    const first = w.run('syncNow');
    expect(first.error).toBeUndefined();
    expect(report(w).map((r) => [r.Job, r.Status])).toEqual([
      ['Members', 'OK'],
      ['Sign-ups', 'Partial'],
    ]);
    expect(runRecord(w).checkpoints).toMatchObject([{ jobs: ['Sign-ups'], trigger: 'Manual' }]);
    expect(w.ui.toasts.at(-1)!.message).toMatch(/press Sync now again/);
    // Within Apps Script's 6 minutes.
    expect(w.clock.now() - Date.parse('2026-11-23T15:00:00Z')).toBeLessThan(6 * MINUTE);

    w.clock.advance(MINUTE);
    w.call('syncNow');
    const rows = report(w);
    expect(rows.map((r) => [r.Job, r.Status])).toEqual([
      ['Members', 'OK'],
      ['Sign-ups', 'Partial'],
      ['Sign-ups', 'OK'],
    ]);
    expect(new Set(rows.map((r) => r.Run)).size, 'one run in the report').toBe(1);
    expect(Number(rows[1]!.Created) + Number(rows[2]!.Created)).toBe(100);
    expect(w.props.document.get('state:run:state'), 'no checkpoint and no lease left').toBeNull();
    expectEveryRowOnce(w);
  });

  it('the next hourly run resumes a run that Sync now left unfinished', () => {
    const w = slowWorld();
    w.call('turnHourlyOn');
    w.call('syncNow');
    w.clock.advance(HOUR);
    const e = w.fireTriggers()[0]!;
    expect(e.error).toBeUndefined();
    expect(report(w).map((r) => [r.Job, r.Status, r.Trigger])).toEqual([
      ['Members', 'OK', 'Manual'],
      ['Sign-ups', 'Partial', 'Manual'],
      ['Sign-ups', 'OK', 'Hourly'],
    ]);
    expectEveryRowOnce(w);
  });

  it('the sidebar runs in short slices: startRun, then continueRun until done, progress in between', () => {
    const w = slowWorld();
    w.sheet(TAB.jobs).put(2, 2, false); // the pull is not part of this run
    let step = w.sidebar<{ done: boolean; token: string; message: string; fraction: number | null; results: unknown[] }>('startRun', '', false);
    const messages: string[] = [];
    const fractions: (number | null)[] = [];
    for (let i = 0; !step.done && i < 40; i++) {
      messages.push(step.message);
      fractions.push(step.fraction);
      step = w.sidebar('continueRun', step.token);
    }
    expect(step.done).toBe(true);
    expect(messages.length).toBeGreaterThan(1);
    // A single job's progress is a real fraction: the rows sent of the rows to send, as the engine said.
    expect(messages[0]).toMatch(/^Sign-ups: sent \d+ of \d+ rows; continuing…$/);
    expect(fractions[0]).toBeGreaterThan(0);
    expect(fractions[0]).toBeLessThan(1);
    expect(step.results).toEqual([expect.objectContaining({ job: 'Sign-ups', status: 'OK', read: 100 })]);
    expect(w.sidebar('continueRun', 'no-such-run')).toMatchObject({ done: true, message: 'This run has already finished.' });
    const creates = w.imis.requests.filter((r) => r.method === 'POST' && r.path.toLowerCase().startsWith('/api/party'));
    expect(creates).toHaveLength(100);
  });

  it('a pull that needs longer than one sidebar slice (30 s) still finishes from the sidebar', () => {
    // A pull keeps reading past the sidebar's 30 s slice (to the 4.5 min budget): stopping half way
    // would mean starting again from page 1. With 15 s per request it needs ~45 s.
    const w = slowWorld();
    w.sheet(TAB.jobs).put(3, 2, false);
    let step = w.sidebar<{ done: boolean; token: string }>('startRun', 'Members', false);
    for (let i = 0; !step.done && i < 20; i++) step = w.sidebar('continueRun', step.token);
    expect(step.done).toBe(true);
  });

  it('right after Sync now stopped at the budget, the sidebar carries the run on', () => {
    // The paused run's lease is not active, and startRun carries on its checkpoint.
    const w = slowWorld();
    w.call('syncNow');
    w.clock.advance(MINUTE);
    const step = w.sidebar<{ message: string }>('startRun', '', false);
    expect(step.message).not.toMatch(/Another sync/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('7. One run at a time', () => {
  /** Runs Sync now; at its first request, the hourly trigger fires (an overlapping execution). */
  function overlapped(w: GasWorld, secondStartsAfterMs = 1000) {
    let second: ReturnType<GasWorld['run']> | null = null;
    let started = false;
    let reportWhenSecondEnded: Record<string, Stored>[] = [];
    w.internet.onRequest = () => {
      if (started) return;
      started = true;
      w.clock.advance(secondStartsAfterMs);
      second = w.trigger('hourlySync');
      reportWhenSecondEnded = report(w);
    };
    const first = w.run('syncNow');
    w.internet.onRequest = null;
    return { first, second: second!, reportWhenSecondEnded };
  }

  it('a run started while another is going is Skipped: no request, nothing written but its report row', () => {
    const w = pullWorld();
    w.call('turnHourlyOn');
    const { first, second, reportWhenSecondEnded } = overlapped(w);
    expect(first.error).toBeUndefined();
    expect(second.error).toBeUndefined();
    expect(second.calls.get('UrlFetchApp.requests')).toBe(0);
    expect(writtenTabs(second)).toEqual([TAB.report]);
    expect(reportWhenSecondEnded.map((r) => [r.Trigger, r.Job, r.Status])).toEqual([['Hourly', '', 'Skipped']]);
    expect(String(reportWhenSecondEnded[0]!.Message)).toMatch(/Another sync is still running/);
    expect(report(w).find((r) => r.Trigger === 'Manual')).toMatchObject({ Job: 'Members', Status: 'OK' });
    expect(w.sheet('Members').lastRow()).toBe(1235);
  });

  it('the Skipped row of the overlapping run survives the first run’s report write', () => {
    // The report is read again just before each write, so a row another execution appended
    // meanwhile stays.
    const w = pullWorld();
    w.call('turnHourlyOn');
    overlapped(w);
    expect(report(w).map((r) => r.Status)).toContain('Skipped');
  });

  it('of two runs that start within the same second, only one goes ahead', () => {
    // Run ids carry a random tail beside the time to the second, so a trigger firing in the same
    // second as Sync now does not take the running one's lease for its own.
    const w = pullWorld();
    w.call('turnHourlyOn');
    const { second } = overlapped(w, 0);
    expect(second.calls.get('UrlFetchApp.requests')).toBe(0);
  });

  it('an edit the coordinator makes in the Jobs tab while a run is going survives it', () => {
    // Last Run / Last Result are written as two columns into the Jobs tab as it is at the end.
    const w = pullWorld();
    let edited = false;
    w.internet.onRequest = () => {
      if (edited) return;
      edited = true;
      w.sheet(TAB.jobs).seed([['Volunteers', false, 'Push', 'iMIS', 'Volunteers', 'Demo_Volunteer', 'Email', 'Upsert', '', 'Daily']], 3, 1);
    };
    w.call('syncNow');
    expect(w.sheet(TAB.jobs).records().map((r) => r.Name)).toEqual(['Members', 'Volunteers']);
  });

  it('a lease younger than ten minutes blocks; an older one (a crashed run) does not', () => {
    const w = pullWorld();
    const lease = (ageMs: number) => plantLease(w, ageMs);
    lease(5 * MINUTE);
    w.call('syncNow');
    expect(report(w).map((r) => [r.Status, r.Job])).toEqual([['Skipped', '']]);
    expect(w.internet.requests).toEqual([]);
    expect(w.ui.toasts.at(-1)!.message).toMatch(/Skipped/);

    lease(11 * MINUTE);
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'OK' });
    expect(runRecord(w).lease).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe('8. The sidebar’s server functions', () => {
  function sidebarWorld() {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS, SIGNUPS], mappings: contactMappings('Sign-ups') });
    w.addSheet('Sign-ups', peopleTab(3));
    return w;
  }

  it('sidebarState lists connections (whether a secret is set, never the secret), jobs and the schedule', () => {
    const w = sidebarWorld();
    expect(w.sidebar('sidebarState')).toEqual({
      connections: [{ name: 'iMIS', system: 'iMIS', status: '', hasSecret: false }],
      jobs: [
        { name: 'Members', action: 'Pull', connection: 'iMIS', enabled: true, schedule: 'Hourly', lastRun: '', lastResult: '', target: 'Members' },
        { name: 'Sign-ups', action: 'Push', connection: 'iMIS', enabled: true, schedule: 'Hourly', lastRun: '', lastResult: '', target: 'Contact' },
      ],
      schedule: { on: false, owner: '', me: COORDINATOR },
      // what a run would stop on is said before anyone presses Run
      problems: ['Connections row 2, Name: no password is set for "iMIS" (open Extensions → Sheets Sync → Open sidebar and enter it there)'],
      tabsSetUp: true,
      // Last Run is shown in words in the spreadsheet's own zone.
      timeZone: expect.any(String),
    });
    expect(w.sidebar('setSecret', 'iMIS', 'demo-password')).toMatchObject({ ok: true });
    const state = w.sidebar<{ connections: { hasSecret: boolean }[] }>('sidebarState');
    expect(state.connections[0]!.hasSecret).toBe(true);
    expect(JSON.stringify(state)).not.toContain('demo-password');
    expect(w.sidebar('setSecret', 'Nope', 'x')).toMatchObject({ ok: false });
    expect(w.sidebar('setSecret', 'iMIS', '   ')).toMatchObject({ ok: false });
    expect(JSON.parse(w.props.document.get('secret:iMIS')!).value).toBe('demo-password');
  });

  it('testConnection writes "OK <time>" into Status, or iMIS’s plain complaint', () => {
    const w = sidebarWorld();
    expect(w.sidebar('testConnection', 'iMIS')).toMatchObject({ ok: false, message: 'Set the password for "iMIS" first.' });
    w.sidebar('setSecret', 'iMIS', 'demo-password');
    const ok = w.sidebar<{ ok: boolean; message: string }>('testConnection', 'iMIS');
    expect(ok.ok).toBe(true);
    expect(w.sheet(TAB.connections).records()[0]!.Status).toBe('OK 2026-11-23T15:00:00Z');

    w.sidebar('setSecret', 'iMIS', 'wrong-password');
    const bad = w.sidebar<{ ok: boolean; message: string }>('testConnection', 'iMIS');
    expect(bad.ok).toBe(false);
    const status = String(w.sheet(TAB.connections).records()[0]!.Status);
    expect(status).toBe(bad.message);
    expect(status).toMatch(/rejected the user name or password/);
    expect(status).not.toMatch(/^(Error|Exception|TypeError)|\bat .*\.js:\d+/);
    expect(formulasAnywhere(w)).toEqual([]);
  });

  it('setHourly: one trigger however often it is switched on; a second editor is told who runs it', () => {
    const w = sidebarWorld();
    expect(w.sidebar('setHourly', true)).toEqual({ on: true, owner: COORDINATOR, me: COORDINATOR });
    expect(w.sidebar('setHourly', true)).toEqual({ on: true, owner: COORDINATOR, me: COORDINATOR });
    expect(w.script.triggers).toHaveLength(1);

    expect(w.callAs(EDITOR, 'setHourly', true)).toMatchObject({ on: true, owner: COORDINATOR, me: EDITOR });
    w.run('turnHourlyOn', { as: EDITOR });
    expect(w.ui.toasts.at(-1)!.message).toBe(`Hourly sync is already on, running as ${COORDINATOR}. A second schedule would sync twice, so nothing was changed.`);
    w.run('turnHourlyOff', { as: EDITOR });
    expect(w.ui.toasts.at(-1)!.message).toMatch(/only coordinator@example.org can turn it off/);
    expect(w.script.triggers.map((t) => t.owner)).toEqual([COORDINATOR]);

    expect(w.sidebar('setHourly', false)).toEqual({ on: false, owner: '', me: COORDINATOR });
    expect(w.script.triggers).toEqual([]);
    expect(w.callAs(EDITOR, 'setHourly', true)).toMatchObject({ on: true, owner: EDITOR });
    expect(w.script.triggers.map((t) => t.owner)).toEqual([EDITOR]);
  });

  it('when the owner’s trigger is gone (they left, or removed it), another editor can take over once it has been silent for 3 hours', () => {
    // Only the owner's own executions can see their trigger, so a schedule that stops running is
    // recognised by the heartbeat each hourly run leaves.
    const w = sidebarWorld();
    w.sidebar('setHourly', true);
    w.script.triggers.splice(0); // removed outside the add-on (My triggers page, uninstall, access revoked)
    expect(w.callAs(EDITOR, 'setHourly', true)).toMatchObject({ on: true, owner: COORDINATOR });
    expect(w.script.triggers).toEqual([]);
    w.clock.advance(3 * 60 * MINUTE + MINUTE);
    expect(w.callAs(EDITOR, 'sidebarState')).toMatchObject({ schedule: { on: false, owner: '' } });
    expect(w.callAs(EDITOR, 'setHourly', true)).toMatchObject({ on: true, owner: EDITOR });
    expect(w.script.triggers.map((t) => t.owner)).toEqual([EDITOR]);
  });

  it('setSecret with a value over Apps Script’s 9 KB property limit is refused in plain words', () => {
    const w = sidebarWorld();
    expect(w.sidebar('setSecret', 'iMIS', 'x'.repeat(10_000))).toEqual({ ok: false, message: 'Nothing was saved: that is far too long to be a password or API key.' });
  });

  it('a 503 from iMIS is retried after Utilities.sleep (no real waiting), and the run ends OK', () => {
    const w = pullWorld();
    w.imis.faults.queue({ status: 503, times: 2 });
    const e = w.run('syncNow');
    expect(e.calls.get('Utilities.sleep')).toBe(2);
    expect(w.clock.now() - Date.parse('2026-11-23T15:00:00Z')).toBeGreaterThanOrEqual(2000);
    expect(report(w).at(-1)).toMatchObject({ Status: 'OK', Requests: 6 });
    expect(e.logs.map((l) => l.message)).toContain('Members: iMIS answered with an error (503); trying again in 1 s');
  });

  it('an iMIS that cannot be reached gives a plain sentence in Status and in the Sync Report', () => {
    const w = pullWorld();
    w.internet.unreachable.add('imis.example.org');
    const test = w.sidebar<{ ok: boolean; message: string }>('testConnection', 'iMIS');
    expect(test.ok).toBe(false);
    expect(w.sheet(TAB.connections).records()[0]!.Status).toBe(test.message);
    expect(test.message).toMatch(/^Could not reach iMIS at https:\/\/imis\.example\.org\/imis\/ while signing in/);
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'Failed' });
    expect(String(report(w).at(-1)!.Message)).toMatch(/Could not reach iMIS.*The tab was left as it was\.$/);
    expect(w.doc.find('Members')).toBeUndefined();
  });

  it('menu actions that need the UI fail inside a trigger exactly as Apps Script says', () => {
    const w = sidebarWorld();
    const e = w.run('openSidebar', { trigger: true });
    expect(String(e.error)).toBe('Exception: Cannot call SpreadsheetApp.getUi() from this context.');
  });

  it('startRun / continueRun run every enabled job (or one, or a preview) to the end', () => {
    const w = sidebarWorld();
    w.sidebar('setSecret', 'iMIS', 'demo-password');
    const preview = w.sidebar<{ done: boolean; results: { job: string; status: string; created: number }[] }>('startRun', 'Sign-ups', true);
    expect(preview.done).toBe(true);
    expect(preview.results).toEqual([expect.objectContaining({ job: 'Sign-ups', status: 'Preview', created: 3 })]);
    expect(w.imis.requests.filter((r) => r.method !== 'GET' && r.path !== '/token')).toEqual([]);
    expect(w.sheet('Sign-ups').lastColumn()).toBe(3);

    let step = w.sidebar<{ done: boolean; token: string; results: { job: string; status: string }[] }>('startRun', '', false);
    for (let i = 0; !step.done && i < 10; i++) step = w.sidebar('continueRun', step.token);
    expect(step.results.map((r) => [r.job, r.status])).toEqual([
      ['Members', 'OK'],
      ['Sign-ups', 'OK'],
    ]);
    const state = w.sidebar<{ jobs: { lastRun: string; lastResult: string }[] }>('sidebarState');
    expect(state.jobs.map((j) => j.lastResult.slice(0, 2))).toEqual(['OK', 'OK']);
  });

  it('fieldNames offers the contact fields for a push job; openSidebar serves dist/Sidebar.html', () => {
    const w = sidebarWorld();
    w.sidebar('setSecret', 'iMIS', 'demo-password');
    expect(w.sidebar<string[]>('fieldNames', 'Sign-ups')).toEqual(expect.arrayContaining(['Email', 'FirstName', 'LastName', 'PostalCode']));
    expect(w.sidebar('fieldNames', 'Members')).toEqual([]);
    const e = w.run('openSidebar');
    expect(e.error).toBeUndefined();
    expect(w.ui.sidebars).toEqual([{ title: 'Sheets Sync', content: readFileSync(join(w.root, 'dist/Sidebar.html'), 'utf8') }]);
  });

  it('Preview a job… from the menu asks for the job and writes nothing but the report and log', () => {
    const w = sidebarWorld();
    w.sidebar('setSecret', 'iMIS', 'demo-password');
    w.ui.answers.push({ button: 'OK', text: ' Sign-ups ' });
    const e = w.run('previewJob');
    expect(e.error).toBeUndefined();
    expect(w.ui.alerts.at(-1)!.buttons).toBe('OK_CANCEL');
    expect(writtenTabs(e)).toEqual([TAB.log, TAB.report]);
    expect(report(w).map((r) => [r.Job, r.Status])).toEqual([['Sign-ups', 'Preview']]);
    expect(w.ui.toasts.at(-1)!.message).toMatch(/^Sign-ups: Preview/);
    w.ui.answers.push({ button: 'CANCEL' });
    expect(w.run('previewJob').error).toBeUndefined();
    expect(report(w)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('9. Authorization withdrawn', () => {
  it('the hourly trigger reports it in the Sync Report and runs nothing', () => {
    const w = pullWorld();
    w.call('turnHourlyOn');
    w.script.authorizationRequired.add(COORDINATOR);
    const e = w.fireTriggers()[0]!;
    expect(e.error).toBeUndefined();
    expect(report(w)).toEqual([expect.objectContaining({ Trigger: 'Hourly', Job: '', Status: 'Failed', Requests: 0 })]);
    expect(String(report(w)[0]!.Message)).toMatch(/needs to be authorized again.*Open sidebar/);
    expect(w.internet.requests).toEqual([]);
    expect(writtenTabs(e)).toEqual([TAB.report]);
    expect(w.doc.find('Members')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

describe('10. Bad input gives a plain message and writes nothing else', () => {
  type Case = { name: string; arrange: (w: GasWorld) => void; message: RegExp; inSidebarProblems: boolean };
  const cases: Case[] = [
    { name: 'the Jobs tab renamed', arrange: (w) => w.doc.rename(TAB.jobs, 'Jobs (old)'), message: /the tab "Jobs" is missing/, inSidebarProblems: true },
    {
      name: 'a header deleted',
      arrange: (w) => w.sheet(TAB.jobs).put(1, 4, ''),
      message: /Jobs row 1, Connection: the column "Connection" is missing from the header row/,
      inSidebarProblems: true,
    },
    { name: 'a push job whose source tab is missing', arrange: (w) => w.doc.remove('Sign-ups'), message: /reads the tab "Sign-ups", which does not exist/, inSidebarProblems: false },
    { name: 'a secret never set', arrange: (w) => w.props.document.delete('secret:iMIS'), message: /no password is set for "iMIS" \(open Extensions → Sheets Sync → Open sidebar/, inSidebarProblems: false },
  ];

  function badWorld(c: Case) {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS, SIGNUPS], mappings: contactMappings('Sign-ups') });
    w.addSheet('Sign-ups', peopleTab(3));
    setSecrets(w);
    c.arrange(w);
    return w;
  }

  for (const c of cases) {
    it(`${c.name}: Sync now reports it, sends nothing, writes only the Sync Report`, () => {
      const w = badWorld(c);
      const e = w.run('syncNow');
      expect(e.error).toBeUndefined();
      expect(report(w)).toEqual([expect.objectContaining({ Job: '', Status: 'Failed', Requests: 0 })]);
      expect(String(report(w)[0]!.Message)).toMatch(/^Nothing was sent because the setup tabs need fixing: /);
      expect(String(report(w)[0]!.Message)).toMatch(c.message);
      expect(w.ui.toasts.at(-1)!.message).toMatch(c.message);
      expect(w.internet.requests).toEqual([]);
      expect(writtenTabs(e)).toEqual([TAB.report]);
    });

    if (c.inSidebarProblems) {
      it(`${c.name}: sidebarState().problems says so`, () => {
        const w = badWorld(c);
        expect(w.sidebar<{ problems: string[] }>('sidebarState').problems.join('\n')).toMatch(c.message);
      });
    } else {
      it(`${c.name}: sidebarState().problems says so before any run`, () => {
        // sidebar.ts config() runs parseConfig only; secrets (selectJobs) and source tabs
        // (checkPushSource) are checked only when a run starts.
        const w = badWorld(c);
        expect(w.sidebar<{ problems: string[] }>('sidebarState').problems.join('\n')).toMatch(c.message);
      });
    }
  }

  it('a bad setup stops the hourly trigger the same way', () => {
    const w = badWorld(cases[3]!);
    w.call('turnHourlyOn');
    const e = w.fireTriggers()[0]!;
    expect(e.error).toBeUndefined();
    expect(report(w)).toEqual([expect.objectContaining({ Trigger: 'Hourly', Status: 'Failed' })]);
    expect(w.internet.requests).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('What a real sheet does to the values the add-on writes', () => {
  it('a pull keeps the coordinator’s formulas beside the pulled columns as formulas', () => {
    // The pull rewrites the whole used area; a formula whose cell keeps its value is written back
    // as the formula, not as its last value.
    const w = pullWorld();
    w.call('syncNow');
    const m = w.sheet('Members');
    const col = m.lastColumn() + 1;
    m.seed([['Call them?']], 1, col);
    m.seedFormula(2, col, '=IF(J2,"no","yes")', 'no');
    w.imis.setQueryRows(DEMO_QUERIES.activeMembers, [{ ...w.imis.queryRows(DEMO_QUERIES.activeMembers)[0]!, City: 'Elsewhere' }]);
    w.call('syncNow');
    expect(m.formulaCells()).toEqual([{ row: 2, column: col, formula: '=IF(J2,"no","yes")' }]);
  });

  it('text a sheet would read as a number or date (a ZIP code "02134", "2024-05-01", "\'Tis") is written as text, and the next pull finds it unchanged', () => {
    // setValues reads text as typed input; text that would turn into a number, date or formula,
    // or lose a leading apostrophe, is written behind an apostrophe.
    const w = newWorld();
    seedConfig(w, { jobs: [{ name: 'Zip', source: '$/Zip', target: 'Zip', match: 'ID', mode: 'Replace' }] });
    w.imis.setQueryRows('$/Zip', [{ ID: '1', PostalCode: '02134', Renewed: '2024-05-01', Motto: "'Tis the season" }]);
    setSecrets(w);
    w.call('syncNow');
    w.call('syncNow');
    expect(w.sheet('Zip').records()[0]).toMatchObject({ PostalCode: '02134', Renewed: '2024-05-01', Motto: "'Tis the season" });
    expect(report(w).at(-1)).toMatchObject({ Updated: 0, Unchanged: 1 });
  });

  it('a Hash a sheet would read as a number ("116922588e0") stays text, so its row is not sent again', () => {
    // push/fingerprint.ts writes base-36 text; about one row in 10,000 gets a hash of the form
    // <digits>e<digits>, which setValues turns into a number, so it never matches again.
    const w = newWorld();
    seedConfig(w, { jobs: [SIGNUPS], mappings: contactMappings('Sign-ups') });
    w.addSheet('Sign-ups', [['Email', 'First', 'Last'], ['signup.578018@example.org', 'Person', 'Number 578018']]);
    setSecrets(w);
    w.call('syncNow');
    expect(w.sheet('Sign-ups').records()[0]!['Sign-ups Hash']).toBe('116922588e0');
  });

  it('the fake sheet reads typed text as Google Sheets does', () => {
    expect(interpret('=1+1', undefined)).toEqual({ value: 2, formula: '=1+1' });
    expect(interpret("'=1+1", undefined)).toEqual({ value: '=1+1' });
    expect(interpret('-5 points', undefined)).toMatchObject({ formula: '=-5 points' });
    expect(interpret('-5', undefined)).toEqual({ value: -5 });
    expect(interpret('02134', undefined)).toEqual({ value: 2134 });
    expect(interpret('02134', '@')).toEqual({ value: '02134' });
    expect(interpret('TRUE', undefined)).toEqual({ value: true });
    expect(interpret('@home', undefined)).toEqual({ value: '@home' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('The demo workbook (examples/demo) imported into Google Sheets', () => {
  it('runs every job through Sync now; a second run sends no push request and writes no push tab', () => {
    const w = newWorld();
    const dir = join(w.root, 'examples/demo');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
      const rows = Papa.parse<string[]>(readFileSync(join(dir, file), 'utf8'), { skipEmptyLines: true }).data;
      // File → Import reads each cell as typed input (TRUE is a checkbox value, 30 a number).
      w.addSheet(file.slice(0, -4), rows.map((r) => r.map((cell) => interpret(cell, undefined).value)));
    }
    // The demo's Members tab was pulled before (the coordinator has added notes beside it).
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(join(dir, '.sheets-sync-state.json'), 'utf8')) as Record<string, string>)) w.props.document.set(`state:${k}`, v);
    setSecrets(w, { iMIS: PASSWORDS.iMIS, 'iMIS 2017': PASSWORDS['Old iMIS'], EveryAction: PASSWORDS.EveryAction });
    w.call('syncNow');
    // A run that stopped (e.g. waiting for EveryAction's export) carries on with Sync now.
    for (let i = 0; i < 5 && runRecord(w).checkpoints.length > 0; i++) {
      w.clock.advance(MINUTE);
      w.call('syncNow');
    }
    const first = report(w);
    const failed = first.filter((r) => r.Status !== 'OK' && r.Status !== 'Partial');
    // The demo seeds rows that fail or need review on purpose; the run itself must not crash.
    expect(first.filter((r) => r.Job === '')).toEqual([]);
    expect(failed.every((r) => Number(r.Failed) > 0), JSON.stringify(failed.map((r) => [r.Job, r.Status, r.Message]))).toBe(true);
    expect(formulasAnywhere(w)).toEqual([]);
    for (const tab of ['Event Sign-ups', 'Volunteers', 'Certifications', 'Petition Signers', 'Newsletter Sign-ups', 'Event Attendance']) {
      const s = w.sheet(tab);
      const hash = s.grid()[0]!.findIndex((h) => String(h).endsWith(' Hash')) + 1;
      expect(hash, `${tab} has a Hash column`).toBeGreaterThan(0);
      expect(s.hiddenColumns.has(hash), `${tab} Hash hidden`).toBe(true);
    }

    w.clock.advance(HOUR);
    const before = w.internet.requests.length;
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();
    const pushJobs = ['Event Sign-ups', 'Volunteers', 'Certifications', 'Petition Signers', 'Newsletter', 'Event Attendance'];
    const second = report(w).slice(first.length);
    for (const job of pushJobs) {
      const r = second.find((x) => x.Job === job)!;
      expect(Number(r.Created) + Number(r.Updated), `${job} sends nothing the second time`).toBe(0);
    }
    const pushed = w.internet.requests.slice(before).filter((r) => r.method !== 'GET' && !r.url.endsWith('/token'));
    expect(pushed.filter((r) => !/changedEntityExportJobs/.test(r.url)), 'no writes on the second run').toEqual([]);
  });
});
