// The opt-in rules of an EveryAction pull (DESIGN §10.6): Liberal brings every changed person;
// Conservative brings only people subscribed to email or opted in to texts, leaves the others out,
// and marks a row whose person opted out `Opted out on <date>` in the spreadsheet's time zone
// instead of leaving it looking current. Also the Mode cell as config parsing reads it.

import { describe, expect, it } from 'vitest';
import { createConnectors } from '../../src/connectors';
import { parseConfig } from '../../src/core/config/parse';
import { TARGET_CATALOGUES } from '../../src/connectors/catalogues';
import { describeProblem, HEADERS, type EveryActionConnection, type EveryActionPullJob, type Mapping } from '../../src/core/config/types';
import { runSync } from '../../src/core/engine';
import type { Cell, Grid } from '../../src/core/ports';
import { checkPullTarget, runPull, type PullContext, type PullRows, type PullSource } from '../../src/core/pull';
import { memoryLog, MemoryWorkbook, secrets } from '../helpers/fakes';
import { imisRun, jobRow } from '../helpers/imis-run';

const connection: EveryActionConnection = { system: 'EveryAction', name: 'EveryAction', url: 'https://x/', username: 'app', mode: 'MyCampaign', secret: 'k', row: 3 };

function job(mode: EveryActionPullJob['mode'], mappings: [string, string][] = []): EveryActionPullJob {
  const rows: Mapping[] = mappings.map(([column, field], i) => ({ column, field, required: false, transform: null, row: i + 2 }));
  return {
    action: 'Pull', system: 'EveryAction', name: 'Changes', enabled: true, connection, schedule: 'Hourly', source: 'Changed people',
    target: 'People', key: 'VANID', mode, parameters: [], mappings: rows, constants: [], row: 2,
  };
}

const COLUMNS = ['VanID', 'FirstName', 'Email Subscription', 'SMS Opt-In'];
const person = (vanId: string, name: string, email: string, sms: string) => ({ VanID: vanId, FirstName: name, 'Email Subscription': email, 'SMS Opt-In': sms });

/** An export, as the connector hands it over: only what changed. */
function exported(rows: Record<string, Cell>[], extra: Partial<PullRows> = {}): PullSource {
  return { read: () => ({ columns: rows.length > 0 ? Object.keys(rows[0]!) : COLUMNS, rows, incremental: true, ...extra }) };
}

function ctx(workbook: MemoryWorkbook, today = '2026-11-23'): PullContext {
  return {
    workbook,
    log: memoryLog(),
    now: () => new Date('2026-11-23T15:00:00Z'),
    preview: false,
    tokens: { today, now: '2026-11-23T15:00:00Z', job: 'Changes', sheet: 'People', run: 'R1', lastSuccess: '' },
    shouldStop: () => false,
    brake: false,
  };
}

const FIRST = [
  person('1', 'Harriet', 'Subscribed', 'Opt-In'),
  person('2', 'Omar', 'Neutral', 'Opt-In'),
  person('3', 'Kenji', 'Unsubscribed', 'Opt-Out'),
  person('4', 'Marcus', 'Neutral', ''),
  person('5', 'Sam', 'Subscribed', 'Unknown'),
  person('6', 'Theo', '', 'Unknown'),
];

const column = (wb: MemoryWorkbook, header: string) => {
  const tab = wb.tabs.get('People')!;
  const at = tab[0]!.indexOf(header);
  return Object.fromEntries(tab.slice(1).map((r) => [String(r[0]), r[at]]));
};

describe('Liberal (the default): every changed person', () => {
  it('brings everyone with their statuses in words, and writes no status column of its own', () => {
    const wb = new MemoryWorkbook();
    const out = runPull(job('Liberal'), exported(FIRST), ctx(wb));
    expect(out).toMatchObject({ status: 'OK', read: 6, created: 6, skipped: 0 });
    expect(wb.tabs.get('People')![0]).toEqual(COLUMNS);
  });
});

describe('Conservative: only people opted in', () => {
  it('brings people subscribed to email or opted in to texts; the others never arrive', () => {
    const wb = new MemoryWorkbook();
    const out = runPull(job('Conservative'), exported(FIRST), ctx(wb));
    expect(out).toMatchObject({ status: 'OK', read: 6, created: 3, skipped: 3 });
    expect(wb.tabs.get('People')).toEqual([
      [...COLUMNS, 'Changes Status'],
      ['1', 'Harriet', 'Subscribed', 'Opt-In', 'Opted in'],
      ['2', 'Omar', 'Neutral', 'Opt-In', 'Opted in'],
      ['5', 'Sam', 'Subscribed', 'Unknown', 'Opted in'],
    ]);
    expect(out.log.filter((e) => e.outcome === 'Skipped').map((e) => [e.key, e.row, e.message])).toEqual([
      ['3', null, 'not opted in (Mode is Conservative: only people subscribed to email or opted in to texts are brought)'],
      ['4', null, 'not opted in (Mode is Conservative: only people subscribed to email or opted in to texts are brought)'],
      ['6', null, 'not opted in (Mode is Conservative: only people subscribed to email or opted in to texts are brought)'],
    ]);
    expect(out.message).toContain('3 people not opted in left out (Mode is Conservative)');
    expect(out.message).not.toContain('skipped (see Sync Log)');
  });

  it('a person in the tab whose opt-in was withdrawn is marked "Opted out on <date>", with the statuses as they are now', () => {
    const wb = new MemoryWorkbook();
    runPull(job('Conservative'), exported(FIRST), ctx(wb));
    const out = runPull(job('Conservative'), exported([person('1', 'Harriet', 'Unsubscribed', 'Opt-Out'), person('2', 'Omar', 'Neutral', 'Unknown')]), ctx(wb, '2026-11-24'));
    expect(out).toMatchObject({ status: 'OK', read: 2, updated: 2, created: 0, skipped: 0 });
    expect(column(wb, 'Changes Status')).toEqual({ '1': 'Opted out on 2026-11-24', '2': 'Opted out on 2026-11-24', '5': 'Opted in' });
    expect(column(wb, 'Email Subscription')['1']).toBe('Unsubscribed');
    expect(out.log.find((e) => e.key === '1')!.changes).toEqual([
      { field: 'Email Subscription', before: 'Subscribed', after: 'Unsubscribed' },
      { field: 'SMS Opt-In', before: 'Opt-In', after: 'Opt-Out' },
      { field: 'Changes Status', before: 'Opted in', after: 'Opted out on 2026-11-24' },
    ]);
    expect(out.message).toContain('2 rows marked "Opted out" (no longer subscribed to email or opted in to texts)');
  });

  it('keeps the date a person was first seen opted out; opting in again makes the row current', () => {
    const wb = new MemoryWorkbook();
    runPull(job('Conservative'), exported(FIRST), ctx(wb));
    runPull(job('Conservative'), exported([person('1', 'Harriet', 'Neutral', 'Opt-Out')]), ctx(wb, '2026-11-24'));
    const again = runPull(job('Conservative'), exported([person('1', 'Hattie', 'Neutral', 'Opt-Out')]), ctx(wb, '2026-11-30'));
    expect(column(wb, 'Changes Status')['1']).toBe('Opted out on 2026-11-24');
    expect(column(wb, 'FirstName')['1']).toBe('Hattie');
    expect(again.message).not.toContain('Opted out');
    runPull(job('Conservative'), exported([person('1', 'Hattie', 'Subscribed', 'Opt-Out')]), ctx(wb, '2026-12-01'));
    expect(column(wb, 'Changes Status')['1']).toBe('Opted in');
  });

  it('rows the export does not mention keep their status: it only holds what changed', () => {
    const wb = new MemoryWorkbook();
    runPull(job('Conservative'), exported(FIRST), ctx(wb));
    runPull(job('Conservative'), exported([person('1', 'Harriet', 'Unsubscribed', '')]), ctx(wb, '2026-11-24'));
    const out = runPull(job('Conservative'), exported([person('7', 'Zoë', 'Neutral', '')]), ctx(wb, '2026-11-25'));
    expect(out).toMatchObject({ read: 1, skipped: 1, created: 0 });
    expect(column(wb, 'Changes Status')).toEqual({ '1': 'Opted out on 2026-11-24', '2': 'Opted in', '5': 'Opted in' });
  });

  it('judges opt-in by the statuses even when Mappings do not write them, and finds a custom field by its alias', () => {
    const wb = new MemoryWorkbook();
    const rows = FIRST.slice(0, 3).map((p) => ({ ...p, 'Volunteer Interest': 'Canvassing' }));
    const out = runPull(job('Conservative', [['VANID', 'VanID'], ['Interest', 'CustomField:101']]), exported(rows, { aliases: { 'CustomField:101': 'Volunteer Interest' } }), ctx(wb));
    expect(out).toMatchObject({ status: 'OK', created: 2, skipped: 1 });
    expect(wb.tabs.get('People')).toEqual([
      ['VANID', 'Interest', 'Changes Status'],
      ['1', 'Canvassing', 'Opted in'],
      ['2', 'Canvassing', 'Opted in'],
    ]);
  });

  it('a row with a value it cannot write is still marked when its person opted out', () => {
    const wb = new MemoryWorkbook();
    runPull(job('Conservative'), exported(FIRST), ctx(wb));
    const strict: EveryActionPullJob = { ...job('Conservative'), mappings: [{ column: 'VanID', field: 'VanID', required: false, transform: null, row: 2 }, { column: 'FirstName', field: 'FirstName', required: true, transform: null, row: 3 }] };
    const out = runPull(strict, exported([person('5', '', 'Neutral', 'Unknown')]), ctx(wb, '2026-11-24'));
    expect(out).toMatchObject({ skipped: 1 });
    expect(column(wb, 'Changes Status')['5']).toBe('Opted out on 2026-11-24');
  });

  it('an export holding neither status fails rather than guess, leaving the tab as it was', () => {
    const wb = new MemoryWorkbook();
    runPull(job('Conservative'), exported(FIRST), ctx(wb));
    const before = wb.tabs.get('People');
    let committed = false;
    const bare = exported([{ VanID: '1', FirstName: 'Harriet' }], { commit: () => (committed = true) });
    const out = runPull(job('Conservative'), bare, ctx(wb));
    expect(out.status).toBe('Failed');
    expect(out.message).toBe(
      "EveryAction's export of changed people holds neither the email subscription nor the SMS opt-in status, so a Conservative pull cannot tell who is opted in. The tab was left as it was; set Mode to Liberal to bring every changed person.",
    );
    expect(wb.tabs.get('People')).toBe(before);
    expect(committed).toBe(false);
    expect(runPull(job('Liberal'), bare, ctx(wb)).status).toBe('OK');
  });

  it('a status column already in the tab twice is a setup problem, as for a Merge pull', () => {
    const grid: Grid = [['VanID', 'Changes Status', 'changes status']];
    expect(checkPullTarget(job('Conservative'), grid).map(describeProblem)).toEqual([expect.stringContaining('"Changes Status"')]);
    expect(checkPullTarget(job('Liberal'), grid)).toEqual([]);
  });
});

describe('through the engine and the EveryAction simulator', () => {
  const conservative = () => imisRun([jobRow({ name: 'Changes', connection: 'EveryAction', source: 'Changed people', target: 'People', match: 'VANID', mode: 'Conservative' })]);

  it('the seeded people changed in the last two days: the opted-in arrive, the rest do not', () => {
    const t = conservative();
    const out = t.run().results[0]!;
    expect(out).toMatchObject({ status: 'OK', read: 5, created: 3, skipped: 2 });
    const tab = t.workbook.text('People');
    const at = (h: string) => tab[0]!.indexOf(h);
    expect(tab.slice(1).map((r) => [r[0], r[at('Email Subscription')], r[at('SMS Opt-In')], r[at('Changes Status')]])).toEqual([
      ['100000003', 'Subscribed', 'Unknown', 'Opted in'],
      ['100000034', 'Neutral', 'Opt-In', 'Opted in'],
      ['100000038', 'Subscribed', 'Opt-In', 'Opted in'],
    ]);
  });

  it('marks the date in the spreadsheet\'s time zone', () => {
    const t = conservative();
    t.run();
    const phone = t.ea.person(100000038)!.phones[0]!.phoneNumber;
    const email = t.ea.person(100000038)!.emails[0]!.email;
    t.clock.advance(9 * 3_600_000); // 2026-11-24 00:00 UTC: still the 23rd in Los Angeles
    t.ea.touch(100000038, { emails: [{ email, subscriptionStatus: 'U' }], phones: [{ phoneNumber: phone, phoneOptInStatus: 'O' }] });
    t.clock.advance(60_000);
    const deps = { workbook: t.workbook, store: t.store, http: t.http, clock: t.clock, log: memoryLog(), secrets: secrets({ EveryAction: 'demo-api-key' }), connectors: createConnectors, random: () => 0.5 };
    const options = { trigger: 'CLI' as const, jobs: [], preview: false, budgetMs: 270_000 };
    const out = runSync({ ...deps, timeZone: 'America/Los_Angeles' }, options).results[0]!;
    expect(out).toMatchObject({ status: 'OK', updated: 1 });
    const tab = t.workbook.text('People');
    const row = tab.find((r) => r[0] === '100000038')!;
    expect(row[tab[0]!.indexOf('Changes Status')]).toBe('Opted out on 2026-11-23');
    expect(row[tab[0]!.indexOf('Email Subscription')]).toBe('Unsubscribed');
  });
});

describe('the Mode of an EveryAction pull', () => {
  const H = [...HEADERS.jobs];
  const parse = (mode: Cell) =>
    parseConfig(
      {
        connections: [[...HEADERS.connections], ['EveryAction', 'EveryAction', '', 'app', '', '']],
        jobs: [H, ['Changes', true, 'Pull', 'EveryAction', 'Changed people', 'People', '', mode, '', '', '', '']],
        mappings: null,
        constants: null,
      },
      secrets({ EveryAction: 'k' }),
      TARGET_CATALOGUES,
    );

  it.each<[Cell, string]>([
    ['', 'Liberal'],
    ['liberal', 'Liberal'],
    [' CONSERVATIVE ', 'Conservative'],
    // What this column took before pulls had a choice keeps running, as Liberal.
    ['Merge', 'Liberal'],
  ])('reads %j as %s', (cell, mode) => {
    const out = parse(cell);
    expect(out.ok && out.config.jobs[0]).toMatchObject({ mode });
  });

  it.each<[Cell, string]>([
    ['Careful', 'Jobs row 2, Mode: "Careful" is not a valid Mode for an EveryAction pull; use Liberal (every changed person) or Conservative (only people opted in to email or texts); blank means Liberal'],
    [
      'Replace',
      'Jobs row 2, Mode: "Replace" is not a valid Mode for an EveryAction pull: it only holds what changed, so it never replaces the tab; use Liberal (every changed person) or Conservative (only people opted in to email or texts); blank means Liberal',
    ],
  ])('refuses %j, naming tab, row and column', (cell, message) => {
    const out = parse(cell);
    expect(out.ok ? [] : out.problems.map(describeProblem)).toEqual([message]);
  });
});
