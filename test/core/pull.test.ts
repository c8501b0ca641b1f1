// The pull job: Replace and Merge, the coordinator's own columns kept with their row, honest
// counts, mappings and constants, skipped rows, preview, and one write per tab.

import { describe, expect, it } from 'vitest';
import { BudgetExceeded } from '../../src/core/budget';
import { describeProblem, type ImisConnection, type ImisPullJob, type Mapping } from '../../src/core/config/types';
import type { Cell } from '../../src/core/ports';
import { checkPullTarget, runPull, type PullContext, type PullSource } from '../../src/core/pull';
import { memoryLog, MemoryWorkbook } from '../helpers/fakes';

const connection: ImisConnection = { system: 'iMIS', name: 'iMIS', url: 'https://x/', username: 'u', mode: 'EMS', secret: 's', row: 2 };

function job(over: Partial<ImisPullJob> = {}): ImisPullJob {
  return {
    action: 'Pull',
    system: 'iMIS',
    name: 'Members',
    enabled: true,
    connection,
    schedule: 'Hourly',
    source: '$/Members',
    target: 'Members',
    key: 'ID',
    mode: 'Replace',
    parameters: [],
    mappings: [],
    constants: [],
    row: 2,
    ...over,
  };
}

function source(rows: Record<string, Cell>[], columns?: string[]): PullSource & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    read: (_job, parameters) => {
      calls.push(parameters);
      return { columns: columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))], rows };
    },
  };
}

function ctx(workbook: MemoryWorkbook, over: Partial<PullContext> = {}): PullContext {
  return {
    workbook,
    log: memoryLog(),
    now: () => new Date('2026-11-23T15:00:00Z'),
    preview: false,
    tokens: { today: '2026-11-23', now: '2026-11-23T15:00:00Z', job: 'Members', sheet: 'Members', run: 'R1', lastSuccess: '' },
    shouldStop: () => false,
    brake: false,
    ...over,
  };
}

const members = [
  { ID: '1', Name: 'Ann', Dues: 100, Active: true },
  { ID: '2', Name: 'Bob', Dues: 50, Active: false },
  { ID: '3', Name: 'Cy', Dues: null, Active: true },
];

describe('pull into a new tab', () => {
  it('creates the tab with the query columns, typed values, and one write', () => {
    const wb = new MemoryWorkbook();
    const out = runPull(job(), source(members), ctx(wb));
    expect(wb.tabs.get('Members')).toEqual([
      ['ID', 'Name', 'Dues', 'Active'],
      ['1', 'Ann', 100, true],
      ['2', 'Bob', 50, false],
      ['3', 'Cy', null, true],
    ]);
    expect(wb.writes).toBe(1);
    expect(out).toMatchObject({ status: 'OK', read: 3, created: 3, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    expect(out.log.map((e) => [e.row, e.key, e.outcome])).toEqual([
      [2, '1', 'Created'],
      [3, '2', 'Created'],
      [4, '3', 'Created'],
    ]);
  });

  it('a second identical pull changes nothing and writes nothing', () => {
    const wb = new MemoryWorkbook();
    runPull(job(), source(members), ctx(wb));
    // read back as a CSV workbook would give it: every cell text
    wb.tabs.set('Members', wb.text('Members'));
    const out = runPull(job(), source(members), ctx(wb));
    expect(out).toMatchObject({ read: 3, created: 0, updated: 0, unchanged: 3 });
    expect(wb.writes).toBe(1);
    expect(out.log).toEqual([]);
  });
});

describe('Replace', () => {
  const existing = [
    ['Notes', 'ID', 'Name', 'Dues', 'Active', 'Follow up'],
    ['VIP', '2', 'Bob', '50', 'FALSE', 'call'],
    ['left us', '9', 'Zed', '10', 'TRUE', 'x'],
    ['', '1', 'Anne', '100', 'TRUE', ''],
  ];

  it('mirrors the query in query order, keeps user columns with their key, removes rows that left', () => {
    const wb = new MemoryWorkbook({ Members: existing });
    const out = runPull(job(), source(members), ctx(wb));
    expect(wb.text('Members')).toEqual([
      ['Notes', 'ID', 'Name', 'Dues', 'Active', 'Follow up'],
      ['', '1', 'Ann', '100', 'TRUE', ''],
      ['VIP', '2', 'Bob', '50', 'FALSE', 'call'],
      ['', '3', 'Cy', '', 'TRUE', ''],
    ]);
    expect(out).toMatchObject({ status: 'OK', read: 3, created: 1, updated: 1, unchanged: 1 });
    expect(out.message).toBe('3 rows from $/Members; 1 row no longer in the query removed');
    const updated = out.log.find((e) => e.outcome === 'Updated')!;
    expect(updated).toMatchObject({ row: 2, key: '1', changes: [{ field: 'Name', before: 'Anne', after: 'Ann' }] });
  });

  it('adds new query columns at the right and leaves columns it does not produce alone', () => {
    const wb = new MemoryWorkbook({ Members: [['ID', 'Mine'], ['1', 'keep me']] });
    runPull(job(), source([{ ID: '1', City: 'Adelaide' }]), ctx(wb));
    expect(wb.text('Members')).toEqual([
      ['ID', 'Mine', 'City'],
      ['1', 'keep me', 'Adelaide'],
    ]);
  });

  it('pairs duplicate keys in order instead of collapsing them', () => {
    const wb = new MemoryWorkbook({ Members: [['ID', 'Name', 'Mine'], ['7', 'a', 'first'], ['7', 'b', 'second']] });
    const out = runPull(job(), source([{ ID: '7', Name: 'a' }, { ID: '7', Name: 'b' }]), ctx(wb));
    expect(out).toMatchObject({ unchanged: 2, created: 0 });
    expect(wb.text('Members').map((r) => r[2])).toEqual(['Mine', 'first', 'second']);
  });

  it('matches header names without regard to case or spaces', () => {
    const wb = new MemoryWorkbook({ Members: [[' id ', 'NAME'], ['1', 'Ann']] });
    const out = runPull(job(), source([{ ID: '1', Name: 'Ann' }]), ctx(wb));
    expect(out.unchanged).toBe(1);
    expect(wb.writes).toBe(0);
  });
});

describe('Merge', () => {
  it('updates rows by key, appends new ones, marks rows that left the query, never deletes', () => {
    const wb = new MemoryWorkbook({
      Members: [
        ['ID', 'Name', 'Dues', 'Active', 'Mine'],
        ['9', 'Zed', '10', 'TRUE', 'old friend'],
        ['2', 'Bobby', '50', 'FALSE', 'VIP'],
      ],
    });
    const out = runPull(job({ mode: 'Merge' }), source(members), ctx(wb));
    expect(wb.text('Members')).toEqual([
      ['ID', 'Name', 'Dues', 'Active', 'Mine', 'Members Status'],
      ['9', 'Zed', '10', 'TRUE', 'old friend', 'Left the query on 2026-11-23'],
      ['2', 'Bob', '50', 'FALSE', 'VIP', 'In query'],
      ['1', 'Ann', '100', 'TRUE', '', 'In query'],
      ['3', 'Cy', '', 'TRUE', '', 'In query'],
    ]);
    expect(out).toMatchObject({ read: 3, created: 2, updated: 1, unchanged: 0 });
    expect(out.message).toContain('1 row no longer in the query marked "Left the query"');
    expect(out.log.filter((e) => e.outcome === 'Created').map((e) => e.row)).toEqual([4, 5]);
  });

  it('keeps the date a row first left the query on later runs', () => {
    const wb = new MemoryWorkbook();
    runPull(job({ mode: 'Merge' }), source(members), ctx(wb));
    runPull(job({ mode: 'Merge' }), source(members.slice(1)), ctx(wb));
    const later = ctx(wb, { tokens: { ...ctx(wb).tokens, today: '2026-12-01' } });
    runPull(job({ mode: 'Merge' }), source(members.slice(1)), later);
    expect(wb.text('Members')[1]).toEqual(['1', 'Ann', '100', 'TRUE', 'Left the query on 2026-11-23']);
  });
});

describe('mappings and constants', () => {
  const mapping = (column: string, field: string, extra: Partial<Mapping> = {}): Mapping => ({ column, field, required: false, transform: null, row: 2, ...extra });

  it('writes only the mapped columns under their own headers, transformed, plus constants with tokens', () => {
    const wb = new MemoryWorkbook();
    const j = job({
      key: 'iMIS ID',
      mappings: [mapping('iMIS ID', 'id'), mapping('E-mail', 'Email', { transform: 'email' }), mapping('Joined', 'JoinDate', { transform: 'date' })],
      constants: [{ field: 'Copied', value: '{{job}} on {{today}}', row: 2 }],
    });
    const out = runPull(j, source([{ ID: '1', Email: ' Ann@Example.ORG ', JoinDate: '2021-02-20T18:00:00', Secret: 'x' }]), ctx(wb));
    expect(wb.text('Members')).toEqual([
      ['iMIS ID', 'E-mail', 'Joined', 'Copied'],
      ['1', 'ann@example.org', '2021-02-20', 'Members on 2026-11-23'],
    ]);
    expect(out.created).toBe(1);
  });

  it('skips a row whose Required value is empty or cannot be converted, leaving its old row as it was', () => {
    const wb = new MemoryWorkbook({ Members: [['ID', 'Email'], ['2', 'old@example.org']] });
    const j = job({ mappings: [mapping('ID', 'ID'), mapping('Email', 'Email', { required: true, transform: 'email' })] });
    const out = runPull(
      j,
      source([
        { ID: '1', Email: '' },
        { ID: '2', Email: 'not-an-email' },
        { ID: '3', Email: 'c@example.org' },
      ]),
      ctx(wb),
    );
    expect(out).toMatchObject({ read: 3, created: 1, skipped: 2, updated: 0 });
    expect(wb.text('Members')).toEqual([
      ['ID', 'Email'],
      ['2', 'old@example.org'],
      ['3', 'c@example.org'],
    ]);
    expect(out.log.filter((e) => e.outcome === 'Skipped').map((e) => e.message)).toEqual(['Email is empty (Required)', 'Email: "not-an-email" is not an email address']);
  });

  it('fails without touching the tab when a mapping names a column the query lacks', () => {
    const wb = new MemoryWorkbook({ Members: [['ID'], ['1']] });
    const out = runPull(job({ mappings: [mapping('Mail', 'EmailAddress', { row: 5 })] }), source(members), ctx(wb));
    expect(out.status).toBe('Failed');
    expect(out.message).toContain('Mappings row 5, Field: the query has no column "EmailAddress"');
    expect(wb.writes).toBe(0);
  });

  it('sends the Parameters with their tokens filled in', () => {
    const src = source(members);
    runPull(job({ parameters: ['eq:REG', '{{today}}', ''] }), src, ctx(new MemoryWorkbook()));
    expect(src.calls).toEqual([['eq:REG', '2026-11-23', '']]);
  });
});

describe('safety', () => {
  it('preview reads and compares but writes nothing', () => {
    const wb = new MemoryWorkbook({ Members: [['ID', 'Name'], ['1', 'Anne']] });
    const out = runPull(job(), source(members), ctx(wb, { preview: true }));
    expect(wb.writes).toBe(0);
    expect(out.status).toBe('Preview');
    expect(out.log.map((e) => e.outcome)).toEqual(['Would update', 'Would create', 'Would create']);
  });

  it('stops at the time budget with the tab untouched, reported Partial', () => {
    const wb = new MemoryWorkbook({ Members: [['ID'], ['1']] });
    const stopping: PullSource = {
      read: () => {
        throw new BudgetExceeded('stopped at the time budget after 500 of 1,234 rows');
      },
    };
    const out = runPull(job(), stopping, ctx(wb));
    expect(out.status).toBe('Partial');
    expect(out.message).toBe('stopped at the time budget after 500 of 1,234 rows; the tab was left as it was and the pull starts again next run');
    expect(wb.writes).toBe(0);
  });

  it('finds a target tab where a mapped column or the key appears twice (the engine stops the run on it before any request)', () => {
    const mapping = (column: string, field: string): Mapping => ({ column, field, required: false, transform: null, row: 2 });
    const grid = [['ID', 'E-mail', 'Mine', 'id', 'e-mail', 'Mine'], ['1', 'a@x.org', '', '1', 'b@x.org', '']];
    const j = job({ mappings: [mapping('ID', 'ID'), mapping('E-mail', 'Email')] });
    expect(checkPullTarget(j, grid).map(describeProblem)).toEqual([
      'Members row 1, ID: the header "ID" appears twice (columns A and D); keep one',
      'Members row 1, E-mail: the header "E-mail" appears twice (columns B and E); keep one',
    ]);
  });

  it("refuses a doubled query column or Merge status column in a pull without mappings, but not a doubled column of the coordinator's own", () => {
    const wb = new MemoryWorkbook({ Members: [['ID', 'Name', 'name', 'Members Status', 'Mine', 'MINE']] });
    expect(() => runPull(job({ mode: 'Merge' }), source(members), ctx(wb))).toThrow(
      'Members row 1, Name: the header "Name" appears twice (columns B and C); keep one',
    );
    expect(wb.writes).toBe(0);
    const status = new MemoryWorkbook({ Members: [['ID', 'Members Status', 'members status']] });
    expect(() => runPull(job({ mode: 'Merge' }), source(members), ctx(status))).toThrow('the header "Members Status" appears twice (columns B and C)');
    const own = new MemoryWorkbook({ Members: [['ID', 'Mine', 'MINE'], ['1', 'x', 'y']] });
    expect(runPull(job(), source(members), ctx(own)).status).toBe('OK');
  });

  it('a query without the key column still mirrors, and says your columns are kept in row order', () => {
    const wb = new MemoryWorkbook({ Members: [['Name', 'Mine'], ['Ann', 'x']] });
    const out = runPull(job(), source([{ Name: 'Ann' }]), ctx(wb));
    expect(out.message).toContain('the query has no "ID" column');
    expect(wb.text('Members')).toEqual([['Name', 'Mine'], ['Ann', 'x']]);
  });
});
