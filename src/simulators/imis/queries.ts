// The simulator's IQA queries: what each query path returns, how its prompts filter rows, and how a
// page is cut from the result. Rows are read through a RowSource so a large benchmark query makes
// only the rows of the page asked for.

import type { ColumnType, QueryRow } from './wire';

export interface RowSource {
  readonly count: number;
  at(index: number): QueryRow;
}

export function arraySource(rows: QueryRow[]): RowSource {
  return { count: rows.length, at: (i) => ({ ...rows[i] }) };
}

export interface QueryDefinition {
  /** As the user typed it, e.g. '$/Sheets Sync Demo/Active Members'. */
  path: string;
  /** What /api/iqa puts in each row's EntityTypeName: an internal number as a string. */
  entityTypeName: string;
  /** Column types for /api/iqa's value wrapping; a column not listed is typed by its value. */
  types: Record<string, ColumnType>;
  /** The column each prompt filters, in prompt order (Parameter number i feeds prompt i). */
  prompts: string[];
  /** The current data, read at request time so a view follows changes to the query it is based on. */
  rows: () => RowSource;
}

/** Query paths match without regard to case, as iMIS document paths do. */
export class QueryCatalog {
  private readonly defs = new Map<string, QueryDefinition>();

  define(def: QueryDefinition): void {
    this.defs.set(def.path.toLowerCase(), def);
  }

  find(path: string): QueryDefinition | undefined {
    return this.defs.get(path.toLowerCase());
  }

  /** Replaces a query's data (keeping its prompts and column types); an unknown path becomes a new query. */
  setRows(path: string, rows: QueryRow[]): void {
    const source = arraySource(rows.map((r) => ({ ...r })));
    const existing = this.find(path);
    if (existing) existing.rows = () => source;
    else this.define({ path, entityTypeName: '9', types: {}, prompts: [], rows: () => source });
  }

  allRows(path: string): QueryRow[] {
    const def = this.find(path);
    if (!def) throw new Error(`The simulator has no query '${path}'.`);
    const source = def.rows();
    return Array.from({ length: source.count }, (_, i) => source.at(i));
  }
}

export type Test = (value: unknown) => boolean;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v)).toLowerCase();

function compare(v: unknown, operand: string): number {
  const n = Number(operand);
  if (typeof v === 'number' && operand.trim() !== '' && !Number.isNaN(n)) return v - n;
  const a = text(v);
  const b = operand.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

// The operators iMIS accepts as a `op:value` prefix (developer.imis.com "advanced query operations",
// symbol spellings included); text compares ignore case like SQL Server's default collation does.
// `in` and `between` take their values separated by `|`: the separator is a guess.
const OPERATORS: Record<string, (operand: string) => Test> = {
  eq: (o) => (v) => compare(v, o) === 0,
  ne: (o) => (v) => compare(v, o) !== 0,
  gt: (o) => (v) => compare(v, o) > 0,
  ge: (o) => (v) => compare(v, o) >= 0,
  lt: (o) => (v) => compare(v, o) < 0,
  le: (o) => (v) => compare(v, o) <= 0,
  in: (o) => (v) => o.split('|').some((one) => compare(v, one) === 0),
  between: (o) => {
    const [low = '', high = ''] = o.split('|');
    return (v) => compare(v, low) >= 0 && compare(v, high) <= 0;
  },
  contains: (o) => (v) => text(v).includes(o.toLowerCase()),
  notcontain: (o) => (v) => !text(v).includes(o.toLowerCase()),
  startswith: (o) => (v) => text(v).startsWith(o.toLowerCase()),
  endswith: (o) => (v) => text(v).endsWith(o.toLowerCase()),
  isempty: () => (v) => text(v) === '',
  notempty: () => (v) => text(v) !== '',
  istrue: () => (v) => v === true || text(v) === 'true',
  isfalse: () => (v) => v === false || text(v) === 'false',
};
const SYMBOLS: Record<string, string> = { '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le' };

/** Operators that must hold for every value of a many-valued property (a contact's emails). */
const NEGATIVE = new Set(['ne', 'notcontain', 'isempty']);

export interface Criterion {
  test: Test;
  /** True for "not …" operators: on a many-valued property every value must pass, not just one. */
  negative: boolean;
}

/**
 * One filter value as a test, or null when it is empty (an empty value skips an optional prompt).
 * Without a known operator prefix the value is compared for equality, so 'REG' and 'eq:REG' mean
 * the same and 'http://x' is not mistaken for an operator.
 */
export function parseCriterion(raw: string): Criterion | null {
  if (raw === '') return null;
  const colon = raw.indexOf(':');
  if (colon > 0) {
    const given = raw.slice(0, colon).toLowerCase();
    const name = SYMBOLS[given] ?? given;
    const make = OPERATORS[name];
    if (make) return { test: make(raw.slice(colon + 1)), negative: NEGATIVE.has(name) };
  }
  return { test: OPERATORS.eq!(raw), negative: false };
}

export function criterion(raw: string): Test | null {
  return parseCriterion(raw)?.test ?? null;
}

/** Whether a property with these values (several for a contact's emails) passes a criterion. */
export function matchesAny(c: Criterion, values: readonly unknown[]): boolean {
  const list = values.length === 0 ? [null] : values;
  return c.negative ? list.every(c.test) : list.some(c.test);
}

/** The page of a query's result for these prompt values; parameters beyond the prompts are ignored. */
export function runQuery(def: QueryDefinition, parameters: string[], offset: number, limit: number): { rows: QueryRow[]; totalCount: number } {
  const source = def.rows();
  const tests: { column: string; test: Test }[] = [];
  def.prompts.forEach((column, i) => {
    const test = criterion(parameters[i] ?? '');
    if (test) tests.push({ column, test });
  });

  if (tests.length === 0) {
    const end = Math.min(source.count, offset + limit);
    const rows: QueryRow[] = [];
    for (let i = offset; i < end; i++) rows.push(source.at(i));
    return { rows, totalCount: source.count };
  }

  const matching: QueryRow[] = [];
  for (let i = 0; i < source.count; i++) {
    const row = source.at(i);
    if (tests.every(({ column, test }) => test(row[column]))) matching.push(row);
  }
  return { rows: matching.slice(offset, offset + limit), totalCount: matching.length };
}
