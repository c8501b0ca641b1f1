// What a job run produced: the counts of the Sync Report and the per-row entries of the Sync
// Log, and what every kind of job is given to run with. Shared by every kind of job so the report
// reads the same whatever the system.

import type { ErrorCode } from './errors';
import type { Log, Workbook } from './ports';
import type { TokenValues } from './tokens';

export type JobStatus = 'OK' | 'Partial' | 'Failed' | 'Skipped' | 'Preview' | 'Held';
export type Outcome = 'Created' | 'Updated' | 'Skipped' | 'Needs review' | 'Failed' | 'Would create' | 'Would update';
export type Trigger = 'Hourly' | 'Manual' | 'CLI';

export interface FieldChange {
  field: string;
  /** The value before; null when the target was not read (a write without a read costs nothing more). */
  before: string | null;
  after: string;
}

export interface LogEntry {
  time: Date;
  /** Sheet row number (header = 1), or null when the entry is about the job as a whole. */
  row: number | null;
  key: string;
  outcome: Outcome;
  changes: FieldChange[];
  message: string;
}

export interface Counts {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export interface JobResult extends Counts {
  job: string;
  status: JobStatus;
  started: Date;
  finished: Date;
  requests: number;
  message: string;
  log: LogEntry[];
  /** Why the job failed as a whole, when it ended on a SyncError: the sidebar and CLI choose words by it. */
  code?: ErrorCode;
}

export function zeroCounts(): Counts {
  return { read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
}

/** "Email: a@x.org → b@x.org; City: (blank) → Adelaide; LastName: → Smith" (old value not read) */
export function describeChanges(changes: FieldChange[]): string {
  const show = (v: string) => (v === '' ? '(blank)' : v);
  return changes.map((c) => `${c.field}: ${c.before === null ? '' : `${show(c.before)} `}→ ${show(c.after)}`).join('; ');
}

/** 1234 → "1,234", without Intl so the text is the same everywhere. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** What the engine hands every job runner (pull or push). */
export interface JobContext {
  workbook: Workbook;
  log: Log;
  now: () => Date;
  preview: boolean;
  tokens: TokenValues;
  /** True once the run's time budget is spent: stop between batches. */
  shouldStop: () => boolean;
  /**
   * The brake on unusual changes applies (DESIGN §10.4): nobody is watching this run, so a job
   * that would remove or send far more than usual is held for a person to look at.
   */
  brake: boolean;
}

/** What every job runner gives back; the engine adds timing and the request count. */
export interface JobOutcome extends Counts {
  status: JobStatus;
  message: string;
  log: LogEntry[];
  /** Set when the job ended early on a failure (see JobResult.code). */
  code?: ErrorCode;
}
