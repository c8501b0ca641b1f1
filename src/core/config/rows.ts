// One Connections or Jobs row, as a form in the sidebar would write it, checked by the engine's own
// parsers in the context of the rest of its tab: the tab is copied with the row being edited
// blanked (so every other row keeps its number) and the form's row put last, so a name another
// row already has is reported on the form's row. Only what concerns that row (and a tab the form
// could not safely be written into) comes back, each problem tied to its column. No rule lives
// here: a change to the schemas or parsers changes what a form accepts in the same stroke.

import { cellText, headerKey } from '../cells';
import type { Cell, Grid, Secrets } from '../ports';
import { parseConnections } from './connections';
import { tableOf, type Finding } from './findings';
import { parseJobs } from './jobs';
import { describeProblem, OPTIONAL_HEADERS, REQUIRED_HEADERS, TAB } from './types';

/** A problem with one field of a form; field '' is the form (or the tab) as a whole. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The values of a form's row, by the tab's canonical header ("Name", "URL", …). */
export type RowValues = Record<string, Cell>;

/** Parsing needs secrets to build connections; checking a row needs none and reveals none. */
const NO_SECRETS: Secrets = { get: () => ({ state: 'missing' }), howToSet: () => '' };

/** The sheet row (header = 1) of the first row whose Name is `name` (case-insensitive, trimmed), or null. */
export function rowNamed(grid: Grid | null, name: string): number | null {
  const header = grid?.[0] ?? [];
  const at = header.findIndex((h) => headerKey(h) === 'name');
  const key = name.trim().toLowerCase();
  if (!grid || at < 0 || key === '') return null;
  const i = grid.findIndex((r, n) => n > 0 && cellText(r[at] ?? null).toLowerCase() === key);
  return i < 0 ? null : i + 1;
}

/**
 * The tab as it would read with the form's row in it: the header with any column the form fills
 * added at the right, the edited row blanked, the form's row last (at `row`).
 */
function withFormRow(grid: Grid, values: RowValues, editing: string | null): { grid: Grid; row: number } {
  const header = [...(grid[0] ?? [])];
  const at = (field: string) => {
    const i = header.findIndex((h) => headerKey(h) === headerKey(field));
    if (i >= 0) return i;
    header.push(field);
    return header.length - 1;
  };
  const form: Cell[] = [];
  for (const [field, value] of Object.entries(values)) form[at(field)] = value;
  const edited = editing === null ? null : rowNamed(grid, editing);
  const rows = grid.slice(1).map((r, i) => (i + 2 === edited ? [] : r));
  return { grid: [header, ...rows, Array.from({ length: header.length }, (_, i) => form[i] ?? null)], row: rows.length + 2 };
}

/** The problems of the form's row, by column; the tab's own (a header twice) as the whole form's. */
function problemsOf(found: Finding[], row: number): FieldProblem[] {
  return found
    .map((f) => f.problem)
    .filter((p) => p.row === row || p.row === null || p.row === 1)
    .map((p) => (p.row === row ? { field: p.column ?? '', message: p.message } : { field: '', message: describeProblem(p) }));
}

/**
 * What config parsing would say about this Connections row if it stood in the tab: in place of the
 * connection called `editing`, or as a new row when editing is null.
 */
export function checkConnectionRow(connections: Grid | null, values: RowValues, editing: string | null): FieldProblem[] {
  const found: Finding[] = [];
  const placed = withFormRow(connections ?? [], values, editing);
  const table = tableOf(placed.grid, TAB.connections, true, REQUIRED_HEADERS.connections, OPTIONAL_HEADERS.connections, found);
  parseConnections(table.rows, NO_SECRETS, found);
  return problemsOf(found, placed.row);
}

/**
 * What config parsing would say about this Jobs row if it stood in the tab (in place of the job
 * called `editing`, or new), its Connection looked up in the Connections tab as it is.
 */
export function checkJobRow(jobs: Grid | null, connections: Grid | null, values: RowValues, editing: string | null): FieldProblem[] {
  // Other connections' problems are theirs; only which names exist (and their systems) matter here.
  const elsewhere: Finding[] = [];
  const connectionsTab = tableOf(connections, TAB.connections, true, REQUIRED_HEADERS.connections, OPTIONAL_HEADERS.connections, elsewhere);
  const byName = parseConnections(connectionsTab.rows, NO_SECRETS, elsewhere);

  const found: Finding[] = [];
  const placed = withFormRow(jobs ?? [], values, editing);
  const table = tableOf(placed.grid, TAB.jobs, true, REQUIRED_HEADERS.jobs, OPTIONAL_HEADERS.jobs, found);
  parseJobs(table.rows, byName, connectionsTab.usable, found, new Set());
  return problemsOf(found, placed.row);
}
