// Checks the CSV-folder workbook against what the CLI promises (DESIGN.md §6): faithful round
// trips, spreadsheet-like row numbers, the cell-to-text rules of §3 and atomic replacement.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvWorkbook } from '../../src/cli/csv-workbook';
import { JsonFileStore } from '../../src/cli/file-store';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-workbook-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function fileText(tab: string): string {
  return fs.readFileSync(path.join(dir, `${tab}.csv`), 'utf8');
}

describe('CsvWorkbook', () => {
  it('round-trips awkward text exactly', () => {
    const book = new CsvWorkbook(dir);
    const grid = [
      ['Name', 'Note', 'City'],
      ['Smith, Jane', 'She said "hi"', 'Zürich'],
      ['Line\nbreak', 'CRLF\r\ninside', '東京 🎉'],
      ['=SUM(A1)', ' leading space', 'trailing space '],
      ['', '', ''],
      ['"', ',', 'x'],
    ];
    book.write('Members', grid);
    expect(book.read('Members')).toEqual(grid);
    expect(new CsvWorkbook(dir).read('Members')).toEqual(grid);
  });

  it('writes numbers, booleans, dates and empty cells as specified', () => {
    const book = new CsvWorkbook(dir);
    book.write('Types', [
      ['n', 'b1', 'b2', 'd', 'e'],
      [1234.5, true, false, new Date(Date.UTC(2024, 0, 31, 9, 5, 0)), null],
      [-0.25, 'TRUE', 'text', '2024-01-31', ''],
    ]);
    expect(fileText('Types')).toBe(
      'n,b1,b2,d,e\r\n1234.5,TRUE,FALSE,2024-01-31T09:05:00.000Z,\r\n-0.25,TRUE,text,2024-01-31,\r\n',
    );
    expect(new CsvWorkbook(dir).read('Types')).toEqual([
      ['n', 'b1', 'b2', 'd', 'e'],
      ['1234.5', 'TRUE', 'FALSE', '2024-01-31T09:05:00.000Z', ''],
      ['-0.25', 'TRUE', 'text', '2024-01-31', ''],
    ]);
  });

  it('quotes only where needed and keeps formulas as text behind an apostrophe', () => {
    const book = new CsvWorkbook(dir);
    book.write('Q', [['a', 'b,c', 'd"e', '=1+1']]);
    expect(fileText('Q')).toBe('a,"b,c","d""e",\'=1+1\r\n');
  });

  it('returns null for a tab that has no file', () => {
    expect(new CsvWorkbook(dir).read('Nope')).toBeNull();
    expect(new CsvWorkbook(path.join(dir, 'missing-folder')).read('Jobs')).toBeNull();
  });

  it('strips a BOM, reads LF files, keeps interior blank rows, drops trailing ones and pads short rows', () => {
    fs.writeFileSync(
      path.join(dir, 'Jobs.csv'),
      '\uFEFFName,Enabled,Action\nfirst,TRUE\n\nthird,FALSE,Pull\n\n\n',
    );
    expect(new CsvWorkbook(dir).read('Jobs')).toEqual([
      ['Name', 'Enabled', 'Action'],
      ['first', 'TRUE', ''],
      ['', '', ''],
      ['third', 'FALSE', 'Pull'],
    ]);
  });

  it('reads an empty file as an empty tab', () => {
    fs.writeFileSync(path.join(dir, 'Empty.csv'), '');
    expect(new CsvWorkbook(dir).read('Empty')).toEqual([]);
  });

  it('refuses a file with an unterminated quote instead of guessing', () => {
    fs.writeFileSync(path.join(dir, 'Bad.csv'), 'a,b\r\n"oops,2\r\n');
    expect(() => new CsvWorkbook(dir).read('Bad')).toThrow(/Bad\.csv is not valid CSV/);
  });

  it('replaces the file atomically and leaves no temporary file', () => {
    const book = new CsvWorkbook(dir);
    book.write('Members', [['a'], ['1']]);
    book.write('Members', [['a'], ['2']]);
    expect(fs.readdirSync(dir)).toEqual(['Members.csv']);
    expect(book.read('Members')).toEqual([['a'], ['2']]);
  });

  it('leaves the old file and no temporary file when a write fails', () => {
    const book = new CsvWorkbook(dir);
    book.write('Members', [['a'], ['1']]);
    expect(() => book.write('Members', [['a'], [new Date(Number.NaN)]])).toThrow(/invalid date/);
    // A rename that fails after the temporary file is written: the target is a folder.
    fs.mkdirSync(path.join(dir, 'Folder.csv'));
    fs.writeFileSync(path.join(dir, 'Folder.csv', 'x'), '');
    expect(() => book.write('Folder', [['a']])).toThrow();
    expect(fs.readdirSync(dir).sort()).toEqual(['Folder.csv', 'Members.csv']);
    expect(fileText('Members')).toBe('a\r\n1\r\n');
  });

  it('creates the folder on first write', () => {
    const nested = path.join(dir, 'new', 'book');
    new CsvWorkbook(nested).write('Jobs', [['Name']]);
    expect(fs.readFileSync(path.join(nested, 'Jobs.csv'), 'utf8')).toBe('Name\r\n');
  });

  it('keeps tabs whose names no file may have in escaped file names inside the folder', () => {
    const book = new CsvWorkbook(dir);
    const files: Record<string, string> = {
      '../escape': '%2E.%2Fescape.csv',
      'a/b': 'a%2Fb.csv',
      'a\\b': 'a%5Cb.csv',
      '..': '%2E%2E.csv',
      '.hidden': '%2Ehidden.csv',
      '  ': ' %20.csv',
      'what?': 'what%3F.csv',
      'CON': '%43ON.csv',
      'lpt1.old': '%6Cpt1.old.csv',
      'dot.': 'dot%2E.csv',
      'tab\tname': 'tab%09name.csv',
      'Q1: "A" <B> | C*': 'Q1%3A %22A%22 %3CB%3E %7C C%2A.csv',
      '50% off': '50% off.csv',
      '%41 literal': '%2541 literal.csv',
      'Sync Report (2024) – ünïcode': 'Sync Report (2024) – ünïcode.csv',
    };
    for (const [tab, file] of Object.entries(files)) {
      book.write(tab, [['x'], [tab]]);
      expect(fs.existsSync(path.join(dir, file)), tab).toBe(true);
      expect(new CsvWorkbook(dir).read(tab), tab).toEqual([['x'], [tab]]);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(Object.values(files).sort());
    expect(fs.readdirSync(path.dirname(dir)).filter((f) => f.startsWith('escape'))).toEqual([]);
    expect(book.listTabs().sort()).toEqual(Object.keys(files).sort());
  });

  it('says plainly, as a setup problem, why a tab cannot be a file', () => {
    const book = new CsvWorkbook(dir);
    expect(() => book.read('')).toThrow(expect.objectContaining({ code: 'config', message: expect.stringMatching(/no name/) }));
    // 100 characters, which Sheets allows, but 300 bytes once each "/" is escaped.
    const slashes = '/'.repeat(100);
    expect(() => book.write(slashes, [['x']])).toThrow(
      expect.objectContaining({ code: 'config', message: expect.stringMatching(/file name would be 304 bytes long.*Give the tab a shorter name in the Jobs tab/) }),
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('lists only files that are some tab\'s file', () => {
    for (const f of ['a%2fb.csv', 'x.txt', '.csv', 'Members.csv', 'CON.csv']) fs.writeFileSync(path.join(dir, f), 'x\r\n');
    expect(new CsvWorkbook(dir).listTabs()).toEqual(['Members']);
  });

  it('counts reads and writes', () => {
    const book = new CsvWorkbook(dir);
    book.read('Jobs');
    book.write('Jobs', [['Name']]);
    book.write('Sync Report', [['Run']]);
    book.write('Jobs', [['Name']]);
    book.read('Jobs');
    expect(book.stats).toEqual({ reads: 2, writes: 3, writesByTab: { Jobs: 2, 'Sync Report': 1 } });
  });

  it('lists tabs from the .csv files in the folder', () => {
    const book = new CsvWorkbook(dir);
    book.write('Jobs', [['Name']]);
    book.write('Connections', [['Name']]);
    fs.writeFileSync(path.join(dir, 'notes.txt'), '');
    new JsonFileStore(dir).set('k', 'v');
    expect(book.listTabs()).toEqual(['Connections', 'Jobs']);
    expect(new CsvWorkbook(path.join(dir, 'missing')).listTabs()).toEqual([]);
  });
});

describe('JsonFileStore', () => {
  it('creates its file on first set and keeps values across instances', () => {
    const store = new JsonFileStore(dir);
    expect(store.get('checkpoint')).toBeNull();
    store.delete('checkpoint');
    expect(fs.readdirSync(dir)).toEqual([]);
    store.set('checkpoint', '{"page":3}');
    store.set('constructor', 'plain key');
    expect(new JsonFileStore(dir).get('checkpoint')).toBe('{"page":3}');
    expect(new JsonFileStore(dir).get('constructor')).toBe('plain key');
    expect(new JsonFileStore(dir).get('toString')).toBeNull();
    store.delete('checkpoint');
    expect(new JsonFileStore(dir).get('checkpoint')).toBeNull();
    expect(fs.readdirSync(dir)).toEqual(['.sheets-sync-state.json']);
  });

  it('says which file is broken', () => {
    fs.writeFileSync(path.join(dir, '.sheets-sync-state.json'), '{not json');
    expect(() => new JsonFileStore(dir).get('x')).toThrow(/sheets-sync-state\.json is not valid JSON/);
  });
});
