// Text a spreadsheet program would run as a formula is kept in the CSV workbook as Google Sheets
// keeps it: behind an apostrophe that reading removes, so values round-trip exactly and opening a
// pulled file never evaluates anything. Numbers stay numbers; a coordinator's own cells stay as typed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvWorkbook } from '../../src/cli/csv-workbook';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-formulas-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const fileText = (tab: string) => fs.readFileSync(path.join(dir, `${tab}.csv`), 'utf8');
/** The cells of the file as a spreadsheet program sees them (papaparse-free: no quotes used here). */
const fileCells = (tab: string) => fileText(tab).trimEnd().split('\r\n').map((line) => line.split(','));

describe('CsvWorkbook: formulas', () => {
  const dangerous = ["=cmd|' /C calc'!A0", '+1+cmd', '-2+3', '@SUM(A1)', '\tx', '=HYPERLINK("http://evil.example";"click")'];

  it('stores text that starts like a formula behind an apostrophe and reads it back exactly', () => {
    const book = new CsvWorkbook(dir);
    book.write('Members', [['Note'], ...dangerous.map((t) => [t])]);
    expect(fileText('Members')).toBe(
      'Note\r\n\'=cmd|\' /C calc\'!A0\r\n\'+1+cmd\r\n\'-2+3\r\n\'@SUM(A1)\r\n\'\tx\r\n"\'=HYPERLINK(""http://evil.example"";""click"")"\r\n',
    );
    expect(new CsvWorkbook(dir).read('Members')).toEqual([['Note'], ...dangerous.map((t) => [t])]);
  });

  it('protects a leading carriage return too', () => {
    const book = new CsvWorkbook(dir);
    book.write('CR', [['\r=1+1']]);
    expect(fileText('CR')).toBe('"\'\r=1+1"\r\n');
    expect(book.read('CR')).toEqual([['\r=1+1']]);
  });

  it('gives text that really starts with an apostrophe one more, so it survives reading', () => {
    const book = new CsvWorkbook(dir);
    book.write('Q', [["'tis", "''", "'", "'=1"]]);
    expect(fileText('Q')).toBe("''tis,''','',''=1\r\n");
    expect(book.read('Q')).toEqual([["'tis", "''", "'", "'=1"]]);
  });

  it('writes numbers, and text that is just a number, plain: a spreadsheet reads them as numbers, never runs them', () => {
    const book = new CsvWorkbook(dir);
    book.write('N', [[-5, 1.5, '-5', '+1.5', '-2e3', '-5 points', '- follow up', 'a=b']]);
    expect(fileCells('N')).toEqual([['-5', '1.5', '-5', '+1.5', '-2e3', "'-5 points", "'- follow up", 'a=b']]);
    expect(book.read('N')).toEqual([['-5', '1.5', '-5', '+1.5', '-2e3', '-5 points', '- follow up', 'a=b']]);
  });

  it("reads a coordinator's hand-typed cells as typed: -5 is -5, one apostrophe is Sheets' text marker", () => {
    fs.writeFileSync(path.join(dir, 'Typed.csv'), "Amount,Note,Formula\r\n-5,'=1+1,=1+1\r\n+3,'tis,@x\r\n");
    expect(new CsvWorkbook(dir).read('Typed')).toEqual([
      ['Amount', 'Note', 'Formula'],
      ['-5', '=1+1', '=1+1'],
      ['+3', 'tis', '@x'],
    ]);
  });

  it('keeps every cell outside a written block exactly as it was in the file', () => {
    const original = "Email,Amount,Note,Formula,Job Status\r\na@x.org,-5,'tis,=B2*2,\r\nb@x.org,+3,''quoted,@x,\r\n";
    fs.writeFileSync(path.join(dir, 'Sign-ups.csv'), original);
    const book = new CsvWorkbook(dir);
    book.writeBlock('Sign-ups', 2, 5, [['=not a formula'], ['Created']]);
    expect(fileText('Sign-ups')).toBe(
      "Email,Amount,Note,Formula,Job Status\r\na@x.org,-5,'tis,=B2*2,'=not a formula\r\nb@x.org,+3,''quoted,@x,Created\r\n",
    );
    expect(book.read('Sign-ups')![1]).toEqual(['a@x.org', '-5', 'tis', '=B2*2', '=not a formula']);
  });
});
