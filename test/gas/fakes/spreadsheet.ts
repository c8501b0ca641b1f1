// A fake SpreadsheetApp over a persistent in-memory spreadsheet, as strict as Google's: a new tab
// is 1,000 rows × 26 columns and getRange past its edge throws; tabs grow only through
// insertRowsAfter / insertColumnsAfter (appendRow adds its one row), and no spreadsheet passes
// 10,000,000 cells. Ranges are 1-based; getValues gives Dates as Dates and empty cells as '';
// setValues refuses data whose dimensions differ from the range with Apps Script's own message,
// and reads text the way a sheet reads what a person types (typed-input.ts), in the
// spreadsheet's time zone. getUi refuses to work inside a trigger.

import { counted } from './calls';
import type { Execution } from './execution';
import { isDate } from './realm';
import { evaluate, interpret, type Stored } from './typed-input';

export { interpret, type Stored } from './typed-input';

export interface ValidationRule {
  criteria: 'VALUE_IN_LIST' | 'CHECKBOX';
  values: unknown[];
  showDropdown: boolean;
  allowInvalid: boolean;
  helpText: string | null;
}

const key = (r: number, c: number) => `${r},${c}`;
const MAX_CELL_CHARS = 50_000;

/** Google Sheets' limit on the items of a dropdown (a list data validation rule). */
const LIST_LIMIT = 500;

/** Google Sheets' limit on cells in one spreadsheet, every tab's rows × columns counted. */
export const CELL_LIMIT = 10_000_000;
const OUTSIDE = 'The coordinates of the range are outside the dimensions of the sheet.';

/** Moves every per-cell record of a tab (formulas, data validation, number formats) along. */
function shiftAll(sheet: SheetState, axis: 0 | 1, from: number, n: number): void {
  shiftKeys(sheet.formulas, axis, from, n);
  shiftKeys(sheet.validations, axis, from, n);
  shiftKeys(sheet.formats, axis, from, n);
}

/** Moves the keys of a "row,col" map as rows or columns are inserted (n > 0) or deleted (n < 0). */
function shiftKeys<V>(map: Map<string, V>, axis: 0 | 1, from: number, n: number): void {
  const moved = [...map.entries()].flatMap(([k, v]) => {
    const rc = k.split(',').map(Number) as [number, number];
    if (rc[axis] < from) return [[k, v] as const];
    if (n < 0 && rc[axis] < from - n) return [];
    rc[axis] += n;
    return [[key(rc[0], rc[1]), v] as const];
  });
  map.clear();
  for (const [k, v] of moved) map.set(k, v);
}

/** One tab: cells, formulas, data validation, number formats, frozen rows, hidden columns. */
export class SheetState {
  values: Stored[][] = [];
  readonly formulas = new Map<string, string>();
  readonly validations = new Map<string, ValidationRule>();
  readonly formats = new Map<string, string>();
  readonly hiddenColumns = new Set<number>();
  frozenRows = 0;
  frozenColumns = 0;
  hidden = false;
  maxRows = 1000;
  maxColumns = 26;

  constructor(
    public name: string,
    readonly id: number,
  ) {}

  get(r: number, c: number): Stored {
    return this.values[r - 1]?.[c - 1] ?? '';
  }

  put(r: number, c: number, value: Stored, formula?: string): void {
    const row = (this.values[r - 1] ??= []);
    while (row.length < c - 1) row.push('');
    row[c - 1] = value;
    if (formula) this.formulas.set(key(r, c), formula);
    else this.formulas.delete(key(r, c));
    if (r > this.maxRows) this.maxRows = r;
    if (c > this.maxColumns) this.maxColumns = c;
  }

  lastRow(): number {
    for (let r = this.values.length; r >= 1; r--) {
      if ((this.values[r - 1] ?? []).some((v) => v !== '')) return r;
    }
    return 0;
  }

  lastColumn(): number {
    let last = 0;
    for (const row of this.values) {
      if (!row) continue;
      for (let c = row.length; c > last; c--) {
        if (row[c - 1] !== '') {
          last = c;
          break;
        }
      }
    }
    return last;
  }

  // ---- helpers for tests (not Apps Script) ----

  /** The used area as stored values (outer realm), '' for empty cells. */
  grid(): Stored[][] {
    const rows = this.lastRow();
    const cols = this.lastColumn();
    const out: Stored[][] = [];
    for (let r = 1; r <= rows; r++) {
      const row: Stored[] = [];
      for (let c = 1; c <= cols; c++) row.push(this.get(r, c));
      out.push(row);
    }
    return out;
  }

  /** Writes typed values as a person would have them (no interpretation), from (row, column). */
  seed(grid: readonly (readonly unknown[])[], row = 1, column = 1): void {
    grid.forEach((cells, i) =>
      cells.forEach((v, j) => {
        const value: Stored = v === null || v === undefined ? '' : isDate(v) ? new Date((v as Date).getTime()) : (v as Stored);
        this.put(row + i, column + j, value);
      }),
    );
  }

  /** A cell holding a formula with the value a sheet computed for it. */
  seedFormula(row: number, column: number, formula: string, value: Stored): void {
    this.put(row, column, value, formula);
  }

  /** Every formula in the tab as "A1-ish (row,col) → formula". */
  formulaCells(): { row: number; column: number; formula: string }[] {
    return [...this.formulas.entries()].map(([k, formula]) => {
      const [row, column] = k.split(',').map(Number) as [number, number];
      return { row, column, formula };
    });
  }

  validation(row: number, column: number): ValidationRule | undefined {
    return this.validations.get(key(row, column));
  }

  /** Header row → column number (1-based), case-insensitive; 0 when absent. */
  column(header: string): number {
    const first = this.values[0] ?? [];
    return first.findIndex((h) => String(h).trim().toLowerCase() === header.toLowerCase()) + 1;
  }

  /** The data rows as header → value records. */
  records(): Record<string, Stored>[] {
    const [head, ...rows] = this.grid();
    return rows.map((r) => Object.fromEntries((head ?? []).map((h, i) => [String(h), r[i] ?? ''])));
  }
}

/** The spreadsheet: its tabs and what it showed the user. */
export class SpreadsheetState {
  readonly sheets: SheetState[] = [];
  private nextId = 0;
  activeSheet: SheetState;
  /** getSheetByName and insertSheet's duplicate check ignore case (Sheets forbids "Jobs" beside "jobs"). */
  ignoreCase = true;
  /** Interpret text written by setValues as typed input (numbers, dates, formulas). */
  interpretText = true;
  /** A test's fault: a message here makes that range call throw it, as Sheets' own outages do. */
  fault: ((op: string, sheet: string) => string | undefined) | null = null;

  constructor(
    readonly id = 'fake-spreadsheet-id',
    public name = 'Membership sync',
    public timeZone = 'America/New_York',
  ) {
    this.activeSheet = this.add('Sheet1');
  }

  find(name: string): SheetState | undefined {
    return this.sheets.find((s) => (this.ignoreCase ? s.name.toLowerCase() === name.toLowerCase() : s.name === name));
  }

  sheet(name: string): SheetState {
    const s = this.find(name);
    if (!s) throw new Error(`fake spreadsheet: no tab "${name}" (tabs: ${this.sheets.map((x) => x.name).join(', ')})`);
    return s;
  }

  add(name: string, grid?: readonly (readonly unknown[])[]): SheetState {
    const s = new SheetState(name, this.nextId++);
    this.sheets.push(s);
    if (grid) s.seed(grid);
    return s;
  }

  /** Every tab's rows × columns: what Google counts against the 10,000,000-cell limit. */
  cells(): number {
    return this.sheets.reduce((n, s) => n + s.maxRows * s.maxColumns, 0);
  }

  /** Throws Google's own refusal when adding this many cells would pass the limit. */
  allow(more: number, fail: (m: string) => Error): void {
    if (this.cells() + more > CELL_LIMIT) throw fail(`This action would increase the number of cells in the workbook above the limit of ${CELL_LIMIT} cells.`);
  }

  remove(name: string): void {
    const i = this.sheets.indexOf(this.sheet(name));
    this.sheets.splice(i, 1);
  }

  rename(from: string, to: string): void {
    this.sheet(from).name = to;
  }
}

export interface UiLog {
  menus: { title: string; items: { caption: string; fn: string }[] }[];
  toasts: { message: string; title: string; seconds: number | undefined }[];
  sidebars: { title: string; content: string }[];
  dialogs: { title: string; content: string }[];
  alerts: { title: string; prompt: string; buttons: string }[];
  /** Scripted answers for alert/prompt, taken in order. */
  answers: { button?: string; text?: string }[];
}

export function newUiLog(): UiLog {
  return { menus: [], toasts: [], sidebars: [], dialogs: [], alerts: [], answers: [] };
}

const BUTTON_SET = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' } as const;
const BUTTON = { CLOSE: 'CLOSE', OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO' } as const;

function colName(c: number): string {
  let s = '';
  for (let n = c; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function parseA1(a1: string): { row: number; col: number; rows: number; cols: number } {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/i.exec(a1.trim());
  if (!m) throw new Error(`fake sheet: unsupported A1 notation "${a1}"`);
  const colOf = (s: string) => [...s.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const row = Number(m[2]);
  const col = colOf(m[1]!);
  const row2 = m[4] ? Number(m[4]) : row;
  const col2 = m[3] ? colOf(m[3]) : col;
  return { row, col, rows: row2 - row + 1, cols: col2 - col + 1 };
}

/** SpreadsheetApp for one execution, over the world's spreadsheet. */
export function fakeSpreadsheetApp(exec: Execution, doc: SpreadsheetState, ui: UiLog, isFunction: (name: string) => boolean) {
  const realm = exec.realm;
  const fail = (message: string) => realm.exception(message);
  /** The rule behind each DataValidation object handed out, so setDataValidation can store it. */
  const rules = new WeakMap<object, ValidationRule>();

  function dataValidation(rule: ValidationRule) {
    const impl = {
      getCriteriaType: () => rule.criteria,
      getCriteriaValues: () => realm.array(rule.criteria === 'VALUE_IN_LIST' ? [realm.array(rule.values), rule.showDropdown] : rule.values),
      getAllowInvalid: () => rule.allowInvalid,
      getHelpText: () => rule.helpText,
      copy: () => builder({ ...rule, values: [...rule.values] }),
    };
    const dv = counted(exec, 'DataValidation', impl);
    rules.set(dv, rule);
    return dv;
  }

  function builder(start?: ValidationRule) {
    let rule: ValidationRule | null = start ?? null;
    let allowInvalid = start?.allowInvalid ?? true;
    let helpText: string | null = start?.helpText ?? null;
    const impl = {
      requireValueInList: (values: unknown[], showDropdown?: boolean) => {
        rule = { criteria: 'VALUE_IN_LIST', values: [...values], showDropdown: showDropdown ?? true, allowInvalid, helpText };
        return impl;
      },
      requireCheckbox: (...values: unknown[]) => {
        rule = { criteria: 'CHECKBOX', values, showDropdown: false, allowInvalid, helpText };
        return impl;
      },
      setAllowInvalid: (allow: boolean) => {
        allowInvalid = allow;
        return impl;
      },
      setHelpText: (text: string) => {
        helpText = text;
        return impl;
      },
      build: () => {
        if (!rule) throw fail('You must specify a data validation criteria before building a rule.');
        return dataValidation({ ...rule, allowInvalid, helpText });
      },
    };
    return counted(exec, 'DataValidationBuilder', impl);
  }

  function range(sheet: SheetState, row: number, col: number, rows: number, cols: number) {
    const each = (fn: (r: number, c: number) => unknown) =>
      realm.array(Array.from({ length: rows }, (_, i) => realm.array(Array.from({ length: cols }, (_, j) => fn(row + i, col + j)))));
    const op = (name: string) => {
      const fault = doc.fault?.(name, sheet.name);
      if (fault) throw fail(fault);
      exec.sheetOps.push({ op: name, sheet: sheet.name, row, column: col, rows, columns: cols, exec: exec.id });
    };
    const write = (r: number, c: number, v: unknown) => {
      if (typeof v === 'string' && v.length > MAX_CELL_CHARS) {
        throw fail(`Your input contains more than the maximum of ${MAX_CELL_CHARS} characters in a single cell.`);
      }
      const got = doc.interpretText ? interpret(v, sheet.formats.get(key(r, c)), doc.timeZone) : interpret(v, '@');
      sheet.put(r, c, got.value, got.formula);
    };
    const impl = {
      getValues: () => {
        op('getValues');
        return each((r, c) => {
          const v = sheet.get(r, c);
          return isDate(v) ? realm.date(v.getTime()) : v;
        });
      },
      getValue: () => {
        op('getValue');
        const v = sheet.get(row, col);
        return isDate(v) ? realm.date(v.getTime()) : v;
      },
      getDisplayValues: () => {
        op('getDisplayValues');
        return each((r, c) => {
          const v = sheet.get(r, c);
          return isDate(v) ? v.toISOString() : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);
        });
      },
      getFormulas: () => each((r, c) => sheet.formulas.get(key(r, c)) ?? ''),
      getFormula: () => sheet.formulas.get(key(row, col)) ?? '',
      setValues: (values: unknown[][]) => {
        if (!Array.isArray(values)) throw fail('The parameters (String) don\'t match the method signature for SpreadsheetApp.Range.setValues.');
        if (values.length !== rows) {
          throw fail(`The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${rows}.`);
        }
        for (const v of values) {
          if (!Array.isArray(v) || v.length !== cols) {
            throw fail(
              `The number of columns in the data does not match the number of columns in the range. The data has ${Array.isArray(v) ? v.length : 0} but the range has ${cols}.`,
            );
          }
        }
        op('setValues');
        values.forEach((v, i) => v.forEach((cell, j) => write(row + i, col + j, cell)));
        return impl;
      },
      setValue: (value: unknown) => {
        op('setValue');
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) write(row + i, col + j, value);
        return impl;
      },
      setFormula: (formula: string) => {
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sheet.put(row + i, col + j, evaluate(formula), formula);
        return impl;
      },
      clearContent: () => {
        op('clearContent');
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (sheet.get(row + i, col + j) !== '') sheet.put(row + i, col + j, '');
        return impl;
      },
      setDataValidation: (dv: object | null) => {
        const rule = dv === null ? null : rules.get(dv);
        if (dv !== null && !rule) throw fail('The parameters don\'t match the method signature for SpreadsheetApp.Range.setDataValidation.');
        if (rule && rule.criteria === 'VALUE_IN_LIST' && rule.values.length > LIST_LIMIT) {
          throw fail(`The data validation rule has more items than the limit of ${LIST_LIMIT}. Use the "List from a range" criteria instead.`);
        }
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < cols; j++) {
            if (rule) sheet.validations.set(key(row + i, col + j), rule);
            else sheet.validations.delete(key(row + i, col + j));
          }
        return impl;
      },
      getDataValidation: () => {
        const rule = sheet.validations.get(key(row, col));
        return rule ? dataValidation(rule) : null;
      },
      getDataValidations: () =>
        each((r, c) => {
          const rule = sheet.validations.get(key(r, c));
          return rule ? dataValidation(rule) : null;
        }),
      clearDataValidations: () => impl.setDataValidation(null),
      setNumberFormat: (format: string) => {
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sheet.formats.set(key(row + i, col + j), format);
        return impl;
      },
      getNumberFormat: () => sheet.formats.get(key(row, col)) ?? 'General',
      getNumRows: () => rows,
      getNumColumns: () => cols,
      getRow: () => row,
      getColumn: () => col,
      getLastRow: () => row + rows - 1,
      getLastColumn: () => col + cols - 1,
      getA1Notation: () => (rows === 1 && cols === 1 ? `${colName(col)}${row}` : `${colName(col)}${row}:${colName(col + cols - 1)}${row + rows - 1}`),
      getSheet: () => sheetApi(sheet),
      setFontWeight: () => impl,
      setBackground: () => impl,
      setWrap: () => impl,
      setNote: () => impl,
      setHorizontalAlignment: () => impl,
    };
    return counted(exec, 'Range', impl);
  }

  function sheetApi(sheet: SheetState) {
    const impl = {
      getName: () => sheet.name,
      setName: (name: string) => {
        sheet.name = name;
        return impl;
      },
      getSheetId: () => sheet.id,
      getIndex: () => doc.sheets.indexOf(sheet) + 1,
      getParent: () => spreadsheetApi(),
      getLastRow: () => sheet.lastRow(),
      getLastColumn: () => sheet.lastColumn(),
      getMaxRows: () => sheet.maxRows,
      getMaxColumns: () => sheet.maxColumns,
      getRange: (...args: unknown[]) => {
        if (typeof args[0] === 'string' && args.length === 1) {
          const a = parseA1(args[0]);
          if (a.row + a.rows - 1 > sheet.maxRows || a.col + a.cols - 1 > sheet.maxColumns) throw fail(OUTSIDE);
          return range(sheet, a.row, a.col, a.rows, a.cols);
        }
        if (args.some((a) => typeof a !== 'number' || Number.isNaN(a)) || args.length < 2 || args.length > 4) {
          const types = args.map((a) => (a === null || a === undefined ? 'null' : typeof a === 'number' ? 'number' : typeof a === 'string' ? 'String' : 'Object'));
          throw fail(`The parameters (${types.join(',')}) don't match the method signature for SpreadsheetApp.Sheet.getRange.`);
        }
        const [row, col, rows = 1, cols = 1] = (args as number[]).map((n) => Math.floor(n));
        if (row! < 1) throw fail('The starting row of the range is too small.');
        if (col! < 1) throw fail('The starting column of the range is too small.');
        if (rows < 1) throw fail('The number of rows in the range must be at least 1.');
        if (cols < 1) throw fail('The number of columns in the range must be at least 1.');
        if (row! + rows - 1 > sheet.maxRows || col! + cols - 1 > sheet.maxColumns) throw fail(OUTSIDE);
        return range(sheet, row!, col!, rows, cols);
      },
      getDataRange: () => range(sheet, 1, 1, Math.max(1, sheet.lastRow()), Math.max(1, sheet.lastColumn())),
      appendRow: (values: unknown[]) => {
        const r = sheet.lastRow() + 1;
        // appendRow is the one write that adds the row (and columns) it needs.
        doc.allow(Math.max(0, r - sheet.maxRows) * sheet.maxColumns, fail);
        sheet.maxRows = Math.max(sheet.maxRows, r);
        sheet.maxColumns = Math.max(sheet.maxColumns, values.length);
        exec.sheetOps.push({ op: 'appendRow', sheet: sheet.name, row: r, column: 1, rows: 1, columns: values.length, exec: exec.id });
        values.forEach((v, j) => {
          const got = doc.interpretText ? interpret(v, undefined, doc.timeZone) : interpret(v, '@');
          sheet.put(r, j + 1, got.value, got.formula);
        });
        return impl;
      },
      setFrozenRows: (n: number) => {
        sheet.frozenRows = n;
      },
      getFrozenRows: () => sheet.frozenRows,
      setFrozenColumns: (n: number) => {
        sheet.frozenColumns = n;
      },
      getFrozenColumns: () => sheet.frozenColumns,
      hideColumns: (column: number, count = 1) => {
        if (column < 1) throw fail('The starting column of the range is too small.');
        for (let c = column; c < column + count; c++) sheet.hiddenColumns.add(c);
      },
      showColumns: (column: number, count = 1) => {
        for (let c = column; c < column + count; c++) sheet.hiddenColumns.delete(c);
      },
      isColumnHiddenByUser: (column: number) => sheet.hiddenColumns.has(column),
      hideSheet: () => {
        if (doc.sheets.filter((s) => !s.hidden && s !== sheet).length === 0) throw fail("You can't hide all the sheets in a document.");
        sheet.hidden = true;
        return impl;
      },
      showSheet: () => {
        sheet.hidden = false;
        return impl;
      },
      isSheetHidden: () => sheet.hidden,
      insertRowsAfter: (after: number, count: number) => {
        if (after < 1 || after > sheet.maxRows || count < 1) throw fail('Those rows are out of bounds.');
        doc.allow(count * sheet.maxColumns, fail);
        exec.sheetOps.push({ op: 'insertRowsAfter', sheet: sheet.name, row: after, column: 0, rows: count, columns: 0, exec: exec.id });
        if (after < sheet.values.length) sheet.values.splice(after, 0, ...Array.from({ length: count }, () => [] as Stored[]));
        shiftAll(sheet, 0, after + 1, count);
        sheet.maxRows += count;
        return impl;
      },
      insertColumnsAfter: (after: number, count: number) => {
        if (after < 1 || after > sheet.maxColumns || count < 1) throw fail('Those columns are out of bounds.');
        doc.allow(count * sheet.maxRows, fail);
        exec.sheetOps.push({ op: 'insertColumnsAfter', sheet: sheet.name, row: 0, column: after, rows: 0, columns: count, exec: exec.id });
        for (const row of sheet.values) if (row && after < row.length) row.splice(after, 0, ...Array.from({ length: count }, () => '' as Stored));
        shiftAll(sheet, 1, after + 1, count);
        sheet.hiddenColumns.forEach((c) => c > after && (sheet.hiddenColumns.delete(c), sheet.hiddenColumns.add(c + count)));
        sheet.maxColumns += count;
        return impl;
      },
      deleteRows: (start: number, count: number) => {
        if (start < 1 || count < 1 || start + count - 1 > sheet.maxRows) throw fail('Those rows are out of bounds.');
        if (count >= sheet.maxRows - sheet.frozenRows) throw fail('Sorry, it is not possible to delete all non-frozen rows.');
        exec.sheetOps.push({ op: 'deleteRows', sheet: sheet.name, row: start, column: 0, rows: count, columns: 0, exec: exec.id });
        sheet.values.splice(start - 1, count);
        shiftAll(sheet, 0, start + count, -count);
        sheet.maxRows -= count;
      },
      deleteColumns: (start: number, count: number) => {
        if (start < 1 || count < 1 || start + count - 1 > sheet.maxColumns) throw fail('Those columns are out of bounds.');
        if (count >= sheet.maxColumns - sheet.frozenColumns) throw fail('Sorry, it is not possible to delete all non-frozen columns.');
        exec.sheetOps.push({ op: 'deleteColumns', sheet: sheet.name, row: 0, column: start, rows: 0, columns: count, exec: exec.id });
        for (const row of sheet.values) if (row) row.splice(start - 1, count);
        shiftAll(sheet, 1, start + count, -count);
        sheet.maxColumns -= count;
      },
      clearContents: () => {
        sheet.values = [];
        sheet.formulas.clear();
        return impl;
      },
      autoResizeColumns: () => impl,
    };
    return counted(exec, 'Sheet', impl);
  }

  function spreadsheetApi() {
    const impl = {
      getId: () => doc.id,
      getName: () => doc.name,
      getUrl: () => `https://docs.google.com/spreadsheets/d/${doc.id}/edit`,
      getSheetByName: (name: string) => {
        const s = doc.find(name);
        return s ? sheetApi(s) : null;
      },
      getSheets: () => realm.array(doc.sheets.map((s) => sheetApi(s))),
      getActiveSheet: () => sheetApi(doc.activeSheet),
      insertSheet: (name?: string) => {
        const wanted = name ?? `Sheet${doc.sheets.length + 1}`;
        if (doc.find(wanted)) throw fail(`A sheet with the name "${wanted}" already exists. Please enter another name.`);
        doc.allow(1000 * 26, fail);
        const s = doc.add(wanted);
        doc.activeSheet = s;
        return sheetApi(s);
      },
      deleteSheet: (sheet: { getName(): string }) => {
        doc.remove(sheet.getName());
      },
      getSpreadsheetTimeZone: () => doc.timeZone,
      toast: (message: unknown, title?: unknown, seconds?: number) => {
        ui.toasts.push({ message: String(message), title: title === undefined ? '' : String(title), seconds });
      },
    };
    return counted(exec, 'Spreadsheet', impl);
  }

  function uiApi() {
    const answer = (fallback: string) => ui.answers.shift() ?? { button: fallback };
    const menu = (title: string) => {
      const items: { caption: string; fn: string }[] = [];
      const impl = {
        addItem: (caption: string, fn: string) => {
          if (typeof caption !== 'string' || typeof fn !== 'string') throw fail('The parameters don\'t match the method signature for Ui.Menu.addItem.');
          items.push({ caption, fn });
          return impl;
        },
        addSeparator: () => {
          items.push({ caption: '---', fn: '' });
          return impl;
        },
        addToUi: () => {
          const missing = items.filter((i) => i.fn && !isFunction(i.fn));
          if (missing.length > 0) throw new Error(`fake Ui: menu items name functions the script lacks: ${missing.map((i) => i.fn).join(', ')}`);
          ui.menus.push({ title, items });
        },
      };
      return counted(exec, 'Menu', impl);
    };
    const impl = {
      ButtonSet: BUTTON_SET,
      Button: BUTTON,
      createAddonMenu: () => menu('add-on'),
      createMenu: (caption: string) => menu(caption),
      alert: (...args: string[]) => {
        const [title, prompt, buttons] = args.length >= 3 ? args : args.length === 2 && args[1]! in BUTTON_SET ? ['', args[0]!, args[1]!] : ['', args[0] ?? '', 'OK'];
        ui.alerts.push({ title: title!, prompt: prompt!, buttons: buttons! });
        return answer('OK').button ?? 'OK';
      },
      prompt: (...args: string[]) => {
        const [title, prompt, buttons] = args.length >= 3 ? args : args.length === 2 && args[1]! in BUTTON_SET ? ['', args[0]!, args[1]!] : ['', args[0] ?? '', 'OK'];
        ui.alerts.push({ title: title!, prompt: prompt!, buttons: buttons! });
        const a = ui.answers.shift();
        if (!a) throw new Error(`fake Ui: the add-on asked "${prompt}" but the test scripted no answer (world.ui.answers)`);
        return counted(exec, 'PromptResponse', { getResponseText: () => a.text ?? '', getSelectedButton: () => a.button ?? 'OK' });
      },
      showSidebar: (html: { getTitle(): string; getContent(): string }) => {
        ui.sidebars.push({ title: html.getTitle(), content: html.getContent() });
      },
      showModalDialog: (html: { getContent(): string }, title: string) => {
        ui.dialogs.push({ title, content: html.getContent() });
      },
    };
    return counted(exec, 'Ui', impl);
  }

  return counted(exec, 'SpreadsheetApp', {
    getActive: () => spreadsheetApi(),
    getActiveSpreadsheet: () => spreadsheetApi(),
    getUi: () => {
      if (exec.trigger) throw fail('Cannot call SpreadsheetApp.getUi() from this context.');
      return uiApi();
    },
    newDataValidation: () => builder(),
    flush: () => undefined,
    DataValidationCriteria: { VALUE_IN_LIST: 'VALUE_IN_LIST', CHECKBOX: 'CHECKBOX' },
  });
}
