// The Workbook port over SpreadsheetApp: each tab read with one getValues and written with one
// setValues over the whole used area, so a run's sheet calls do not grow with its rows.

import type { Cell, Grid, Workbook } from '../core/ports';

/** Text a sheet would take for a formula is written with a leading apostrophe, so it stays text. */
export function asSheetValue(cell: Cell): Cell {
  if (typeof cell === 'string' && /^[=+\-@]/.test(cell)) return `'${cell}`;
  return cell ?? '';
}

export class SheetsWorkbook implements Workbook {
  constructor(private readonly spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet) {}

  read(tab: string): Grid | null {
    const sheet = this.spreadsheet.getSheetByName(tab);
    if (!sheet) return null;
    if (sheet.getLastRow() === 0 || sheet.getLastColumn() === 0) return [];
    return sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getValues() as Grid;
  }

  write(tab: string, grid: Grid): void {
    const sheet = this.spreadsheet.getSheetByName(tab) ?? this.spreadsheet.insertSheet(tab);
    // Cover the old used area too, so rows and columns the new content no longer has are blanked
    // in the same single call.
    const rows = Math.max(grid.length, sheet.getLastRow(), 1);
    const cols = Math.max(...grid.map((r) => r.length), sheet.getLastColumn(), 1);
    const values: Cell[][] = [];
    for (let r = 0; r < rows; r++) {
      const src = grid[r] ?? [];
      const row: Cell[] = [];
      for (let c = 0; c < cols; c++) row.push(asSheetValue(src[c] ?? ''));
      values.push(row);
    }
    sheet.getRange(1, 1, rows, cols).setValues(values);
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
