// The pull job: a query's rows copied into a tab (DESIGN §2–3). Every page is fetched before the
// tab is touched, then the tab is written in one call. Columns the coordinator added to the tab
// stay with their row, matched by the key column; rows that left the query are removed (Replace)
// or marked (Merge). A Conservative EveryAction pull brings only people opted in, and marks a row
// whose person opted out rather than leave it looking current (DESIGN §10.6).

import { pullBrake } from './brake';
import { BudgetExceeded } from './budget';
import { duplicateHeaderProblems } from './cells';
import { describeProblem, type ConfigProblem, type Mapping, type PullJob } from './config/types';
import { SyncError } from './errors';
import type { Cell, Grid } from './ports';
import { CANNOT_TELL_OPT_IN, canTellOptIn, isOptedIn, NOT_OPTED_IN, OPTED_IN, optedOutStatus } from './opt-in';
import { formatCount, plural, zeroCounts, type FieldChange, type JobContext, type JobOutcome, type LogEntry } from './results';
import { expandTokens, type TokenValues } from './tokens';
import { applyTransform } from './transforms';

/** Rows a pull source returns: every page, already flattened. */
export interface PullRows {
  columns: string[];
  rows: Record<string, Cell>[];
  /**
   * True when the rows are only what changed (EveryAction's export): rows missing from them are
   * not gone, so nothing is removed or marked.
   */
  incremental?: boolean;
  /** Called once the tab holds these rows (written, or already up to date): e.g. move a watermark. */
  commit?: () => void;
  /** Said in the Sync Report message, e.g. which window of changes this was. */
  note?: string;
  /**
   * Other names a Mappings Field may give a column, e.g. `CustomField:101` for the column headed
   * with that custom field's EveryAction name.
   */
  aliases?: Record<string, string>;
}

/** What a connector offers for pulls; the iMIS IQA reader is one. */
export interface PullSource {
  read(job: PullJob, parameters: string[], options: { onPage?: (rowsSoFar: number, total: number) => void; shouldStop?: () => boolean; preview?: boolean }): PullRows;
}

export type PullContext = JobContext;
export type PullOutcome = JobOutcome;

/** The Sync Log gets at most this many rows per pull job per run, so one big first pull does not flush it. */
export const PULL_LOG_LIMIT = 1000;

/** Cell value as comparable text: 65 and "65" are the same value, as are TRUE and true. */
export function comparable(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return String(cell);
}

function headerText(cell: Cell | undefined): string {
  return comparable(cell).trim();
}

const lower = (s: string) => s.trim().toLowerCase();

interface OutputColumn {
  header: string;
  /** Where the value comes from: a query column, or a constant's expanded text. */
  from: { query: string; mapping: Mapping | null } | { constant: string };
}

/** Which columns the pull writes, in order: the mappings (or every query column), then the constants. */
function outputColumns(job: PullJob, rows: PullRows, tokens: TokenValues): OutputColumn[] | string {
  const byLower = new Map(rows.columns.map((c) => [lower(c), c]));
  for (const [alias, column] of Object.entries(rows.aliases ?? {})) {
    if (!byLower.has(lower(alias)) && byLower.has(lower(column))) byLower.set(lower(alias), byLower.get(lower(column))!);
  }
  const cols: OutputColumn[] = [];
  if (job.mappings.length === 0) {
    for (const c of rows.columns) cols.push({ header: c, from: { query: c, mapping: null } });
  } else {
    for (const m of job.mappings) {
      const q = byLower.get(lower(m.field));
      if (q === undefined && rows.rows.length > 0) {
        return `Mappings row ${m.row}, Field: the query has no column "${m.field}" (it has ${rows.columns.map((c) => `"${c}"`).join(', ')})`;
      }
      cols.push({ header: m.column, from: { query: q ?? m.field, mapping: m } });
    }
  }
  for (const k of job.constants) cols.push({ header: k.field, from: { constant: expandTokens(k.value, tokens) } });
  return cols;
}

/** One query row as the values to write, or the reason it is skipped. */
function rowValues(cols: OutputColumn[], row: Record<string, Cell>): Cell[] | string {
  const out: Cell[] = [];
  for (const c of cols) {
    if ('constant' in c.from) {
      out.push(c.from.constant);
      continue;
    }
    const raw = row[c.from.query] ?? null;
    const m = c.from.mapping;
    if (m?.required && comparable(raw).trim() === '') return `${c.header} is empty (Required)`;
    const t = applyTransform(m?.transform ?? null, raw);
    if (!t.ok) return `${c.header}: ${t.reason}`;
    out.push(t.value);
  }
  return out;
}

/** Key + occurrence number, so duplicate or blank keys still pair rows up in order. */
function keyer(): (key: string) => string {
  const seen = new Map<string, number>();
  return (key) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `${key}\u0000${n}`;
  };
}

/**
 * The `<Job> Status` column a pull writes, if any: a Merge pull marks rows that left the query,
 * a Conservative one marks who opted out. `incremental` pulls (an EveryAction export) cannot tell
 * who left, so a Liberal one writes none.
 */
function statusColumnOf(job: PullJob, incremental: boolean): string | null {
  return job.mode === 'Conservative' || (job.mode === 'Merge' && !incremental) ? `${job.name} Status` : null;
}

/**
 * Problems with a pull's target tab: a column the pull writes, or matches rows by, appears twice
 * in its header row, so which copy it fills would be a guess. A pull without mappings writes the
 * query's own columns, known only once it is read (`queryColumns`).
 */
export function checkPullTarget(job: PullJob, grid: Grid | null, queryColumns: readonly string[] = [], incremental = job.system === 'EveryAction'): ConfigProblem[] {
  if (grid === null) return [];
  const status = statusColumnOf(job, incremental);
  const written = [
    ...(job.mappings.length > 0 ? job.mappings.map((m) => m.column) : queryColumns),
    ...job.constants.map((k) => k.field),
    job.key,
    ...(status === null ? [] : [status]),
  ];
  return duplicateHeaderProblems(grid[0] ?? [], job.target, written);
}

function refuseDoubled(problems: ConfigProblem[]): void {
  if (problems.length > 0) throw new SyncError('config', problems.map(describeProblem).join('; '));
}

export function runPull(job: PullJob, source: PullSource, ctx: PullContext): PullOutcome {
  const counts = zeroCounts();
  const parameters = job.parameters.map((p) => expandTokens(p, ctx.tokens));
  let fetched: PullRows;
  try {
    fetched = source.read(job, parameters, {
      onPage: (n, total) => ctx.log.progress(`${job.name}: read ${formatCount(n)} of ${formatCount(total)} rows`, total > 0 ? n / total : undefined),
      shouldStop: ctx.shouldStop,
      preview: ctx.preview,
    });
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      return { ...counts, status: 'Partial', log: [], message: `${e.message}; the tab was left as it was and the pull starts again next run` };
    }
    throw e;
  }
  const cols = outputColumns(job, fetched, ctx.tokens);
  if (typeof cols === 'string') return { ...counts, status: 'Failed', log: [], message: `${cols}. The tab was left as it was.` };
  const conservative = job.mode === 'Conservative';
  if (conservative && fetched.rows.length > 0 && !canTellOptIn(fetched.columns)) {
    return { ...counts, status: 'Failed', log: [], message: CANNOT_TELL_OPT_IN };
  }

  const existing: Grid = ctx.workbook.read(job.target) ?? [];
  // Again with the query's own columns, and with the tab as it is now (it may have been edited while the query ran).
  refuseDoubled(checkPullTarget(job, existing, fetched.columns, fetched.incremental === true));
  const header: string[] = existing.length > 0 ? existing[0]!.map(headerText) : [];
  const colIndex = (h: string): number => {
    const i = header.findIndex((x) => lower(x) === lower(h));
    if (i >= 0) return i;
    header.push(h);
    return header.length - 1;
  };
  const targets = cols.map((c) => colIndex(c.header));
  const statusName = statusColumnOf(job, fetched.incremental === true);
  const statusCol = statusName === null ? -1 : colIndex(statusName);
  const keyOut = cols.findIndex((c) => lower(c.header) === lower(job.key));
  const keyIn = fetched.columns.find((c) => lower(c) === lower(job.key)) ?? job.key;
  const keyCol = keyOut >= 0 ? targets[keyOut]! : header.findIndex((x) => lower(x) === lower(job.key));
  const width = header.length;
  const oldRows = existing.slice(1).map((r) => {
    const row = r.slice(0, width);
    while (row.length < width) row.push('');
    return row;
  });

  const oldKey = keyer();
  const oldByKey = new Map<string, number>();
  oldRows.forEach((r, i) => oldByKey.set(oldKey(keyCol >= 0 ? comparable(r[keyCol]).trim() : ''), i));

  const today = ctx.tokens.today;
  const log: LogEntry[] = [];
  const addLog = (e: Omit<LogEntry, 'time'>) => {
    if (log.length < PULL_LOG_LIMIT) log.push({ ...e, time: ctx.now() });
  };
  const preview = ctx.preview;
  const newKey = keyer();
  const matched = new Set<number>();
  // Only Replace starts from nothing: Merge and EveryAction's exports (what changed) keep every row.
  const merging = job.mode !== 'Replace';
  const result: Cell[][] = merging ? oldRows.map((r) => r.slice()) : [];
  const placeOf = (oldIndex: number | undefined) => {
    if (merging && oldIndex !== undefined) return oldIndex;
    result.push([]);
    return result.length - 1;
  };

  let leftOut = 0;
  let optedOut = 0;
  /** A Conservative pull's `<Job> Status` for this row, and the change that makes, if any. */
  const markConsent = (row: Cell[], before: Cell[] | null, optedIn: boolean): FieldChange | null => {
    const was = before ? comparable(before[statusCol]) : '';
    const now = optedIn ? OPTED_IN : optedOutStatus(was, today);
    row[statusCol] = now;
    if (!optedIn && now !== was) optedOut++;
    return before && now !== was ? { field: statusName!, before: was, after: now } : null;
  };
  for (const qrow of fetched.rows) {
    counts.read++;
    const values = rowValues(cols, qrow);
    const keyText = keyOut >= 0 && typeof values !== 'string' ? comparable(values[keyOut]).trim() : comparable(qrow[keyIn] ?? null).trim();
    const oldIndex = oldByKey.get(newKey(keyText));
    const optedIn = !conservative || isOptedIn(qrow);
    if (!optedIn && oldIndex === undefined) {
      // Conservative: someone not opted in never enters the tab.
      counts.skipped++;
      leftOut++;
      addLog({ row: null, key: keyText, outcome: 'Skipped', changes: [], message: NOT_OPTED_IN });
      continue;
    }
    if (oldIndex !== undefined) matched.add(oldIndex);
    const place = placeOf(oldIndex);
    const before = oldIndex === undefined ? null : oldRows[oldIndex]!;
    if (typeof values === 'string') {
      // A skipped row writes nothing: the tab keeps what it had for that key, a new row stays out.
      counts.skipped++;
      if (before) result[place] = before.slice();
      else result.pop();
      // Bad values are no reason to leave someone who opted out looking current.
      if (before && !optedIn) markConsent(result[place]!, before, false);
      addLog({ row: before ? place + 2 : null, key: keyText, outcome: 'Skipped', changes: [], message: values });
      continue;
    }
    const row = before ? before.slice() : new Array<Cell>(width).fill('');
    const changes: FieldChange[] = [];
    values.forEach((v, i) => {
      const at = targets[i]!;
      if (before && comparable(before[at]) !== comparable(v)) changes.push({ field: cols[i]!.header, before: comparable(before[at]), after: comparable(v) });
      row[at] = v;
    });
    if (conservative) {
      const change = markConsent(row, before, optedIn);
      if (change) changes.push(change);
    } else if (statusCol >= 0) row[statusCol] = 'In query';
    result[place] = row;
    if (!before) {
      counts.created++;
      addLog({ row: place + 2, key: keyText, outcome: preview ? 'Would create' : 'Created', changes: [], message: '' });
    } else if (changes.length > 0) {
      counts.updated++;
      addLog({ row: place + 2, key: keyText, outcome: preview ? 'Would update' : 'Updated', changes, message: '' });
    } else {
      counts.unchanged++;
    }
  }

  let left = 0;
  oldRows.forEach((r, i) => {
    if (matched.has(i) || fetched.incremental) return;
    left++;
    if (statusCol >= 0 && !comparable(r[statusCol]).startsWith('Left the query')) result[i]![statusCol] = `Left the query on ${today}`;
  });

  // Checked before the tab is written and before a watermark moves, so a held pull leaves
  // everything as it was and the next run sees the same change again.
  const held = job.mode === 'Replace' && !fetched.incremental ? pullBrake(left, oldRows.length, job.brake) : null;
  if (held && ctx.brake && !preview) {
    return { ...zeroCounts(), read: counts.read, status: 'Held', log: [], message: `${held.reason[0]!.toUpperCase()}${held.reason.slice(1)}. Nothing was written. ${held.wayOn(job.name)}` };
  }

  const headerChanged = existing.length === 0 || header.length !== (existing[0]?.length ?? 0);
  const changed = headerChanged || counts.created + counts.updated + left > 0 || result.some((r, i) => r.some((c, j) => comparable(c) !== comparable(oldRows[i]?.[j])));
  if (changed && !preview) ctx.workbook.write(job.target, [header, ...result]);
  if (!preview) fetched.commit?.();

  const parts = [`${plural(counts.read, 'row')} from ${job.source}${fetched.note ? ` (${fetched.note})` : ''}`];
  if (left > 0) {
    const gone = job.mode === 'Merge' ? `marked "Left the query"` : preview ? 'would be removed' : 'removed';
    parts.push(`${plural(left, 'row')} no longer in the query ${gone}`);
  }
  if (optedOut > 0) parts.push(`${plural(optedOut, 'row')} marked "Opted out" (no longer subscribed to email or opted in to texts)`);
  if (leftOut > 0) parts.push(`${plural(leftOut, 'person', 'people')} not opted in left out (Mode is Conservative)`);
  if (counts.skipped > leftOut) parts.push(`${plural(counts.skipped - leftOut, 'row')} skipped (see Sync Log)`);
  if (keyCol < 0 && header.length > cols.length + (statusCol >= 0 ? 1 : 0)) {
    parts.push(`the query has no "${job.key}" column, so your own columns are kept in row order (set Match to the key column)`);
  }
  if (counts.created + counts.updated > PULL_LOG_LIMIT) parts.push(`the Sync Log lists the first ${formatCount(PULL_LOG_LIMIT)} changed rows`);
  if (preview && held) parts.push(`a scheduled run would be held: ${held.reason}`);
  if (preview) parts.push('preview: nothing was written');
  return { ...counts, status: preview ? 'Preview' : 'OK', message: parts.join('; '), log };
}
