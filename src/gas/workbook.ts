// The Workbook port over SpreadsheetApp: each tab read with one getValues and written with one
// setValues over the whole used area, so a run's sheet calls do not grow with its rows.

import type { Cell, Grid, Workbook } from '../core/ports';

/**
 * A sheet reads written text the way it reads typing: "=…" becomes a formula, "02134" the number
 * 2134, "2024-05-01" a date, "TRUE" a boolean, and a leading apostrophe disappears. Text that would
 * change is written behind an apostrophe, so the cell holds exactly the text (and the next run
 * does not see every such row as edited).
 */
const CONVERTED = [
  /^[=+\-@']/, // formulas and the apostrophe itself
  /^\s*[-+]?[$€£]?\s*(\d[\d,]*\.?\d*|\.\d+)(e[-+]?\d+)?\s*%?\s*$/i, // numbers, currency, percent, 1e5
  /^\s*\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?([ T]\d{1,2}:\d{2}(:\d{2})?)?\s*$/, // dates and date-times
  /^\s*\d{1,2}:\d{2}(:\d{2})?\s*([ap]m)?\s*$/i, // times
  /^\s*(true|false)\s*$/i,
];
export function asSheetValue(cell: Cell): Cell {
  if (typeof cell === 'string' && CONVERTED.some((re) => re.test(cell))) return `'${cell}`;
  return cell ?? '';
}

export class SheetsWorkbook implements Workbook {
  /** What each tab held when last read, so a rewrite can tell a coordinator's formula that stays put. */
  private readonly lastRead = new Map<string, Grid>();

  constructor(private readonly spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet) {}

  read(tab: string): Grid | null {
    const sheet = this.spreadsheet.getSheetByName(tab);
    if (!sheet) return null;
    if (sheet.getLastRow() === 0 || sheet.getLastColumn() === 0) return [];
    const values = sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getValues() as Grid;
    this.lastRead.set(tab, values);
    return values.map((r) => r.slice());
  }

  /**
   * Formulas in the area about to be rewritten whose cell keeps the value it had: the coordinator's
   * own formulas beside pulled columns stay formulas instead of turning into their last value.
   */
  private keptFormulas(sheet: GoogleAppsScript.Spreadsheet.Sheet, tab: string, grid: Grid): Map<string, string> {
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
    const sheet = this.spreadsheet.getSheetByName(tab) ?? this.spreadsheet.insertSheet(tab);
    // Cover the old used area too, so rows and columns the new content no longer has are blanked
    // in the same single call.
    const rows = Math.max(grid.length, sheet.getLastRow(), 1);
    const cols = Math.max(...grid.map((r) => r.length), sheet.getLastColumn(), 1);
    const formulas = this.keptFormulas(sheet, tab, grid);
    const values: Cell[][] = [];
    for (let r = 0; r < rows; r++) {
      const src = grid[r] ?? [];
      const row: Cell[] = [];
      for (let c = 0; c < cols; c++) row.push(formulas.get(`${r}:${c}`) ?? asSheetValue(src[c] ?? ''));
      values.push(row);
    }
    sheet.getRange(1, 1, rows, cols).setValues(values);
    this.lastRead.delete(tab);
  }

  writeBlock(tab: string, row: number, column: number, values: Grid): void {
    if (values.length === 0) return;
    const sheet = this.spreadsheet.getSheetByName(tab) ?? this.spreadsheet.insertSheet(tab);
    const width = Math.max(...values.map((r) => r.length));
    const rect = values.map((r) => Array.from({ length: width }, (_, c) => asSheetValue(r[c] ?? '')));
    sheet.getRange(row, column, rect.length, width).setValues(rect);
    // The fingerprint column is the add-on's bookkeeping, not something to read or edit.
    if (row === 1) {
      rect[0]!.forEach((h, j) => {
        if (typeof h === 'string' && / Hash$/.test(h)) sheet.hideColumns(column + j);
      });
    }
  }
}

function sameValue(a: Cell, b: Cell): boolean {
  const text = (v: Cell) => (v instanceof Date ? v.toISOString() : v === null ? '' : String(v));
  return text(a) === text(b);
}
