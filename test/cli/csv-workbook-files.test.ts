// The CSV workbook against files as other programs leave them: line ends mixed within one file,
// bytes that are not UTF-8 (Excel's Windows-1252 "CSV"), and a byte order mark.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvWorkbook } from '../../src/cli/csv-workbook';
import { unifyRowEnds } from '../../src/cli/csv-text';
import { SyncError } from '../../src/core/errors';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-workbook-files-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const put = (tab: string, content: string | Buffer) => fs.writeFileSync(path.join(dir, `${tab}.csv`), content);
const bytes = (tab: string) => fs.readFileSync(path.join(dir, `${tab}.csv`));
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('mixed line ends', () => {
  it('reads rows appended with LF after rows written with CRLF', () => {
    put('Members', 'Email,Name\r\na@example.org,Ann\r\nb@example.org,Bo\nc@example.org,Cy\n');
    expect(new CsvWorkbook(dir).read('Members')).toEqual([
      ['Email', 'Name'],
      ['a@example.org', 'Ann'],
      ['b@example.org', 'Bo'],
      ['c@example.org', 'Cy'],
    ]);
  });

  it('reads CRLF rows after LF rows, and rows ended by a lone CR', () => {
    put('A', 'h1,h2\nx,1\r\ny,2\r\n');
    put('B', 'h1,h2\rx,1\ry,2\r\nz,3\n');
    const book = new CsvWorkbook(dir);
    expect(book.read('A')).toEqual([['h1', 'h2'], ['x', '1'], ['y', '2']]);
    expect(book.read('B')).toEqual([['h1', 'h2'], ['x', '1'], ['y', '2'], ['z', '3']]);
  });

  it('keeps line breaks inside quoted cells as they are, whatever the row ends around them', () => {
    put('Notes', 'Id,Note,After\r\n1,"two\r\nlines",a\r\n2,"lf\nonly",b\n3,"cr\ronly and ""quoted""\r\n",c\n4,"x,\ny",d\r\n');
    expect(new CsvWorkbook(dir).read('Notes')).toEqual([
      ['Id', 'Note', 'After'],
      ['1', 'two\r\nlines', 'a'],
      ['2', 'lf\nonly', 'b'],
      ['3', 'cr\ronly and "quoted"\r\n', 'c'],
      ['4', 'x,\ny', 'd'],
    ]);
  });

  it('writes status cells beside every appended row, each on its own row, and the file comes back CRLF', () => {
    put('Sign-ups', 'Email,Status\r\na@example.org,\r\nb@example.org,\nc@example.org,\n');
    const book = new CsvWorkbook(dir);
    book.writeBlock('Sign-ups', 2, 2, [['Created'], ['Updated'], ['Skipped']]);
    expect(bytes('Sign-ups').toString('utf8')).toBe('Email,Status\r\na@example.org,Created\r\nb@example.org,Updated\r\nc@example.org,Skipped\r\n');
  });

  it('rewrites only row ends outside quotes', () => {
    expect(unifyRowEnds('a,"b\r\nc"\r\nd"e,f\rg,""\r\n')).toBe('a,"b\r\nc"\nd"e,f\ng,""\n');
    expect(unifyRowEnds('plain\nfile\n')).toBe('plain\nfile\n');
  });
});

describe('text that is not UTF-8', () => {
  const windows1252 = Buffer.concat([
    Buffer.from('Email,First Name\r\nann@example.org,Ann\r\nrene@example.org,Ren'),
    Buffer.from([0xe9]),
    Buffer.from('\r\nzoe@example.org,Zoe\r\n'),
  ]);

  it('is refused with the file and the line of the first bad byte', () => {
    put('Event Sign-ups', windows1252);
    const error = thrown(() => new CsvWorkbook(dir).read('Event Sign-ups'));
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('config');
    expect(error.message).toContain('Event Sign-ups.csv is not UTF-8 text: line 3 has the byte 0xE9');
    expect(error.message).toContain('CSV UTF-8');
  });

  it('counts lines across mixed line ends and quoted line breaks, after a BOM', () => {
    put('T', Buffer.concat([BOM, Buffer.from('a,b\n"x\r\ny",1\rok,2\r\nbad,'), Buffer.from([0x80]), Buffer.from('\n')]));
    expect(thrown(() => new CsvWorkbook(dir).read('T')).message).toContain('T.csv is not UTF-8 text: line 5 has the byte 0x80');
  });

  it('names the first byte of a broken sequence, and a character cut off at the end of the file', () => {
    // 0xC3 starts a two-byte character but the next byte (a comma) cannot continue it.
    put('Seq', Buffer.concat([Buffer.from('h\nGr'), Buffer.from([0xc3]), Buffer.from(',x\n')]));
    put('Cut', Buffer.concat([Buffer.from('h\nok\nM'), Buffer.from([0xc3])]));
    const book = new CsvWorkbook(dir);
    expect(thrown(() => book.read('Seq')).message).toContain('Seq.csv is not UTF-8 text: line 2 has the byte 0xC3');
    expect(thrown(() => book.read('Cut')).message).toContain('Cut.csv is not UTF-8 text: line 3 has the byte 0xC3');
  });

  it('is not rewritten by a status write, so nothing is lost', () => {
    put('Event Sign-ups', windows1252);
    const book = new CsvWorkbook(dir);
    expect(() => book.writeBlock('Event Sign-ups', 2, 3, [['Created']])).toThrow(/Event Sign-ups\.csv is not UTF-8 text: line 3/);
    expect(bytes('Event Sign-ups')).toEqual(windows1252);
  });

  it('still reads real UTF-8, including a replacement character the coordinator typed', () => {
    put('Ok', 'Name\r\nRené \uFFFD 東京 🎉\r\n');
    expect(new CsvWorkbook(dir).read('Ok')).toEqual([['Name'], ['René \uFFFD 東京 🎉']]);
  });
});

describe('byte order mark', () => {
  it('is kept when a file that had one is rewritten, and never reaches the first header', () => {
    put('Members', Buffer.concat([BOM, Buffer.from('Name,Status\r\nAnn,\r\n')]));
    const book = new CsvWorkbook(dir);
    expect(book.read('Members')![0]![0]).toBe('Name');
    book.writeBlock('Members', 2, 2, [['Created']]);
    expect(bytes('Members')).toEqual(Buffer.concat([BOM, Buffer.from('Name,Status\r\nAnn,Created\r\n')]));
    book.write('Members', [['Name', 'Status'], ['Bo', '']]);
    expect(bytes('Members')).toEqual(Buffer.concat([BOM, Buffer.from('Name,Status\r\nBo,\r\n')]));
    expect(book.read('Members')).toEqual([['Name', 'Status'], ['Bo', '']]);
  });

  it('is kept on a quoted first header, and a file without one does not gain one', () => {
    put('Quoted', Buffer.concat([BOM, Buffer.from('"First, Name",b\n')]));
    put('Plain', 'Name\nAnn\n');
    const book = new CsvWorkbook(dir);
    expect(book.read('Quoted')).toEqual([['First, Name', 'b']]);
    book.write('Quoted', book.read('Quoted')!);
    expect(bytes('Quoted')).toEqual(Buffer.concat([BOM, Buffer.from('"First, Name",b\r\n')]));
    book.write('Plain', [['Name'], ['Bo']]);
    book.write('New', [['Name']]);
    expect(bytes('Plain').toString('utf8')).toBe('Name\r\nBo\r\n');
    expect(bytes('New').toString('utf8')).toBe('Name\r\n');
  });
});
