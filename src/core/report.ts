// Writing the Sync Report and Sync Log tabs: one report row per job per run, one log row per
// data row that was not Unchanged, newest at the bottom, never more than the newest 5,000 / 20,000
// rows. Columns are found by header, so a coordinator may reorder them or add their own.

import { cellText } from './cells';
import { HEADERS, TAB } from './config/types';
import { isoSeconds } from './dates';
import type { Cell, Grid, Workbook } from './ports';
import { describeChanges, type JobResult, type LogEntry, type Trigger } from './results';

export const REPORT_KEEP = 5000;
export const LOG_KEEP = 20000;

/**
 * When a tab passes its limit, the oldest rows go down to this share of it: trimming rewrites the
 * whole tab, so it happens once in a while, and in between new rows are only appended.
 */
const TRIM_TO = 0.9;

/**
 * A tab the add-on appends to. New rows are written below the tab as it is at that moment (another
 * run may have added rows since, and those stay), as a block of their own: a long Sync Log is not
 * read and rewritten for every job. Only a tab past its limit is read whole and rewritten, trimmed.
 */
class AppendOnlyTab {
  /** The tab's rows as first read (for rows()), only when asked for. */
  private body: Grid | null = null;
  private bodyHeader: string[] | null = null;
  /** Rows this run added, oldest first, by header. */
  private readonly added: Record<string, Cell>[] = [];
  /** How many of `added` are already in the tab. */
  private written = 0;

  constructor(
    private readonly workbook: Workbook,
    readonly tab: string,
    private readonly headers: readonly string[],
    private readonly keep: number,
  ) {}

  /** The tab's header row as it is now, with any of ours it lacks added at the right. */
  private static merged(header: readonly Cell[], required: readonly string[]): string[] {
    const out = header.map((c) => cellText(c));
    for (const h of required) if (!out.some((x) => x.trim().toLowerCase() === h.toLowerCase())) out.push(h);
    return out;
  }

  private static layout(header: readonly string[], rec: Record<string, Cell>): Cell[] {
    const index = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
    const row: Cell[] = new Array<Cell>(header.length).fill('');
    for (const [k, v] of Object.entries(rec)) {
      const i = index.get(k.toLowerCase());
      if (i !== undefined) row[i] = v;
    }
    return row;
  }

  /** The tab's header and rows as read the first time they are asked for (for lastSuccess). */
  private read(): { header: string[]; body: Grid } {
    if (this.body === null || this.bodyHeader === null) {
      const existing = this.workbook.read(this.tab) ?? [];
      this.bodyHeader = AppendOnlyTab.merged(existing[0] ?? [], this.headers);
      this.body = existing.slice(1).map((r) => pad(r, this.bodyHeader!.length));
    }
    return { header: this.bodyHeader, body: this.body };
  }

  /** Every row: the tab's as first read, then this run's, laid out by the same header. */
  rows(): Grid {
    const { header, body } = this.read();
    return [...body, ...this.added.map((r) => AppendOnlyTab.layout(header, r))];
  }

  /** The position of a column in rows(). */
  column(name: string): number {
    return this.read().header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
  }

  append(records: Record<string, Cell>[]): void {
    this.added.push(...records);
  }

  /** Writes the rows not yet written. */
  flush(): void {
    const fresh = this.added.slice(this.written);
    if (fresh.length === 0) return;
    const now = this.workbook.headerOf(this.tab);
    const hasAll = now !== null && this.headers.every((h) => now.header.some((c) => cellText(c).trim().toLowerCase() === h.toLowerCase()));
    if (now !== null && hasAll && now.dataRows + fresh.length <= this.keep) {
      const header = now.header.map((c) => cellText(c));
      this.workbook.writeBlock(this.tab, now.dataRows + 2, 1, fresh.map((r) => AppendOnlyTab.layout(header, r)));
    } else {
      const existing = this.workbook.read(this.tab) ?? [];
      const header = AppendOnlyTab.merged(existing[0] ?? [], this.headers);
      const body = [...existing.slice(1).map((r) => pad(r, header.length)), ...fresh.map((r) => AppendOnlyTab.layout(header, r))];
      const extra = body.length > this.keep ? body.length - Math.floor(this.keep * TRIM_TO) : 0;
      this.workbook.write(this.tab, [header, ...body.slice(extra)]);
    }
    this.written = this.added.length;
  }
}

function pad(row: Cell[], width: number): Cell[] {
  const out = row.slice(0, Math.max(width, row.length));
  while (out.length < width) out.push('');
  return out;
}

/** The Sync Report and Sync Log of one run. */
export class RunReport {
  private readonly report: AppendOnlyTab;
  private log: AppendOnlyTab | null = null;

  constructor(
    private readonly workbook: Workbook,
    readonly runId: string,
    readonly trigger: Trigger,
  ) {
    this.report = new AppendOnlyTab(workbook, TAB.report, HEADERS.report, REPORT_KEEP);
  }

  /** ISO time of the job's last OK run, from earlier report rows ("" if none): the {{lastSuccess}} token. */
  lastSuccess(job: string): string {
    const jobCol = this.report.column('Job');
    const statusCol = this.report.column('Status');
    const finishedCol = this.report.column('Finished');
    let last = '';
    for (const row of this.report.rows()) {
      if (cellText(row[jobCol] ?? '') === job && cellText(row[statusCol] ?? '') === 'OK') {
        const f = row[finishedCol] ?? '';
        last = f instanceof Date ? isoSeconds(f) : cellText(f);
      }
    }
    return last;
  }

  /** Adds a job's report row and log rows and writes both tabs (each in one call). */
  record(job: string, result: Omit<JobResult, 'job'>): void {
    this.report.append([
      {
        Run: this.runId,
        Started: isoSeconds(result.started),
        Finished: isoSeconds(result.finished),
        Trigger: this.trigger,
        Job: job,
        Status: result.status,
        Read: result.read,
        Created: result.created,
        Updated: result.updated,
        Unchanged: result.unchanged,
        Skipped: result.skipped,
        Failed: result.failed,
        Requests: result.requests,
        Message: result.message,
      },
    ]);
    this.report.flush();
    if (result.log.length > 0) {
      this.log ??= new AppendOnlyTab(this.workbook, TAB.log, HEADERS.log, LOG_KEEP);
      this.log.append(result.log.map((e) => logRecord(this.runId, job, e)));
      this.log.flush();
    }
  }
}

function logRecord(run: string, job: string, e: LogEntry): Record<string, Cell> {
  return {
    Run: run,
    Time: isoSeconds(e.time),
    Job: job,
    Row: e.row ?? '',
    Key: e.key,
    Outcome: e.outcome,
    'Field Changes': describeChanges(e.changes),
    Message: e.message,
  };
}
