// What the push runner hands a target system and gets back. The runner (core) owns the sheet:
// reading rows, mappings, fingerprints, status columns, the Sync Log. A target (a connector)
// owns matching and writing one batch of rows at a time, in fetchAll batches.

import type { ErrorCode } from '../errors';
import type { FieldChange, Outcome } from '../results';

/** A field's new value; null means "blank it in the target" (the {{clear}} token). */
export type FieldValue = string | number | boolean | null;

/** Target field → value. A field that is absent is left as the target has it. */
export type Payload = Record<string, FieldValue>;

export interface PushRow {
  /** Sheet row number (header = 1). */
  row: number;
  payload: Payload;
  /** The target's ID from the `<Job> ID` status column, '' when not known yet. */
  knownId: string;
}

export interface RowOutcome {
  outcome: Outcome | 'Unchanged';
  /** The target's ID to write back into `<Job> ID` (iMIS ID, `ID|Ordinal`, VANID). */
  id?: string;
  changes: FieldChange[];
  message: string;
  /**
   * Why a Failed row failed. `auth` and `network` (and `access` refused for a whole batch) end
   * the job: the runner sends nothing more and leaves the rows refused that way untouched.
   */
  code?: ErrorCode;
}

export interface PushTarget {
  /** What `<Job> ID` holds, for messages ("iMIS ID", "VANID", "activity number (SEQN)"); "ID" when unsaid. */
  readonly idName?: string;
  /** The target's own name for a field typed in the sheet (e.g. "first name" → "FirstName"). */
  fieldName?(field: string): string;
  /**
   * Once per job, before any row is sent: learn what the target needs (e.g. a panel's definition)
   * and check the mapped fields. `where` names the config cell a field comes from ("Mappings row
   * 7, Field"). Throws an Error with a plain message to fail the job.
   */
  prepare(fields: string[], where?: (field: string) => string): void;
  /** Why this row cannot be sent (e.g. nothing to match on), or null. Costs no request. */
  check(row: PushRow): string | null;
  /** What rows are matched on; two rows of the tab with the same key are both Needs review. */
  matchKey(row: PushRow): string;
  /** Matches and writes (or, in preview, only matches) a batch: one outcome per row, in order. */
  push(rows: PushRow[], preview: boolean): RowOutcome[];
}
