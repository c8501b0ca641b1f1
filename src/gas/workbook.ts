// The Workbook port over SpreadsheetApp: each tab read with one getValues and written with one
// setValues over the whole used area, so a run's sheet calls do not grow with its rows. A tab is
// grown before a write that needs more room (a new tab is only 1,000 × 26, and a range past its
// edge throws), and dates are read and written in the spreadsheet's time zone.

import { localFromZone, zoneFromLocal } from '../core/dates';
import { SyncError } from '../core/errors';
import type { Cell, Grid, Workbook } from '../core/ports';
import { formatCount } from '../core/results';

/** Google Sheets' limit: every tab's rows × columns in one spreadsheet. */
export const CELL_LIMIT = 10_000_000;

/**
 * A sheet reads written text the way it reads typing: "=…" becomes a formula, "02134" the number
 * 2134, "5/1/2024 3:15 PM" a date, "TRUE" a boolean, "#N/A" an error, and a leading apostrophe
 * disappears. Sheets recognises more number and date forms than any list here could keep up
 * with, but every one of them holds a digit, so text that could change (anything with a digit,
 * a formula or error sign first, or a boolean word) is written behind an apostrophe. The
 * apostrophe costs nothing: the cell holds exactly the text, and the next run does not see the
 * row as edited.
 */
const CONVERTIBLE = [/^\s*[=+\-@'#]/, /\d/, /^\s*(true|false)\s*$/i];
export function asSheetValue(cell: Cell): Cell {
  if (typeof cell === 'string' && CONVERTIBLE.some((re) => re.test(cell))) return `'${cell}`;
  return cell ?? '';
}

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export class SheetsWorkbook implements Workbook {
  /** What each tab held when last read, so a rewrite can tell a coordinator's formula that stays put. */
  private readonly lastRead = new Map<string, Grid>();
  private readonly timeZone: string;

  constructor(private readonly spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet) {
    this.timeZone = spreadsheet.getSpreadsheetTimeZone();
  }

  read(tab: string): Grid | null {
    const sheet = this.spreadsheet.getSheetByName(tab);
    if (!sheet) return null;
    if (sheet.getLastRow() === 0 || sheet.getLastColumn() === 0) return [];
    const values = (sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getValues() as Grid).map((row) =>
      row.map((c) => (c instanceof Date ? localFromZone(c, this.timeZone) : c)),
    );
    this.lastRead.set(tab, values);
    return values.map((r) => r.slice());
  }

  headerOf(tab: string): { header: Cell[]; dataRows: number } | null {
    const sheet = this.spreadsheet.getSheetByName(tab);
    if (!sheet) return null;
    if (sheet.getLastColumn() === 0) return { header: [], dataRows: 0 };
    const header = (sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0] as Cell[]).map((c) => (c instanceof Date ? localFromZone(c, this.timeZone) : c));
    return { header, dataRows: Math.max(0, sheet.getLastRow() - 1) };
  }

  /**
   * Formulas in the area about to be rewritten whose cell keeps the value it had: the coordinator's
   * own formulas beside pulled columns stay formulas instead of turning into their last value.
   */
  private keptFormulas(sheet: Sheet, tab: string, grid: Grid): Map<string, string> {
    const kept = new Map<string, string>();
    const before = this.lastRead.get(tab);
    if (!before || sheet.getLastRow() === 0 || sheet.getLastColumn() === 0) return kept;
    const formulas = sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getFormulas();
    formulas.forEach((row, r) =>
      row.forEach((f, c) => {
        if (f && sameValue(before[r]?.[c] ?? '', grid[r]?.[c] ?? '')) kept.set(`${r}:${c}`, f);
      }),
    );
    return kept;
  }

  write(tab: string, grid: Grid): void {
    // Cover the old used area too, so rows and columns the new content no longer has are blanked
    // in the same single call.
    const existing = this.spreadsheet.getSheetByName(tab);
    const rows = Math.max(grid.length, existing?.getLastRow() ?? 0, 1);
    const cols = Math.max(...grid.map((r) => r.length), existing?.getLastColumn() ?? 0, 1);
    const sheet = roomFor(this.spreadsheet, tab, existing, rows, cols);
    const formulas = this.keptFormulas(sheet, tab, grid);
    const values: Cell[][] = [];
    for (let r = 0; r < rows; r++) {
      const src = grid[r] ?? [];
      const row: Cell[] = [];
      for (let c = 0; c < cols; c++) row.push(formulas.get(`${r}:${c}`) ?? this.toSheet(src[c] ?? ''));
      values.push(row);
    }
    sheet.getRange(1, 1, rows, cols).setValues(values);
    this.lastRead.delete(tab);
  }

  writeBlock(tab: string, row: number, column: number, values: Grid): void {
    if (values.length === 0) return;
    const width = Math.max(...values.map((r) => r.length));
    const sheet = roomFor(this.spreadsheet, tab, this.spreadsheet.getSheetByName(tab), row + values.length - 1, column + width - 1);
    const rect = values.map((r) => Array.from({ length: width }, (_, c) => this.toSheet(r[c] ?? '')));
    sheet.getRange(row, column, rect.length, width).setValues(rect);
    // The fingerprint column is the add-on's bookkeeping, not something to read or edit.
    if (row === 1) {
      rect[0]!.forEach((h, j) => {
        if (typeof h === 'string' && / Hash$/.test(h)) sheet.hideColumns(column + j);
      });
    }
  }

  private toSheet(cell: Cell): Cell {
    return cell instanceof Date ? zoneFromLocal(cell, this.timeZone) : asSheetValue(cell);
  }
}

/**
 * The tab (created if missing) with at least rows × cols, grown with one insertRowsAfter and one
 * insertColumnsAfter. A spreadsheet that would pass Google's 10,000,000 cells is refused before
 * anything changes, with the numbers.
 */
export function roomFor(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet, tab: string, existing: Sheet | null, rows: number, cols: number): Sheet {
  const have = existing ? { rows: existing.getMaxRows(), cols: existing.getMaxColumns() } : { rows: 0, cols: 0 };
  // A new tab starts at 1,000 × 26.
  const start = existing ? have : { rows: 1000, cols: 26 };
  const want = { rows: Math.max(start.rows, rows), cols: Math.max(start.cols, cols) };
  const added = want.rows * want.cols - have.rows * have.cols;
  if (added > 0) {
    const total = spreadsheet.getSheets().reduce((n, s) => n + s.getMaxRows() * s.getMaxColumns(), 0);
    if (total + added > CELL_LIMIT) {
      throw new SyncError(
        'config',
        `Nothing was written to "${tab}": it needs ${formatCount(rows)} rows × ${formatCount(cols)} columns, which would take this spreadsheet to ${formatCount(total + added)} cells, and Google Sheets holds at most ${formatCount(CELL_LIMIT)} (it has ${formatCount(total)}). Delete tabs, rows or columns you no longer need, or have the job bring fewer columns`,
      );
    }
  }
  const sheet = existing ?? spreadsheet.insertSheet(tab);
  if (want.rows > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), want.rows - sheet.getMaxRows());
  if (want.cols > sheet.getMaxColumns()) sheet.insertColumnsAfter(sheet.getMaxColumns(), want.cols - sheet.getMaxColumns());
  return sheet;
}

function sameValue(a: Cell, b: Cell): boolean {
  const text = (v: Cell) => (v instanceof Date ? v.toISOString() : v === null ? '' : String(v));
  return text(a) === text(b);
}
