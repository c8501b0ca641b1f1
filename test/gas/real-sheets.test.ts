// The add-on against Google Sheets' own limits (DESIGN §10.1), with fakes as strict as Google: a
// new tab is 1,000 × 26 and a range past its edge throws, a spreadsheet holds 10,000,000 cells,
// two executions can interleave, the property store has a quota, text is read as typed in the
// spreadsheet's time zone. Each scenario failed before the add-on learnt to live with it.

import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HEADERS, TAB } from '../../src/core/config/types';
import { DEMO_QUERIES } from '../../src/simulators/imis';
import { CallLog, contactMappings, COORDINATOR, MINUTE, peopleTab, Realm, seedConfig, setSecrets, STORE_LIMIT_BYTES, type GasWorld, type JobSpec } from './fakes';
import { CELL_LIMIT, fakeSpreadsheetApp, interpret } from './fakes/spreadsheet';
import { MEMBERS, pullWorld as pullWorldOf, report, runRecord, SIGNUPS, useWorlds } from './scenario';

const newWorld = useWorlds();
const pullWorld = () => pullWorldOf(newWorld);

/** SpreadsheetApp as a script would see it, for checking the fake itself. */
function spreadsheetApp(w: GasWorld) {
  const exec = {
    id: 0,
    fn: 'test',
    user: COORDINATOR,
    trigger: false,
    authMode: 'FULL' as const,
    realm: new Realm(vm.createContext({}), () => w.clock.now()),
    calls: new CallLog(),
    sheetOps: [],
    logs: [],
    services: new Set<string>(),
    touched: [],
    running: true,
    called: () => undefined,
  };
  return fakeSpreadsheetApp(exec, w.doc, w.ui, () => true);
}

/** A push job with its tab of n people (plus extra columns), its mappings and the password. */
function pushWorld(n: number, extra: Parameters<typeof peopleTab>[2] = []) {
  const w = newWorld();
  seedConfig(w, { jobs: [SIGNUPS], mappings: contactMappings('Sign-ups') });
  w.addSheet('Sign-ups', peopleTab(n, 'signup', extra));
  setSecrets(w);
  return w;
}

/** A tab as the add-on would have made it: 1,000 × 26 (or its rows, if more), holding these rows. */
function madeTab(w: GasWorld, name: string, grid: unknown[][]) {
  const s = w.addSheet(name, grid);
  s.maxRows = Math.max(1000, grid.length);
  s.maxColumns = Math.max(26, ...grid.map((r) => r.length));
  return s;
}

describe('Google Sheets as strict as Google', () => {
  it('a new tab is 1,000 × 26; a range past its edge throws Google’s message; tabs grow only when asked', () => {
    const w = newWorld();
    const ss = spreadsheetApp(w).getActive();
    const sheet = ss.insertSheet('New');
    expect([sheet.getMaxRows(), sheet.getMaxColumns()]).toEqual([1000, 26]);
    expect(() => sheet.getRange(1000, 1, 2, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => sheet.getRange(1, 27)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    sheet.insertRowsAfter(1000, 5);
    sheet.insertColumnsAfter(26, 4);
    sheet.getRange(1005, 30).setValues([['x']]);
    expect(w.sheet('New').get(1005, 30)).toBe('x');
    // Past 10,000,000 cells, Google refuses.
    expect(() => sheet.insertRowsAfter(1005, Math.ceil(CELL_LIMIT / 30))).toThrow(/above the limit of 10000000 cells/);
  });

  it('reads typed text as Sheets does, dates in the spreadsheet’s time zone', () => {
    expect(interpret('5/1/2024 3:15 PM', undefined, 'UTC')).toEqual({ value: new Date('2024-05-01T15:15:00Z') });
    expect(interpret('1980-05-17', undefined, 'Australia/Melbourne')).toEqual({ value: new Date('1980-05-16T14:00:00Z') });
    expect(interpret('May 1, 2024', undefined, 'UTC')).toEqual({ value: new Date('2024-05-01T00:00:00Z') });
    expect(interpret('$1,234.50', undefined)).toEqual({ value: 1234.5 });
    expect(interpret('12%', undefined)).toEqual({ value: 0.12 });
    expect(interpret('#N/A', undefined)).toEqual({ value: '#N/A' });
    expect(interpret('3:15 PM', undefined, 'UTC')).toEqual({ value: new Date('1899-12-30T15:15:00Z') });
    expect(interpret('Room 12', undefined)).toEqual({ value: 'Room 12' });
  });
});

describe('1. Tabs grow', () => {
  it('a 1,234-row pull grows its new tab with one call, then writes it with one', () => {
    const w = pullWorld();
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'OK', Read: 1234 });
    expect(w.sheet('Members').lastRow()).toBe(1235);
    expect(e.sheetOps.filter((o) => o.sheet === 'Members').map((o) => o.op)).toEqual(['insertRowsAfter', 'setValues']);
  });

  it('a Replace pull that shrinks blanks the rows left over', () => {
    const w = pullWorld();
    w.call('syncNow');
    const few = w.imis.queryRows(DEMO_QUERIES.activeMembers).slice(0, 10);
    w.imis.setQueryRows(DEMO_QUERIES.activeMembers, few);
    w.call('syncNow');
    expect(w.sheet('Members').lastRow()).toBe(11);
    expect(w.sheet('Members').records().map((r) => String(r.ID))).toEqual(few.map((r) => String(r.ID)));
  });

  it('a Sync Report and a Sync Log that reach row 1,000 grow: a 1,500-row Sync Log, and the runs go on', () => {
    const w = pushWorld(505);
    madeTab(w, TAB.report, [[...HEADERS.report], ...Array.from({ length: 999 }, (_, i) => [`old-${i}`, '', '', 'Manual', 'Old job', 'OK'])]);
    madeTab(w, TAB.log, [[...HEADERS.log], ...Array.from({ length: 995 }, (_, i) => [`old-${i}`, '', 'Old job', i + 2, 'k', 'Created'])]);
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();
    expect(report(w).at(-1)).toMatchObject({ Job: 'Sign-ups', Status: 'OK', Created: 505 });
    expect(w.sheet(TAB.report).lastRow()).toBe(1001);
    expect(w.sheet(TAB.log).lastRow()).toBe(1501);
    expect(w.sheet(TAB.log).records().filter((r) => r.Job === 'Sign-ups')).toHaveLength(505);
    // The next run still finds room.
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: 'Sign-ups', Status: 'OK', Unchanged: 505 });
  });

  it('status columns past column Z: a 30-column layout', () => {
    const extra = Array.from({ length: 23 }, (_, j) => ({ header: `Note ${j + 1}`, value: (i: number) => `n${i}.${j}` }));
    const w = pushWorld(3, extra);
    w.sheet('Sign-ups').maxColumns = 26;
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();
    const s = w.sheet('Sign-ups');
    expect(s.maxColumns).toBe(31);
    expect(s.grid()[0]!.slice(26)).toEqual(['Sign-ups ID', 'Sign-ups Status', 'Sign-ups Synced At', 'Sign-ups Message', 'Sign-ups Hash']);
    expect(s.records().map((r) => r['Sign-ups Status'])).toEqual(['Created', 'Created', 'Created']);
    expect(e.sheetOps.filter((o) => o.sheet === 'Sign-ups' && o.op === 'insertColumnsAfter')).toHaveLength(1);
  });

  it('a write that would take the spreadsheet past 10,000,000 cells is refused before anything is written, with the numbers', () => {
    const w = pullWorld();
    madeTab(w, TAB.report, [[...HEADERS.report]]);
    // An archive tab that leaves room for less than the pull needs (1,235 rows × 26 columns).
    const archive = madeTab(w, 'Archive', [['Old']]);
    archive.maxRows = Math.floor((CELL_LIMIT - w.doc.cells() + archive.maxRows * 26 - 20_000) / 26);
    const before = w.doc.cells();
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();
    expect(w.doc.find('Members')).toBeUndefined();
    expect(w.doc.cells()).toBe(before);
    const row = report(w).at(-1)!;
    expect(row).toMatchObject({ Job: 'Members', Status: 'Failed' });
    expect(String(row.Message)).toContain('10,000,000');
    expect(String(row.Message)).toContain('Nothing was written to "Members"');
  });
});

/** A push too slow for one slice: n new contacts at 15 s per request round (100 pass Apps Script's budget). */
function slowPush(n = 25) {
  const w = pushWorld(n);
  w.internet.latencyMs = 15_000;
  return w;
}

/** The pull and a 100-row push, in this order, at 15 s per request round: more than one slice. */
function slowTwoJobs(jobs: JobSpec[]) {
  const w = newWorld();
  seedConfig(w, { jobs, mappings: contactMappings('Sign-ups') });
  w.addSheet('Sign-ups', peopleTab(100));
  setSecrets(w);
  w.internet.latencyMs = 15_000;
  return w;
}

function expectEachCreatedOnce(w: GasWorld, n: number) {
  const parties = w.imis.parties().map((p) => JSON.stringify(p));
  for (let i = 0; i < n; i++) expect(parties.filter((p) => p.includes(`"signup.${i}@example.org"`)), `signup.${i}`).toHaveLength(1);
}

describe('2. One execution per run', () => {
  type Step = { done: boolean; token: string; message: string };

  /** Runs the sidebar's slices to the end; at the first request of one continueRun, `second` runs. */
  function interleaved(w: GasWorld, second: (token: string) => unknown) {
    let step = w.sidebar<Step>('startRun', '', false);
    expect(step.done).toBe(false);
    let inner: unknown;
    w.internet.onRequest = (_req, exec) => {
      if (inner !== undefined || exec.fn !== 'continueRun') return;
      inner = second(step.token) ?? null;
    };
    for (let i = 0; !step.done && i < 40; i++) step = w.sidebar<Step>('continueRun', step.token);
    w.internet.onRequest = null;
    expect(step.done).toBe(true);
    return inner;
  }

  it('a second continueRun(token) while one is in flight is Skipped; every contact is created once', () => {
    const w = slowPush();
    const inner = interleaved(w, (token) => w.sidebar<Step>('continueRun', token)) as Step;
    expect(inner.message).toMatch(/Skipped|still running/);
    expectEachCreatedOnce(w, 25);
    expect(report(w).filter((r) => r.Status === 'Skipped')).toHaveLength(1);
  });

  it('Sync now while a continueRun is in flight is Skipped; every contact is created once', () => {
    const w = slowPush();
    interleaved(w, () => w.run('syncNow'));
    expectEachCreatedOnce(w, 25);
    expect(report(w).filter((r) => r.Status === 'Skipped')).toHaveLength(1);
    expect(runRecord(w).lease).toBeNull();
  });
});

describe('3. A run that throws still cleans up', () => {
  it('Sheets failing mid-run: the lease is let go, a Sync Report row says so, and the next Sync now runs', () => {
    const w = pushWorld(3);
    w.doc.fault = (op, sheet) => (op === 'setValues' && sheet === TAB.log ? 'Service Spreadsheets failed while accessing document with id fake-spreadsheet-id.' : undefined);
    const e = w.run('syncNow');
    expect(e.error).toBeUndefined();
    expect(report(w).at(-1)).toMatchObject({ Job: '', Status: 'Failed' });
    expect(String(report(w).at(-1)!.Message)).toContain('Service Spreadsheets failed');
    expect(runRecord(w).lease).toBeNull();
    w.doc.fault = null;
    w.call('syncNow');
    expect(report(w).at(-1)).not.toMatchObject({ Status: 'Skipped' });
  });

  it('from the hourly trigger too, and a property-store quota failure lands in the Sync Report', () => {
    const w = slowPush(100);
    w.call('turnHourlyOn');
    // Leave room for the lease but not for the checkpoint the slice leaves.
    const room = STORE_LIMIT_BYTES - w.props.document.size() - 'filler'.length - 260;
    w.props.document.set('filler', 'x'.repeat(room));
    w.clock.advance(MINUTE);
    const e = w.fireTriggers()[0]!;
    expect(e.error).toBeUndefined();
    const last = report(w).at(-1)!;
    expect(last).toMatchObject({ Trigger: 'Hourly', Status: 'Failed' });
    expect(String(last.Message)).toMatch(/property storage quota/);
    expect(runRecord(w).lease).toBeNull();
  });
});

describe('5. Run state belongs to its run', () => {
  it('a preview finishing does not delete the paused run’s checkpoint; Sync now then carries the run on', () => {
    const w = slowPush(100);
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Status: 'Partial' });
    w.internet.latencyMs = 0;
    let step = w.sidebar<{ done: boolean; token: string }>('startRun', 'Sign-ups', true);
    for (let i = 0; !step.done && i < 20; i++) step = w.sidebar('continueRun', step.token);
    expect(report(w).at(-1)).toMatchObject({ Status: 'Preview' });
    const paused = runRecord(w).checkpoints;
    expect(paused.filter((c) => !c.preview)).toHaveLength(1);
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Status: 'OK' });
    expectEachCreatedOnce(w, 100);
    expect(w.sheet('Sign-ups').records().filter((r) => r['Sign-ups Status'] === 'Created')).toHaveLength(100);
  });
});

describe('5. A preview left half way', () => {
  it('is kept apart from real runs, and forgotten a day later when another run ends', () => {
    const w = slowTwoJobs([MEMBERS, SIGNUPS]);
    // A preview of every job: the pull uses up the sidebar's slice, the push waits for the next.
    const step = w.sidebar<{ done: boolean; token: string }>('startRun', '', true);
    expect(step, JSON.stringify(step)).toMatchObject({ done: false });
    const saved = () => runRecord(w).checkpoints.map((c) => [c.runId, c.preview]);
    expect(saved()).toEqual([[step.token, true]]);
    // Sync now never carries on someone's preview: it starts a run of its own.
    w.clock.advance(25 * 3600_000);
    w.internet.latencyMs = 0;
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: 'Sign-ups', Status: 'OK', Created: 100 });
    expect(saved()).toEqual([]);
  });
});

describe('6. Dates and numbers mean what the coordinator sees', () => {
  it('a date cell in a Melbourne spreadsheet is sent as the date the coordinator sees, from a New York script', () => {
    const w = newWorld({ timeZone: 'Australia/Melbourne' });
    seedConfig(w, { jobs: [SIGNUPS], mappings: [...contactMappings('Sign-ups'), ['Sign-ups', 'Born', 'BirthDate', false, 'date'], ['Sign-ups', 'Joined', 'MemberType', false, '']] });
    // What Sheets holds for "1980-05-17" typed in Melbourne: midnight there.
    const born = interpret('1980-05-17', undefined, 'Australia/Melbourne').value;
    const joined = interpret('2024-05-01', undefined, 'Australia/Melbourne').value;
    w.addSheet('Sign-ups', [['Email', 'First', 'Last', 'Born', 'Joined'], ['born.1980@example.org', 'Ada', 'Born', born, joined]]);
    setSecrets(w);
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Status: 'OK', Created: 1 });
    const party = JSON.stringify(w.imis.parties().find((p) => JSON.stringify(p).includes('born.1980@example.org')));
    expect(party).toContain('1980-05-17');
    expect(party).not.toContain('1980-05-16');
    // The unmapped-transform date goes as the date too, not a time the day before.
    const sent = w.internet.requests.filter((r) => r.method === 'POST' && /\/api\/party/i.test(r.url)).map((r) => r.payload ?? '');
    expect(sent.join('')).toContain('2024-05-01');
    expect(sent.join('')).not.toMatch(/2024-04-30/);
  });

  it('pulled text Sheets would turn into a date or number (5/1/2024 3:15 PM, $10, 1e3, #N/A, May 1) stays text and unchanged the next run', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [{ name: 'Odd', source: '$/Odd', target: 'Odd', match: 'ID', mode: 'Replace' }] });
    const texts = { ID: '1', When: '5/1/2024 3:15 PM', Price: '$10', Sci: '1e3', Missing: '#N/A', Day: 'May 1', Time: '3:15 PM', Pct: '15%', Neg: '(45)' };
    w.imis.setQueryRows('$/Odd', [texts]);
    setSecrets(w);
    w.call('syncNow');
    w.call('syncNow');
    expect(w.sheet('Odd').records()[0]).toEqual(texts);
    expect(report(w).at(-1)).toMatchObject({ Status: 'OK', Updated: 0, Unchanged: 1 });
  });

  it('numbers are sent as Sheets shows them: 15 significant digits', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [SIGNUPS], mappings: [...contactMappings('Sign-ups'), ['Sign-ups', 'Dues', 'Dues', false, '']] });
    w.addSheet('Sign-ups', [['Email', 'First', 'Last', 'Dues'], ['dues@example.org', 'Dee', 'Dues', 0.1 + 0.2]]);
    setSecrets(w);
    w.call('syncNow');
    const sent = w.internet.requests.filter((r) => r.method === 'POST' && /\/api\/party/i.test(r.url)).map((r) => r.payload ?? '');
    expect(sent.join('')).not.toContain('0.30000000000000004');
    expect(sent.join('')).toMatch(/0\.3\b/);
  });
});

describe('A pull works in every tab size the coordinator has made', () => {
  it('writes into an existing tab of 100 rows × 5 columns by growing it', () => {
    const w = pullWorld();
    madeTab(w, 'Members', []).maxRows = 100;
    w.sheet('Members').maxColumns = 5;
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: MEMBERS.name, Status: 'OK' });
    expect(w.sheet('Members').lastRow()).toBe(1235);
  });
});

describe('5. Jobs that change between slices, and the add-on’s own tabs', () => {
  it('a job turned off between slices is Skipped with a message; the rest of the run carries on', () => {
    const w = slowTwoJobs([SIGNUPS, MEMBERS]);
    w.call('syncNow');
    expect(report(w).map((r) => [r.Job, r.Status])).toEqual([
      ['Sign-ups', 'Partial'],
      ['Members', 'Partial'],
    ]);
    w.sheet(TAB.jobs).put(2, 2, false);
    w.internet.latencyMs = 0;
    w.call('syncNow');
    const last = report(w).slice(2);
    expect(last.map((r) => [r.Job, r.Status])).toEqual([
      ['Sign-ups', 'Skipped'],
      ['Members', 'OK'],
    ]);
    expect(String(last[0]!.Message)).toMatch(/turned off after the run started/);
    expect(runRecord(w).checkpoints).toEqual([]);
  });

  it('a draft job with a problem, turned off, blocks nothing: the hourly sync runs the others', () => {
    const w = pullWorld();
    w.sheet(TAB.jobs).seed([['Draft', false, 'Push', 'iMIS', '', '', '', '', '', 'Hourly']], 3, 1);
    w.call('turnHourlyOn');
    const e = w.fireTriggers()[0]!;
    expect(e.error).toBeUndefined();
    expect(report(w).map((r) => [r.Job, r.Status])).toEqual([['Members', 'OK']]);
    // Reported all the same, where the coordinator looks: the sidebar.
    const state = w.sidebar<{ problems: string[] }>('sidebarState');
    expect(state.problems.length).toBeGreaterThan(0);
    for (const p of state.problems) expect(p).toMatch(/^Fix before use \(nothing that runs now needs it\): Jobs row 3, /);
  });

  it.each(['Sheets Sync State', 'Lists', 'Sync Log'])('"%s" cannot be a pull Target: a setup problem, and the tab is untouched', (tab) => {
    const w = newWorld();
    seedConfig(w, { jobs: [{ ...MEMBERS, target: tab }] });
    setSecrets(w);
    w.call('syncNow');
    const row = report(w).at(-1)!;
    expect(row).toMatchObject({ Job: '', Status: 'Failed' });
    expect(String(row.Message)).toContain(`"${tab}"`);
    expect(w.internet.requests).toEqual([]);
  });
});

describe('A pull never wipes a coordinator’s tab', () => {
  it('a pull whose Target is a push job’s Source stops the run before any request; the tab keeps every row', () => {
    const w = pushWorld(3);
    w.sheet(TAB.jobs).seed([['Members', true, 'Pull', 'iMIS', DEMO_QUERIES.activeMembers, 'Sign-ups', 'ID', 'Replace', '', 'Hourly']], 3, 1);
    const before = w.sheet('Sign-ups').grid();
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Job: '', Status: 'Failed' });
    expect(String(report(w).at(-1)!.Message)).toContain('the tab "Sign-ups" already holds 3 rows that no pull wrote');
    expect(w.internet.requests).toEqual([]);
    expect(w.sheet('Sign-ups').grid()).toEqual(before);
  });
});

describe('The hidden state tab', () => {
  it('does not grow run after run: a large value deleted blanks its row, and the next one reuses it', () => {
    const w = newWorld();
    const long = (i: number) => `Job ${String(i).padStart(2, '0')} ${'x'.repeat(90)}`;
    const jobs: JobSpec[] = [MEMBERS, ...Array.from({ length: 79 }, (_, i) => ({ ...MEMBERS, name: long(i), target: `T${i}` }))];
    seedConfig(w, { jobs });
    setSecrets(w);
    const stateRows = () => (w.doc.find('Sheets Sync State') ? w.sheet('Sheets Sync State').grid().filter((r) => r.some((c) => c !== '')) : []);
    for (let round = 0; round < 2; round++) {
      w.sheet(TAB.jobs).seed(jobs.slice(1).map(() => [true]), 3, 2);
      // The first pull uses up the run's time: 79 long job names wait in the checkpoint, too big for a property.
      w.internet.latencyMs = 80_000;
      w.call('syncNow');
      w.internet.latencyMs = 0;
      expect(runRecord(w).checkpoints[0]!.jobs).toHaveLength(79);
      expect(stateRows().map((r) => r[0])).toEqual(['run:state']);
      // Turned off, they are Skipped when the run carries on, and the run ends: its state goes, row and all.
      w.sheet(TAB.jobs).seed(jobs.slice(1).map(() => [false]), 3, 2);
      w.call('syncNow');
      expect(w.props.document.get('state:run:state')).toBeNull();
      expect(stateRows()).toEqual([]);
    }
  });
});

describe('A push preview from the sidebar', () => {
  it('looks at every row, past the sidebar’s 30-second slice, in one step', () => {
    const w = pushWorld(100);
    w.internet.latencyMs = 5_000;
    const step = w.sidebar<{ done: boolean }>('startRun', 'Sign-ups', true);
    expect(step.done).toBe(true);
    const row = report(w).at(-1)!;
    expect(row).toMatchObject({ Job: 'Sign-ups', Status: 'Preview', Created: 100 });
    expect(String(row.Message)).not.toContain('next run');
    expect(w.sheet(TAB.log).records().filter((r) => r.Outcome === 'Would create')).toHaveLength(100);
    expect(w.imis.parties().filter((p) => JSON.stringify(p).includes('signup.'))).toEqual([]);
  });
});
