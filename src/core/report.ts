// Writing the Sync Report and Sync Log tabs: one report row per job per run, one log row per
// data row that was not Unchanged, newest at the bottom, trimmed to the newest 5,000 / 20,000
// rows. Columns are found by header, so a coordinator may reorder them or add their own.

import { cellText } from './cells';
import { HEADERS, TAB } from './config/types';
import { isoSeconds } from './dates';
import type { Cell, Grid, Workbook } from './ports';
import { describeChanges, type JobResult, type LogEntry, type Trigger } from './results';

export const REPORT_KEEP = 5000;
export const LOG_KEEP = 20000;

/** A tab the add-on appends to, held in memory for the run so it is read once. */
class AppendOnlyTab {
  private grid: Grid;
  private readonly index: Map<string, number>;
  /** Rows the tab had when this object last read or wrote it. */
  private baseRows: number;

  constructor(
    private readonly workbook: Workbook,
    readonly tab: string,
    private readonly headers: readonly string[],
    private readonly keep: number,
  ) {
    const existing = workbook.read(tab);
    const header = existing && existing.length > 0 ? existing[0]!.map((c) => cellText(c)) : [];
    for (const h of headers) {
      if (!header.some((x) => x.toLowerCase() === h.toLowerCase())) header.push(h);
    }
    this.index = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
    const body = existing ? existing.slice(1).map((r) => pad(r, header.length)) : [];
    this.grid = [header, ...body];
    this.baseRows = body.length;
  }

  rows(): Grid {
    return this.grid.slice(1);
  }

  column(name: string): number {
    return this.index.get(name.toLowerCase()) ?? -1;
  }

  append(records: Record<string, Cell>[]): void {
    const width = this.grid[0]!.length;
    for (const rec of records) {
      const row: Cell[] = new Array<Cell>(width).fill('');
      for (const [k, v] of Object.entries(rec)) {
        const i = this.column(k);
        if (i >= 0) row[i] = v;
      }
      this.grid.push(row);
    }
  }

  /**
   * Writes what this run added on top of the tab as it is now: another run (a Skipped one, say)
   * may have added rows since this one read it, and those must stay.
   */
  flush(): void {
    const added = this.grid.length - 1 - this.baseRows;
    const current = new AppendOnlyTab(this.workbook, this.tab, this.headers, this.keep);
    current.grid.push(...this.grid.slice(this.grid.length - Math.max(0, added)).map((r) => pad(r, current.grid[0]!.length)));
    const extra = current.grid.length - 1 - this.keep;
    if (extra > 0) current.grid.splice(1, extra);
    this.workbook.write(this.tab, current.grid);
    this.grid = current.grid;
    this.baseRows = this.grid.length - 1;
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
