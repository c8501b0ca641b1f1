// The sidebar's connection and job forms (DESIGN §10.3), server side: a form's values are checked
// by config parsing itself, in the context of the rest of the tab (core/config/rows.ts), and only
// a valid form writes, exactly one row: the row of the name being edited, or a new one after the
// last. Columns are found by header wherever the coordinator put them; columns the form does not
// know (a note, a formula) are never written, so the tabs stay the source of truth and can still
// be edited by hand. Save & test saves the secret with secrets.ts and tests with the sidebar's own
// testConnection, once the row it is bound to is written.

import { cellBoolean, cellText, headerKey } from '../core/cells';
import { checkConnectionRow, checkJobRow, rowNamed, type FieldProblem, type RowValues } from '../core/config/rows';
import { TAB } from '../core/config/types';
import { SyncError } from '../core/errors';
import type { Cell, Grid } from '../core/ports';
import { saveSecret } from './secrets';
import { refusing, testConnection } from './sidebar';
import { isRefusal, type ActionResult, type ConnectionForm, type FormProblem, type JobForm, type SaveResult, type Served, type FormServer } from './sidebar-api';
import { SIDEBAR_ARGS } from './sidebar-args';
import { SheetsWorkbook } from './workbook';

function workbook(): SheetsWorkbook {
  return new SheetsWorkbook(SpreadsheetApp.getActive());
}

/** The tab, or a refusal saying what to do: a form cannot make the setup tabs. */
function tabOf(wb: SheetsWorkbook, tab: string): Grid {
  const grid = wb.read(tab);
  if (grid === null || grid.length === 0) {
    throw new SyncError('config', `Nothing was saved: this spreadsheet has no ${tab} tab. Press Refresh, then Set up tabs.`);
  }
  return grid;
}

/** The named row as header → cell, or a refusal (renamed or removed by hand since the page last looked). */
function rowValues(grid: Grid, tab: string, name: string): Record<string, Cell> {
  const row = rowNamed(grid, name);
  if (row === null) throw new SyncError('not_found', `There is no longer a row named "${name}" in the ${tab} tab (it may have been renamed or removed there). Press Refresh.`);
  const header = grid[0]!;
  return Object.fromEntries(header.map((h, i) => [headerKey(h), grid[row - 1]![i] ?? null]));
}

/** The problems as the page names fields: "URL" → "url", "" stays the whole form. */
function forPage(problems: FieldProblem[]): FormProblem[] {
  return problems.map((p) => ({ field: p.field.toLowerCase(), message: p.message }));
}

/** The sheet row after the last one holding anything (an unticked checkbox is not anything). */
function nextRow(grid: Grid): number {
  for (let i = grid.length - 1; i > 0; i--) {
    if (grid[i]!.some((c) => c !== false && cellText(c) !== '')) return i + 2;
  }
  return 2;
}

/**
 * Writes `values` into sheet row `row` (a new row after the last when null), each in the column
 * its header names; a column the tab lacks is added at the right, unless the value is blank.
 * Adjacent cells go in one call; no other cell of the row is touched.
 */
function writeRow(wb: SheetsWorkbook, tab: string, grid: Grid, values: RowValues, row: number | null): number {
  const header = [...grid[0]!];
  const added: string[] = [];
  const cells = new Map<number, Cell>();
  for (const [field, value] of Object.entries(values)) {
    let at = header.findIndex((h) => headerKey(h) === headerKey(field));
    if (at < 0) {
      if (value === '' || value === null) continue;
      header.push(field);
      added.push(field);
      at = header.length - 1;
    }
    cells.set(at, value);
  }
  const target = row ?? nextRow(grid);
  if (added.length > 0) wb.writeBlock(tab, 1, header.length - added.length + 1, [added]);
  const columns = [...cells.keys()].sort((a, b) => a - b);
  for (let i = 0; i < columns.length; ) {
    let j = i;
    while (j + 1 < columns.length && columns[j + 1] === columns[j]! + 1) j++;
    wb.writeBlock(tab, target, columns[i]! + 1, [columns.slice(i, j + 1).map((c) => cells.get(c) ?? '')]);
    i = j + 1;
  }
  return target;
}

/** Runs fn holding the document lock, so two editors saving at once cannot take the same new row. */
function locked<T>(fn: () => T): T {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(10_000)) throw new SyncError('server', 'Nothing was saved: another change to this spreadsheet was being saved. Try again in a moment.');
  try {
    return fn();
  } finally {
    lock.releaseLock();
  }
}

const trimmed = (s: string) => s.trim();

function connectionValues(form: ConnectionForm): RowValues {
  return { Name: trimmed(form.name), System: trimmed(form.system), URL: trimmed(form.url), Username: trimmed(form.username), Mode: trimmed(form.mode) };
}

function jobValues(form: JobForm): RowValues {
  return {
    Name: trimmed(form.name),
    Enabled: form.enabled,
    Action: trimmed(form.action),
    Connection: trimmed(form.connection),
    Source: trimmed(form.source),
    Target: trimmed(form.target),
    Match: trimmed(form.match),
    Mode: trimmed(form.mode),
    Parameters: trimmed(form.parameters),
    Schedule: trimmed(form.schedule),
  };
}

/** "Jobs "A" and "B" still use "old"…", or '' when no job names the old connection. */
function renamedFor(jobs: Grid | null, before: string, after: string): string {
  if (!jobs || before.trim().toLowerCase() === after.toLowerCase()) return '';
  const header = (jobs[0] ?? []).map(headerKey);
  const nameAt = header.indexOf('name');
  const connAt = header.indexOf('connection');
  if (nameAt < 0 || connAt < 0) return '';
  const using = jobs.slice(1).filter((r) => cellText(r[connAt] ?? null).toLowerCase() === before.trim().toLowerCase()).map((r) => `"${cellText(r[nameAt] ?? null)}"`);
  if (using.length === 0) return '';
  const list = using.length === 1 ? using[0] : `${using.slice(0, -1).join(', ')} and ${using[using.length - 1]}`;
  return ` ${using.length === 1 ? 'Job' : 'Jobs'} ${list} still ${using.length === 1 ? 'uses' : 'use'} "${before.trim()}": change ${using.length === 1 ? 'its' : 'their'} Connection to "${after}".`;
}

function connectionFormNow(...args: unknown[]): ConnectionForm {
  const [name] = SIDEBAR_ARGS.connectionForm.parse(args);
  const row = rowValues(tabOf(workbook(), TAB.connections), TAB.connections, name);
  const at = (h: string) => cellText(row[headerKey(h)] ?? null);
  return { original: at('Name'), name: at('Name'), system: at('System'), url: at('URL'), username: at('Username'), mode: at('Mode'), secret: '' };
}

function jobFormNow(...args: unknown[]): JobForm {
  const [name] = SIDEBAR_ARGS.jobForm.parse(args);
  const row = rowValues(tabOf(workbook(), TAB.jobs), TAB.jobs, name);
  const at = (h: string) => cellText(row[headerKey(h)] ?? null);
  return {
    original: at('Name'),
    name: at('Name'),
    // An Enabled cell config parsing cannot read counts as turned on there too.
    enabled: cellBoolean(row.enabled ?? null) ?? true,
    action: at('Action'),
    connection: at('Connection'),
    source: at('Source'),
    target: at('Target'),
    match: at('Match'),
    mode: at('Mode'),
    parameters: at('Parameters'),
    schedule: at('Schedule'),
  };
}

type Written = { row: number } | { problems: FormProblem[] };

/**
 * Under the document lock: the row being edited found again by its name (it may have been renamed
 * by hand meanwhile), the form checked with the engine's own rules against the tab as it is now,
 * and exactly one row written; `adjust` may change what is written once the old row is known.
 */
function saveChecked(
  wb: SheetsWorkbook,
  tab: string,
  what: 'connection' | 'job',
  editing: string | null,
  values: RowValues,
  check: (grid: Grid) => FieldProblem[],
  adjust: (grid: Grid, row: number | null) => RowValues = () => values,
): Written {
  return locked((): Written => {
    const grid = tabOf(wb, tab);
    const row = editing === null ? null : rowNamed(grid, editing);
    if (editing !== null && row === null) {
      return { problems: [{ field: '', message: `There is no longer a ${what} named "${editing}" in the ${tab} tab (it may have been renamed or removed there). Press Refresh.` }] };
    }
    const problems = check(grid);
    if (problems.length > 0) return { problems: forPage(problems) };
    return { row: writeRow(wb, tab, grid, adjust(grid, row), row) };
  });
}

function saveConnectionNow(...args: unknown[]): SaveResult {
  const checked = SIDEBAR_ARGS.saveConnection.check(args);
  if (!checked.ok) return { ok: false, problems: [{ field: '', message: checked.message }] };
  const [form] = checked.args;
  const wb = workbook();
  const values = connectionValues(form);
  const editing = form.original.trim() === '' ? null : form.original;
  const written = saveChecked(
    wb,
    TAB.connections,
    'connection',
    editing,
    values,
    (grid) => checkConnectionRow(grid, values, editing),
    (grid, row) => {
      const rowToWrite: RowValues = { ...values };
      // A test result says nothing about a connection that now points elsewhere.
      if (row !== null) {
        const before = rowValues(grid, TAB.connections, editing!);
        const moved = ['System', 'URL', 'Username', 'Mode'].some((h) => cellText(before[headerKey(h)] ?? null) !== cellText(values[h] ?? null));
        if (moved && 'status' in before) rowToWrite.Status = '';
      }
      return rowToWrite;
    },
  );
  if ('problems' in written) return { ok: false, problems: written.problems };
  const name = String(values.Name);
  const renamed = editing === null ? '' : renamedFor(wb.read(TAB.jobs), editing, name);
  const message = `The connection "${name}" is saved in row ${written.row} of the Connections tab.${renamed}`;
  if (form.secret === '') return { ok: true, message };
  const secret = saveSecret(wb.read(TAB.connections), name, form.secret);
  if (!secret.ok) return { ok: true, message, secret };
  const answer = testConnection(name);
  const test: ActionResult = isRefusal(answer) ? { ok: false, message: answer.message, ...(answer.code === undefined ? {} : { code: answer.code }) } : answer;
  return { ok: true, message, secret, test };
}

function saveJobNow(...args: unknown[]): SaveResult {
  const checked = SIDEBAR_ARGS.saveJob.check(args);
  if (!checked.ok) return { ok: false, problems: [{ field: '', message: checked.message }] };
  const [form] = checked.args;
  const wb = workbook();
  const values = jobValues(form);
  const editing = form.original.trim() === '' ? null : form.original;
  const written = saveChecked(wb, TAB.jobs, 'job', editing, values, (grid) => checkJobRow(grid, wb.read(TAB.connections), values, editing));
  if ('problems' in written) return { ok: false, problems: written.problems };
  const name = String(values.Name);
  const mappings = form.enabled ? ' List its columns in the Mappings tab if it needs them.' : '';
  return { ok: true, message: `The job "${name}" is saved in row ${written.row} of the Jobs tab.${mappings}` };
}

export const connectionForm = refusing(connectionFormNow);
export const jobForm = refusing(jobFormNow);
export const saveConnection = refusing(saveConnectionNow);
export const saveJob = refusing(saveJobNow);

// The compiler checks that these still answer what the page (sidebar/rpc.ts) expects.
const served: Served<FormServer> = { connectionForm, jobForm, saveConnection, saveJob };
void served;

