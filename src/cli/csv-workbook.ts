// The workbook of the command line: a folder with one UTF-8 CSV file per tab (`<Tab name>.csv`,
// DESIGN.md §6). Files are read whole and replaced whole through a temporary file and a rename,
// so a crash or a full disk never leaves a half-written tab behind. Row numbers match what the
// user sees when they open the file in a spreadsheet, which is why blank lines in the middle of a
// file are kept as empty rows. Text that a spreadsheet program would run as a formula is stored as
// Google Sheets stores it, behind an apostrophe that reading removes again (see protectText), so a
// pulled value such as `=cmd|' /C calc'!A0` is never evaluated when the file is opened.

import { patchGrid } from '../core/grid';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Papa from 'papaparse';
import { SyncError } from '../core/errors';
import type { Cell, Grid, Workbook } from '../core/ports';
import { decodeCsvBytes, startsWithBom, unifyRowEnds } from './csv-text';
import { tabFileName, tabOfFileName } from './tab-files';

/** RFC 4180 line ends: what spreadsheet programs expect when the file is opened again. */
const LINE_END = '\r\n';
const BOM = '\uFEFF';

export interface WorkbookStats {
  reads: number;
  writes: number;
  writesByTab: Record<string, number>;
}

export class CsvWorkbook implements Workbook {
  readonly stats: WorkbookStats = { reads: 0, writes: 0, writesByTab: {} };

  constructor(readonly dir: string) {}

  read(tab: string): Grid | null {
    const file = this.fileFor(tab);
    this.stats.reads += 1;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      if (isErrorCode(error, 'ENOENT')) return null;
      throw error;
    }
    return parseCsv(decodeCsvBytes(bytes, path.basename(file)).text, file).map((row) => row.map(unprotectText));
  }

  /** A CSV file has no cheaper way to its first row than reading it. */
  headerOf(tab: string): { header: Cell[]; dataRows: number } | null {
    const grid = this.read(tab);
    if (grid === null) return null;
    return { header: grid[0] ?? [], dataRows: grid.slice(1).filter((r) => r.some((c) => c !== null && c !== '')).length };
  }

  write(tab: string, grid: Grid): void {
    // Converted before anything touches the disk, so a bad cell leaves the old file as it was.
    this.writeTexts(tab, cellTexts(grid, tab));
  }

  /**
   * Rewrites the file with only the given block changed. Every other cell keeps the exact text it
   * had in the file: a coordinator's own `-5` or `'note` beside the status columns stays as typed.
   */
  writeBlock(tab: string, row: number, column: number, values: Grid): void {
    const file = this.fileFor(tab);
    const block = cellTexts(values, tab, row - 1, column - 1);
    let existing: string[][] = [];
    try {
      existing = parseCsv(decodeCsvBytes(fs.readFileSync(file), path.basename(file)).text, file);
    } catch (error) {
      if (!isErrorCode(error, 'ENOENT')) throw error;
    }
    // patchGrid pads with '' and is handed only texts, so every cell it returns is one.
    this.writeTexts(tab, patchGrid(existing, row, column, block).map((r) => r.map((c) => (typeof c === 'string' ? c : ''))));
  }

  private writeTexts(tab: string, texts: string[][]): void {
    const file = this.fileFor(tab);
    const text = unparseCsv(texts);
    fs.mkdirSync(this.dir, { recursive: true });
    // Some programs (older Excel among them) need the BOM to open the file as UTF-8, and others
    // show it as junk; whoever made the file chose, so a rewrite keeps that choice.
    writeFileAtomic(file, hasBom(file) ? BOM + text : text);
    this.stats.writes += 1;
    this.stats.writesByTab[tab] = (this.stats.writesByTab[tab] ?? 0) + 1;
  }

  /** Tab names present in the folder, alphabetical; empty when the folder does not exist. */
  listTabs(): string[] {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.dir, { withFileTypes: true });
    } catch (error) {
      if (isErrorCode(error, 'ENOENT')) return [];
      throw error;
    }
    return entries
      .flatMap((entry) => {
        const tab = entry.isFile() ? tabOfFileName(entry.name) : null;
        return tab === null ? [] : [tab];
      })
      .sort((a, b) => a.localeCompare(b));
  }

  private fileFor(tab: string): string {
    const file = path.join(this.dir, tabFileName(tab));
    // tabFileName escapes every separator; this holds even if that ever changes.
    if (path.dirname(file) !== path.join(this.dir)) {
      throw new SyncError('config', `The tab name ${JSON.stringify(tab)} would be a file outside the workbook folder. Rename the tab.`);
    }
    return file;
  }
}

/** CSV text → rows of strings, padded to a rectangle; trailing blank lines dropped. */
export function parseCsv(text: string, fileForMessages: string): string[][] {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Delimiter and row end are fixed: guessing would misread a one-column tab whose cells hold
  // commas, and papaparse guesses one row end for the whole file, folding rows appended with
  // another line end into the cell before them.
  const result = Papa.parse<string[]>(unifyRowEnds(withoutBom), {
    header: false,
    delimiter: ',',
    newline: '\n',
    skipEmptyLines: false,
    dynamicTyping: false,
  });
  const quoteError = result.errors.find((error) => error.type === 'Quotes');
  if (quoteError) {
    const row = quoteError.row === undefined ? '' : ` (row ${quoteError.row + 1})`;
    throw new Error(
      `${path.basename(fileForMessages)} is not valid CSV${row}: ${quoteError.message}. ` +
        'Open it in a spreadsheet program or a text editor and fix the quotes.',
    );
  }
  const rows = result.data;
  // A spreadsheet has no rows after the last one with content; a final newline is not a row.
  let end = rows.length;
  while (end > 0 && (rows[end - 1] ?? []).every((cell) => cell === '')) end -= 1;
  const kept = rows.slice(0, end);
  const width = kept.reduce((max, row) => Math.max(max, row.length), 0);
  return kept.map((row) => (row.length < width ? [...row, ...blanks(width - row.length)] : row));
}

/**
 * First characters that make a spreadsheet program read a cell as a formula, as the OWASP advice
 * on CSV injection lists them (tab and carriage return too: some programs skip them and read on).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number ("-5", "+1.5", "-2e3") is read as that number, never run. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The text stored in the file for a text cell. Like Google Sheets, an apostrophe in front keeps
 * the rest as text; text that really starts with an apostrophe gets one more, so reading (which
 * removes one) gives back exactly what was written.
 */
export function protectText(text: string): string {
  if (text.startsWith("'")) return `'${text}`;
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** A cell's value from its text in the file: one leading apostrophe is a marker, not content. */
export function unprotectText(text: string): string {
  return text.startsWith("'") ? text.slice(1) : text;
}

/** The texts stored for rows of cells, padded to a rectangle; `top`/`left` place messages. */
function cellTexts(grid: Grid, tab: string, top = 0, left = 0): string[][] {
  const width = grid.reduce((max, row) => Math.max(max, row.length), 0);
  return grid.map((row, r) => {
    const texts = row.map((cell, c) => cellText(cell, tab, top + r, left + c));
    return texts.length < width ? [...texts, ...blanks(width - texts.length)] : texts;
  });
}

/** Stored texts → CSV text with CRLF line ends and a final line end. */
function unparseCsv(rows: string[][]): string {
  if (rows.length === 0) return '';
  // protectText has already made formulas text; papaparse's own escaping would differ from Sheets'.
  const body = Papa.unparse(rows, {
    delimiter: ',',
    newline: LINE_END,
    quotes: false,
    escapeFormulae: false,
    header: false,
  });
  return body + LINE_END;
}

function cellText(cell: Cell, tab: string, row: number, column: number): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return protectText(cell);
  // A number is written as the number it is, so -5 opens as -5 wherever the file is opened.
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) {
      throw new Error(
        `Cannot write tab "${tab}": row ${row + 1}, column ${column + 1} holds an invalid date.`,
      );
    }
    return cell.toISOString();
  }
  throw new Error(
    `Cannot write tab "${tab}": row ${row + 1}, column ${column + 1} holds a ${typeof cell}, ` +
      'which is not a cell value.',
  );
}

function hasBom(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(3);
    return startsWithBom(head.subarray(0, fs.readSync(fd, head, 0, 3, 0)));
  } catch {
    // No file yet (or none readable): the write itself reports any real problem.
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

function blanks(count: number): string[] {
  return new Array<string>(count).fill('');
}

/**
 * Replaces `file` with `text` so that readers see either the old content or the new, never a
 * mix: write a temporary file beside it, flush it to disk, then rename over the original.
 * The temporary file is removed again if anything fails.
 */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  // Short and ending in .tmp so it can never be taken for a tab, whatever the tab's name length.
  const temp = path.join(dir, `.sheets-sync-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, 'wx', existingMode(file));
    fs.writeFileSync(fd, text, 'utf8');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // The write error is the one worth reporting.
      }
    }
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // Same: keep the original error.
    }
    throw error;
  }
  syncDirectory(dir);
}

/** Keeps the permissions a user gave the file; a new file gets the usual default. */
function existingMode(file: string): number {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return 0o666;
  }
}

/** Makes the rename itself durable; not possible on every platform, and not worth failing over. */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a directory for fsync.
  } finally {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // Nothing useful to do.
      }
    }
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
