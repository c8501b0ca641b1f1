// The contract between the sidebar page (sidebar/) and the Apps Script functions it calls through
// google.script.run. Plain data only: google.script.run passes JSON-like values.

import type { ErrorCode } from '../core/errors';
import type { Counts } from '../core/results';

/** One row of the Connections tab, as the sidebar shows it. Secrets are never sent to the page. */
export interface SidebarConnection {
  name: string;
  system: 'iMIS' | 'EveryAction' | string;
  /** The Status cell: "OK 2026-11-23 14:05" or the last test's error. */
  status: string;
  /** Whether a password / API key has been set (the value itself never leaves the server). */
  hasSecret: boolean;
}

export interface SidebarJob {
  name: string;
  action: 'Pull' | 'Push' | string;
  connection: string;
  enabled: boolean;
  schedule: string;
  /** Jobs-tab Last Run / Last Result cells. */
  lastRun: string;
  lastResult: string;
  /**
   * When the hourly sync next runs this job by its Schedule (ISO instant; it runs at the first
   * hourly run at or after it; in the past when that run is still to come). Absent when it will
   * not run by itself: Manual, turned off, Schedule not understood, or hourly sync off.
   */
  nextDue?: string;
  /** Push jobs into iMIS panels or contacts: the target, so the sidebar can offer its field names. */
  target: string;
}

export interface SidebarSchedule {
  on: boolean;
  /** Email of the user whose trigger runs the hourly sync, or '' when off. */
  owner: string;
  /** The current user's email ('' when Apps Script cannot tell). */
  me: string;
}

export interface SidebarState {
  connections: SidebarConnection[];
  jobs: SidebarJob[];
  schedule: SidebarSchedule;
  /** Setup problems found in the tabs, each naming tab, row and column; empty when all is well. */
  problems: string[];
  /**
   * Whether the Connections and Jobs tabs exist. Without them nothing else in the sidebar can
   * work, so the page offers Set up tabs and nothing more.
   */
  tabsSetUp: boolean;
  /**
   * The spreadsheet's time zone (IANA, e.g. "America/New_York"): the page shows Last Run in it, in
   * words. Absent from an older server; the page then uses the browser's own zone.
   */
  timeZone?: string;
}

/** Who is emailed when a scheduled run ends a job Failed or Held ("Email me when…"). */
export interface AlertSettings {
  /** The addresses saved in the sidebar (at most 10), besides the schedule's owner. */
  addresses: string[];
  /** The schedule's owner, always emailed; '' when hourly sync is off or the owner is not known. */
  owner: string;
  /** Why the last alert could not be sent; '' when it was, or none was due. */
  problem: string;
}

/** What Set up tabs did, as one sentence for the coordinator. */
export interface SetUpResult {
  message: string;
}

export interface ActionResult {
  ok: boolean;
  /** A sentence for the coordinator. */
  message: string;
  /** Why it failed, when known: the page chooses its advice by this, never by the message. */
  code?: ErrorCode;
}

export interface JobResultSummary extends Counts {
  job: string;
  status: 'OK' | 'Partial' | 'Failed' | 'Skipped' | 'Preview' | 'Held' | string;
  message: string;
  /** Why the job failed as a whole (JobResult.code): the page chooses its advice by this. */
  code?: ErrorCode;
}

/** One slice of a run: the sidebar calls continueRun(token) again until done is true. */
export interface RunStep {
  done: boolean;
  /** Pass to continueRun when not done. */
  token: string;
  /** 0–1 when known. */
  fraction: number | null;
  /** What is happening, e.g. "Members: read 1,500 of 4,000 rows". */
  message: string;
  results: JobResultSummary[];
  /**
   * The last step the engine reported with a fraction during the slice (rows sent of rows to send,
   * rows read of rows to read), for the job still under way: `fraction` above already counts it.
   */
  progress?: SliceProgress | null;
}

/** One progress report of the engine (Log.progress): its sentence and how far the job it names is (0–1). */
export interface SliceProgress {
  message: string;
  fraction: number;
}

/**
 * What a server function answers in place of its value when it could not do what was asked: the
 * page chooses its words and actions by `code` (absent for a fault of Sheets Sync itself), and
 * shows `message`, already a sentence for the coordinator. Server functions never throw, so the
 * page's failure handler only ever sees Google's own failures.
 */
export interface Refusal {
  refused: true;
  code?: ErrorCode;
  message: string;
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as { refused?: unknown }).refused === true && typeof (value as { message?: unknown }).message === 'string';
}

/** The server functions as they answer on the wire: each value, or a Refusal. */
export type Served<S> = { [K in keyof S]: S[K] extends (...args: infer A) => infer R ? (...args: A) => R | Refusal : never };

/** The server functions of the connection and job forms (src/gas/forms.ts). */
export interface FormServer {
  /** The Connections row named `name` as the connection form shows it (the secret is never sent: ''). */
  connectionForm(name: string): ConnectionForm;
  /** The Jobs row named `name` as the job form shows it. */
  jobForm(name: string): JobForm;
  /** Writes one Connections row when the form is valid (and, given a secret, saves and tests it); else the problems. */
  saveConnection(form: ConnectionForm): SaveResult;
  /** Writes one Jobs row when the form is valid; else the problems. */
  saveJob(form: JobForm): SaveResult;
}

/** The server functions, by name, as google.script.run exposes them. */
export interface SidebarServer extends FormServer {
  sidebarState(): SidebarState;
  setSecret(connection: string, secret: string): ActionResult;
  testConnection(connection: string): ActionResult;
  /** Starts a run of one job (or every enabled job when job is ''), or its preview. */
  startRun(job: string, preview: boolean): RunStep;
  continueRun(token: string): RunStep;
  setHourly(on: boolean): SidebarSchedule;
  /** Field names to offer in Mappings for a job's target ([] when the connector cannot list them). */
  fieldNames(job: string): string[];
  /** Set up tabs (the menu item's work), answering what it did rather than showing a toast. */
  setUpTabsFromSidebar(): SetUpResult;
  /**
   * The Mappings dropdowns with the lists only iMIS and EveryAction can give (panel properties,
   * query columns, custom fields by name), for every connection with a saved secret. The page
   * asks for it after each refresh, in the background: it costs requests, the state does not.
   */
  refreshFieldPickers(): { rulesSet: number };
  /** Who gets the alert emails of scheduled runs. */
  alertSettings(): AlertSettings;
  /** Saves the addresses alerted besides the schedule's owner ([] for none); answers the settings as saved. */
  setAlertAddresses(addresses: string[]): AlertSettings;
}

/** The connection form: one Connections row, plus the password or API key for Save & test. */
export interface ConnectionForm {
  /** The Name of the row being edited; '' for a new row. */
  original: string;
  name: string;
  system: string;
  url: string;
  username: string;
  mode: string;
  /** '' keeps whatever is saved; otherwise saved (bound to the row as written) and the connection tested. */
  secret: string;
}

/** The job form: one Jobs row (Last Run and Last Result are the add-on's, never in the form). */
export interface JobForm {
  /** The Name of the row being edited; '' for a new row. */
  original: string;
  name: string;
  enabled: boolean;
  action: string;
  connection: string;
  source: string;
  target: string;
  match: string;
  mode: string;
  parameters: string;
  schedule: string;
}

/**
 * A problem with one field of a form, in config parsing's own words; `field` is the form's key
 * ("url", "connection"), or '' for the form (or its tab) as a whole.
 */
export interface FormProblem {
  field: string;
  message: string;
}

/** What saving a form did: one row written (and, for Save & test, what saving the secret and the test said), or nothing and why. */
export type SaveResult =
  | { ok: true; message: string; secret?: ActionResult; test?: ActionResult }
  | { ok: false; problems: FormProblem[] };

/**
 * Text that is a program's own complaint rather than a sentence written for the coordinator: a
 * JavaScript error, Apps Script's "Exception: …", a stack line. Sheets Sync's own messages never
 * look like this, but text from before a fix, or from a fault nothing caught, can still sit in a
 * Status or Last Result cell; both sides check with this so such text never reaches the page.
 */
export function looksLikeRawError(text: string): boolean {
  return RAW_ERROR.some((re) => re.test(text));
}

const RAW_ERROR: readonly RegExp[] = [
  /\bCannot (read|set) propert(y|ies) of (null|undefined)\b/i,
  /\b(is not a function|is not defined|is not iterable|is not a constructor)\b/,
  /\b(null|undefined) is not an object\b/,
  /\b(TypeError|ReferenceError|RangeError|SyntaxError|InternalError)\b/,
  /(^|: )Exception: /,
  /Maximum call stack size exceeded/,
  // Stack lines: "at fetchToken (Code:1234:15)" and "at Code:12:3", not "at 14:05".
  /\bat [\w$.<>]+ \([^\s()]+:\d+(:\d+)?\)/,
  /\bat [^\s()]+:\d+:\d+/,
  /\[object \w+\]/,
];
