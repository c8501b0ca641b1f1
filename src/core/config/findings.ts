// How config parsing collects problems: row by row (RowCheck), each remembering whose setup it is
// in, so that once every tab is read parse.ts can tell a problem that stops the run from a note
// (DESIGN §10.2); and the order they are shown in, the order a coordinator fixes them.

import type { z } from 'zod';
import type { Cell, Grid } from '../ports';
import { duplicateHeaderProblems, headerKey, readTable, type TableRow } from '../cells';
import { HEADERS, TAB, type ConfigProblem } from './types';

type Fields = Record<string, z.ZodType>;
type Parsed<S extends Fields> = { [K in keyof S]: z.output<S[K]> | undefined };

/**
 * Whose setup a problem is in, which decides whether it stops the run: a job's (its Jobs row,
 * Mappings and Constants rows) when the job counts as turned on; a connection's (lower-case name)
 * when a job that counts as turned on names it; the workbook's (a missing tab or header, a
 * duplicate name, a row naming no job) always, since no one job can be blamed for it.
 */
export type Owner = { job: { enabled: boolean } } | { connection: string } | 'workbook';

/** A problem, and where to ask (once everything is read) whose it is. */
export interface Finding {
  problem: ConfigProblem;
  from: { readonly owner: Owner };
}

const WORKBOOK = { owner: 'workbook' } as const;

/** Where problems of one row go. */
export class RowCheck {
  private readonly before: number;
  /** Whose row this is: set as soon as the row says (its Name, its Job), read only at the end. */
  owner: Owner = 'workbook';
  constructor(
    readonly tab: string,
    readonly row: number,
    private readonly problems: Finding[],
  ) {
    this.before = problems.length;
  }
  add(column: string | null, message: string): void {
    this.problems.push({ problem: { tab: this.tab, row: this.row, column, message }, from: this });
  }
  get clean(): boolean {
    return this.problems.length === this.before;
  }
  /** Each cell through its schema; a cell that fails is undefined and its issues are problems. */
  fields<S extends Fields>(shape: S, cells: Record<string, Cell>): Parsed<S> {
    const out: Record<string, unknown> = {};
    for (const column of Object.keys(shape)) {
      const result = shape[column]!.safeParse(cells[column] ?? null);
      if (result.success) out[column] = result.data;
      else for (const issue of result.error.issues) this.add(column, issue.message);
    }
    return out as Parsed<S>;
  }
}

/**
 * The entry for a row's Name, made and kept unless an earlier row of the tab has that name
 * (case-insensitive): then this row says so, and no one job or connection owns the problem.
 */
export function claimName<E extends { name: string; row: number }>(
  byName: Map<string, E>,
  name: string | undefined,
  what: string,
  check: RowCheck,
  make: (name: string) => E,
): E | undefined {
  if (name === undefined) return undefined;
  const earlier = byName.get(name.toLowerCase());
  if (earlier) {
    check.owner = 'workbook';
    check.add('Name', `another ${what} is already called "${earlier.name}" (row ${earlier.row})`);
    return undefined;
  }
  const entry = make(name);
  byName.set(name.toLowerCase(), entry);
  return entry;
}

const TAB_ORDER: readonly string[] = [TAB.connections, TAB.jobs, TAB.mappings, TAB.constants];
const COLUMN_ORDER: Record<string, readonly string[]> = {
  [TAB.connections]: HEADERS.connections,
  [TAB.jobs]: HEADERS.jobs,
  [TAB.mappings]: HEADERS.mappings,
  [TAB.constants]: HEADERS.constants,
};

/** Tab by tab, row by row, left to right: the order a coordinator fixes them in. */
export function inReadingOrder(problems: ConfigProblem[]): ConfigProblem[] {
  const column = (p: ConfigProblem) => (p.column === null ? -1 : (COLUMN_ORDER[p.tab]?.indexOf(p.column) ?? -1));
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => TAB_ORDER.indexOf(a.p.tab) - TAB_ORDER.indexOf(b.p.tab) || (a.p.row ?? 0) - (b.p.row ?? 0) || column(a.p) - column(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

/** Rows of a config tab, or nothing (and why) when the tab or its headers are missing or doubled. */
export function tableOf<R extends string, O extends string>(
  grid: Grid | null,
  tab: string,
  needed: boolean,
  requiredHeaders: readonly R[],
  optionalHeaders: readonly O[],
  problems: Finding[],
): { rows: TableRow<R | O>[]; usable: boolean } {
  if (grid === null) {
    if (needed) problems.push({ problem: { tab, row: null, column: null, message: `the tab "${tab}" is missing` }, from: WORKBOOK });
    return { rows: [], usable: !needed };
  }
  const table = readTable(grid, tab, requiredHeaders, optionalHeaders);
  problems.push(...table.problems.map((problem) => ({ problem, from: WORKBOOK })));
  // Columns the add-on writes (Status, Last Run, Last Result) are not parsed as setup, but a
  // second copy would still leave it guessing which one to read and write.
  const asked = new Set([...requiredHeaders, ...optionalHeaders].map(headerKey));
  const written = (COLUMN_ORDER[tab] ?? []).filter((h) => !asked.has(headerKey(h)));
  problems.push(...duplicateHeaderProblems(grid[0] ?? [], tab, written).map((problem) => ({ problem, from: WORKBOOK })));
  // Rows are checked only when every required column is there; otherwise each row would
  // repeat the missing-column problem in another form.
  return table.problems.length === 0 ? { rows: table.rows, usable: true } : { rows: [], usable: false };
}
