// Reading an IQA query page by page. EMS sites answer /api/query with flat ExpandoObject rows;
// iMIS 2017 (and EMS sites without the Query service) answer /api/iqa with GenericEntityData
// rows. Both become flat rows keyed by the IQA display column (alias).

import { BudgetExceeded } from '../../core/budget';
import { queryString } from '../../core/http';
import { formatCount } from '../../core/results';
import type { ImisClient } from './client';
import { describeFailure, ImisError } from './errors';
import { GenericEntityRow, PagedResult, WrappedValue } from './schemas';

/** iMIS answers at most 500 rows a request (ASI's guideline and every client's experience). */
export const PAGE_SIZE = 500;

export type QueryValue = string | number | boolean | null;
export type QueryRow = Record<string, QueryValue>;

export interface QueryResult {
  /** Column names in the order iMIS gives them (first appearance across rows). */
  columns: string[];
  rows: QueryRow[];
  /** Which endpoint answered: "/api/query" or "/api/iqa". */
  endpoint: string;
}

export interface QueryOptions {
  /** Called after each page, e.g. for a progress bar. */
  onPage?: (rowsSoFar: number, totalCount: number) => void;
  /** Checked between pages; when true the read stops with BudgetExceeded. */
  shouldStop?: () => boolean;
}

/** Unwraps `{"$type":…,"$value":…}`; anything else that is not a plain value becomes its JSON text. */
export function unwrapValue(value: unknown): QueryValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  const wrapped = WrappedValue.safeParse(value);
  if (wrapped.success && '$value' in (value as object)) return unwrapValue(wrapped.data.$value);
  return JSON.stringify(value);
}

/** A row of either shape as a flat record; drops the wrapper's $type and 2017's ResultRow counter. */
export function flattenRow(item: unknown): QueryRow {
  const generic = GenericEntityRow.safeParse(item);
  const row: QueryRow = {};
  if (generic.success) {
    for (const p of generic.data.Properties.$values) {
      if (p.Name === 'ResultRow') continue;
      row[p.Name] = unwrapValue(p.Value);
    }
    return row;
  }
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    for (const [k, v] of Object.entries(item)) {
      if (k === '$type') continue;
      row[k] = unwrapValue(v);
    }
    return row;
  }
  throw new ImisError(`iMIS sent a query row this add-on does not understand: ${JSON.stringify(item).slice(0, 120)}`, 200);
}

/** Remembers, per client, that a site has no /api/query so later jobs go straight to /api/iqa. */
const lacksQueryService = new WeakSet<ImisClient>();

function pagePath(endpoint: string, path: string, params: string[], offset: number, limit = PAGE_SIZE): string {
  const pairs: [string, string | number][] = [['QueryName', path]];
  for (const p of params) pairs.push(['Parameter', p]);
  pairs.push(['Limit', limit], ['Offset', offset]);
  return `${endpoint}?${queryString(pairs)}`;
}

/**
 * The query's display columns (aliases), read from a one-row page (Limit=1; iMIS 2017 names its
 * columns only in its rows, so a row is the one sure way to learn them). A query that answers no
 * row gives no column: empty, not a guess. Costs one request (two on an EMS site without
 * /api/query, the first time).
 */
export function queryColumns(client: ImisClient, path: string, params: string[]): string[] {
  let endpoint = client.connection.mode === 'EMS' && !lacksQueryService.has(client) ? 'api/query' : 'api/iqa';
  let [res] = client.send([{ method: 'GET', path: pagePath(endpoint, path, params, 0, 1) }]);
  if (res!.status === 404 && endpoint === 'api/query') {
    lacksQueryService.add(client);
    endpoint = 'api/iqa';
    [res] = client.send([{ method: 'GET', path: pagePath(endpoint, path, params, 0, 1) }]);
  }
  const what = `reading the columns of the query ${path}`;
  if (res!.status === 404) throw new ImisError(`iMIS could not find the query "${path}". Check Source in the Jobs tab (the IQA path as shown in iMIS, starting with $/).`, 404);
  if (res!.status !== 200) throw new ImisError(describeFailure(res!, what, client.base), res!.status);
  const page = PagedResult.safeParse(client.json(res!, what));
  if (!page.success) throw new ImisError(`iMIS answered the query "${path}" in a shape this add-on does not understand (no paging fields).`, 200);
  const columns: string[] = [];
  // A site that ignores Limit=1 sends a whole page; every row's keys count, first appearance first.
  for (const item of page.data.Items.$values) for (const k of Object.keys(flattenRow(item))) if (!columns.includes(k)) columns.push(k);
  return columns;
}

/**
 * Every row of the query, all pages fetched before returning (a pull never writes half a query).
 * Paging follows the server's HasNext/NextOffset, not our own arithmetic.
 */
export function readQuery(client: ImisClient, path: string, params: string[], options: QueryOptions = {}): QueryResult {
  const useQueryService = client.connection.mode === 'EMS' && !lacksQueryService.has(client);
  let endpoint = useQueryService ? 'api/query' : 'api/iqa';
  const rows: QueryRow[] = [];
  const columns: string[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (;;) {
    let [res] = client.send([{ method: 'GET', path: pagePath(endpoint, path, params, offset) }]);
    if (res!.status === 404 && endpoint === 'api/query' && offset === 0) {
      lacksQueryService.add(client);
      endpoint = 'api/iqa';
      [res] = client.send([{ method: 'GET', path: pagePath(endpoint, path, params, offset) }]);
    }
    const what = `reading the query ${path}`;
    if (res!.status === 404) {
      throw new ImisError(
        `iMIS could not find the query "${path}". Check Source in the Jobs tab (the IQA path as shown in iMIS, starting with $/).`,
        404,
      );
    }
    if (res!.status !== 200) throw new ImisError(describeFailure(res!, what, client.base), res!.status);
    const page = PagedResult.safeParse(client.json(res!, what));
    if (!page.success) {
      throw new ImisError(`iMIS answered the query "${path}" in a shape this add-on does not understand (no paging fields).`, 200);
    }
    for (const item of page.data.Items.$values) {
      const row = flattenRow(item);
      for (const k of Object.keys(row)) {
        if (!seen.has(k)) {
          seen.add(k);
          columns.push(k);
        }
      }
      rows.push(row);
    }
    options.onPage?.(rows.length, page.data.TotalCount);
    const next = page.data.NextOffset;
    if (!page.data.HasNext || page.data.Count === 0 || next <= offset) break;
    if (options.shouldStop?.()) throw new BudgetExceeded(`stopped at the time budget after ${formatCount(rows.length)} of ${formatCount(page.data.TotalCount)} rows`);
    offset = next;
  }
  return { columns, rows, endpoint: `/${endpoint}` };
}
