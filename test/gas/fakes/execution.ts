// What the fake services know about the execution calling them: who runs it (a user, or a
// user's trigger), in which authorization mode, its realm, and where its calls are counted.

import type { CallLog, CallSink } from './calls';
import type { Realm } from './realm';

export type AuthMode = 'NONE' | 'LIMITED' | 'FULL';

/** One getValues/setValues (and friends) on a sheet, for assertions about sheet I/O. */
export interface SheetOp {
  op: string;
  sheet: string;
  row: number;
  column: number;
  rows: number;
  columns: number;
  exec: number;
}

export interface LogLine {
  level: 'log' | 'info' | 'warn' | 'error';
  message: string;
}

export interface Execution extends CallSink {
  readonly id: number;
  /** The entry point run. */
  readonly fn: string;
  /** Email of the user whose authority it runs with (the trigger's owner for a trigger). */
  readonly user: string;
  /** Started by a trigger (no UI; getUi throws). */
  readonly trigger: boolean;
  readonly authMode: AuthMode;
  readonly realm: Realm;
  /** This execution's service calls. */
  readonly calls: CallLog;
  readonly sheetOps: SheetOp[];
  readonly logs: LogLine[];
  /** Apps Script globals the execution touched (SpreadsheetApp, UrlFetchApp, …). */
  readonly services: Set<string>;
  /** Globals Apps Script does not have (require, process, …) that the execution touched. */
  readonly touched: string[];
  /** Set while the entry point runs; cleared when it returns or throws. */
  running: boolean;
  result?: unknown;
  error?: unknown;
}
