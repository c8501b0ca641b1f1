// Reading the cells of a tab the way a coordinator thinks of them. A sheet hands us typed
// values (Google Sheets: numbers, booleans, dates) or plain text (CSV), headers in any order and
// case, rows with gaps; these helpers turn all of that into one shape so the config parser and
// the runners never care where a tab came from.

import type { Cell, Grid } from './ports';
import type { ConfigProblem } from './config/types';

/** One data row: its cells keyed by canonical header name, and where it sits in the sheet. */
export interface TableRow<H extends string> {
  /** Sheet row number: the header is row 1, the first data row is 2. */
  row: number;
  /** A header absent from the tab, or a cell beyond the end of a short row, reads as null. */
  cells: Record<H, Cell>;
}

export interface Table<H extends string> {
  /** Data rows in sheet order, rows blank in every column we read left out. */
  rows: TableRow<H>[];
  /** The canonical headers the header row actually has. */
  present: ReadonlySet<H>;
  /** One problem per required header missing from the header row, and per header asked for that appears twice. */
  problems: ConfigProblem[];
}

/** Header texts compare case-insensitively, ignoring surrounding (and doubled) spaces. */
export function headerKey(header: Cell): string {
  return cellText(header).replace(/\s+/g, ' ').toLowerCase();
}

/** A column as the sheet labels it: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * One problem (on row 1) per header in `read` that the header row holds more than once. Picking
 * one of the copies would be a guess: two Name columns in Jobs once made every job fall back to
 * its defaults. Copies of a header the add-on never reads are the coordinator's own business and
 * are left alone. Problems come in the order their first copy stands in the row.
 */
export function duplicateHeaderProblems(headerRow: readonly Cell[], tab: string, read: Iterable<string>): ConfigProblem[] {
  const where = new Map<string, number[]>();
  headerRow.forEach((cell, i) => {
    const key = headerKey(cell);
    if (key !== '') where.set(key, [...(where.get(key) ?? []), i]);
  });
  const asked = new Map<string, string>();
  for (const h of read) if (!asked.has(headerKey(h))) asked.set(headerKey(h), h);
  const found: { first: number; problem: ConfigProblem }[] = [];
  for (const [key, header] of asked) {
    const at = where.get(key) ?? [];
    if (key === '' || at.length < 2) continue;
    const letters = at.map(columnLetter);
    const list = `${letters.slice(0, -1).join(', ')} and ${letters[letters.length - 1]}`;
    const times = at.length === 2 ? 'twice' : `${at.length} times`;
    found.push({ first: at[0]!, problem: { tab, row: 1, column: header, message: `the header "${header}" appears ${times} (columns ${list}); keep one` } });
  }
  return found.sort((a, b) => a.first - b.first).map((f) => f.problem);
}

/**
 * The rows of a tab keyed by the given headers. Columns may be in any order; columns not asked
 * for are ignored. A header asked for that appears twice is a problem (duplicateHeaderProblems):
 * its leftmost copy is read only so the rows keep their shape. Rows that are blank in every column
 * asked for (e.g. a row holding only a note in an extra column, or only unticked checkboxes) are
 * skipped. Rows are returned even when a required header is missing; the
 * caller decides whether checking them is worth it.
 */
export function readTable<R extends string, O extends string = never>(
  grid: Grid,
  tab: string,
  requiredHeaders: readonly R[],
  optionalHeaders: readonly O[] = [],
): Table<R | O> {
  type H = R | O;
  const wanted: H[] = [...requiredHeaders, ...optionalHeaders];
  const headerRow = grid[0] ?? [];
  const index = new Map<string, number>();
  headerRow.forEach((cell, i) => {
    const key = headerKey(cell);
    if (key !== '' && !index.has(key)) index.set(key, i);
  });

  const present = new Set<H>();
  const columns: [H, number | undefined][] = wanted.map((h) => {
    const i = index.get(headerKey(h));
    if (i !== undefined) present.add(h);
    return [h, i];
  });

  const problems: ConfigProblem[] =
    index.size === 0 && requiredHeaders.length > 0
      ? [{ tab, row: 1, column: null, message: `the first row should hold the column headers (${requiredHeaders.join(', ')}, …) but it is empty` }]
      : requiredHeaders
          .filter((h) => !present.has(h))
          .map((h): ConfigProblem => ({ tab, row: 1, column: h, message: `the column "${h}" is missing from the header row` }))
          .concat(duplicateHeaderProblems(headerRow, tab, wanted));

  const rows: TableRow<H>[] = [];
  for (let r = 1; r < grid.length; r++) {
    const line = grid[r] ?? [];
    const cells = {} as Record<H, Cell>;
    let blank = true;
    for (const [h, i] of columns) {
      const cell = i === undefined ? null : (line[i] ?? null);
      cells[h] = cell;
      // An unticked checkbox is FALSE all the way down the sheet; it does not make a row.
      if (cell !== false && cellText(cell) !== '') blank = false;
    }
    if (!blank) rows.push({ row: r + 1, cells });
  }
  return { rows, present, problems };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The cell as trimmed text: numbers as a person would type them (3, not 3.0; no floating-point
 * noise), booleans TRUE/FALSE, dates yyyy-mm-dd (or yyyy-mm-ddThh:mm:ss when they carry a time,
 * in the local time zone, which in Apps Script is the script's), empty cells ''.
 */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(sheetNumber(cell)) : '';
  if (Number.isNaN(cell.getTime())) return '';
  const date = `${pad(cell.getFullYear(), 4)}-${pad(cell.getMonth() + 1)}-${pad(cell.getDate())}`;
  const h = cell.getHours();
  const m = cell.getMinutes();
  const s = cell.getSeconds();
  const ms = cell.getMilliseconds();
  if (h === 0 && m === 0 && s === 0 && ms === 0) return date;
  return `${date}T${pad(h)}:${pad(m)}:${pad(s)}${ms === 0 ? '' : '.' + pad(ms, 3)}`;
}

/**
 * A number as a sheet shows it: Sheets keeps 15 significant digits, so 0.1 + 0.2 is 0.3 to the
 * coordinator, never 0.30000000000000004. Integers are kept exactly (long member numbers).
 */
export function sheetNumber(n: number): number {
  return Number.isInteger(n) || !Number.isFinite(n) ? n : Number(n.toPrecision(15));
}

const TRUE_TEXTS = new Set(['true', 'yes', '1', 'x']);
const FALSE_TEXTS = new Set(['false', 'no', '0', '']);

/**
 * A checkbox-like cell: TRUE/FALSE (checkbox or text), yes/no, 1/0, x; blank is false.
 * Anything else is undefined so the caller can say the cell is not understood.
 */
export function cellBoolean(cell: Cell | undefined): boolean | undefined {
  if (typeof cell === 'boolean') return cell;
  if (cell instanceof Date) return undefined;
  const text = cellText(cell).toLowerCase();
  if (TRUE_TEXTS.has(text)) return true;
  if (FALSE_TEXTS.has(text)) return false;
  return undefined;
}
