// The interfaces the sync engine needs from the outside world. Apps Script (src/gas) and Node
// (src/cli) each provide their own implementations; tests hand in fakes. Everything here is
// synchronous because UrlFetchApp and SpreadsheetApp are.

import type { Budget } from './budget';
import type { PushJob, System } from './config/types';

/** One HTTP request. Header names are sent as given; `body` is already encoded. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * One HTTP response. Header names are lower-case. `status` 0 means no response arrived at all
 * (connection refused, DNS failure, timeout); `body` then says why.
 * Redirects are never followed: a 3xx comes back as it is.
 */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends a batch of requests at once (UrlFetchApp.fetchAll) and returns responses in order. */
export interface Http {
  fetchAll(requests: HttpRequest[]): HttpResponse[];
}

/** A cell as a spreadsheet holds it. CSV workbooks give strings; Google Sheets gives typed values. */
export type Cell = string | number | boolean | Date | null;

/** A rectangular block of cells, first row = headers. */
export type Grid = Cell[][];

/**
 * The spreadsheet. Every tab is read whole and written whole: never a call per cell or row.
 */
export interface Workbook {
  /** The whole tab, header row first; null when there is no such tab. */
  read(tab: string): Grid | null;
  /**
   * The tab's header row and how many rows it has below it (null when there is no such tab):
   * what checks before a run need, without reading every row.
   */
  headerOf(tab: string): { header: Cell[]; dataRows: number } | null;
  /** Replaces the tab's whole content (creating the tab if missing). */
  write(tab: string, grid: Grid): void;
  /**
   * Writes a rectangle of cells at (row, column), both 1-based, leaving every other cell as it
   * is: how a push writes its status columns beside the coordinator's own rows.
   */
  writeBlock(tab: string, row: number, column: number, values: Grid): void;
}

/** Small persistent strings (document properties in Apps Script, a JSON file in the CLI). */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/** One run at a time per spreadsheet. */
export interface Lock {
  /** True when this run may go ahead; false when another run holds the lock. */
  tryAcquire(): boolean;
  release(): void;
}

export interface Clock {
  now(): Date;
  /** Blocks for the given time (Utilities.sleep in Apps Script). */
  sleep(ms: number): void;
}

/** Progress and diagnostics for whoever is watching (stderr in the CLI, console in Apps Script). */
export interface Log {
  /** A step of the run, e.g. "Active Members: read 1,500 of 4,000 rows"; `fraction` (0–1) when known. */
  progress(message: string, fraction?: number): void;
  warn(message: string): void;
}

/**
 * What a saved secret is bound to: the connection as it was when the secret was saved (URL as
 * config parsing normalises it, user name or application name, mode). A secret saved for one of
 * these is never used for another, so no editor can point a stored password at a new server.
 */
export interface SecretBinding {
  name: string;
  url: string;
  username: string;
  mode: string;
}

/**
 * The secret for a connection: `set` with its value; `missing` when none was saved; `changed`
 * when one was saved for another URL, user name or mode (`what` names them for the message,
 * e.g. "the URL"), and so must not be used.
 */
export type SecretLookup = { state: 'set'; value: string } | { state: 'missing' } | { state: 'changed'; what: string };

/** Where secrets (iMIS passwords, EveryAction API keys) come from; never from a cell. */
export interface Secrets {
  get(connection: SecretBinding): SecretLookup;
  /** How the user sets this secret, for messages: e.g. "set SHEETS_SYNC_SECRET_IMIS". */
  howToSet(connectionName: string): string;
}

/** What a connector needs from the run. */
export interface ConnectorIO {
  http: Http;
  /** Small state kept between runs (e.g. EveryAction's watermark and pending export). */
  store: KeyValueStore;
  clock: Clock;
  budget: Budget;
  random?: () => number;
  onRetry?: (status: number, waitMs: number) => void;
}

/** What a client needs to send requests: everything of ConnectorIO but the store. */
export type Transport = Omit<ConnectorIO, 'store'>;

/** A Mappings or Constants Field as a push target reads it: its canonical spelling, or why the target cannot take it. */
export type FieldLookup = { field: string } | { problem: string };

/**
 * What one system's push targets accept (DESIGN §5): the one list that config parsing, the
 * sidebar's field picker and the CLI read. Each connector supplies its own; `fields` and
 * `canonical` need no request, because config parsing runs before any is sent.
 */
export interface TargetCatalogue {
  /** What the target's ID is called for a coordinator, e.g. "iMIS ID", "VANID". */
  readonly idLabel: string;
  /** The Field that carries that ID in Mappings, e.g. "ID", "VANID". */
  readonly idField: string;
  /** The fields a push to `target` (a job's Target, e.g. "Contact", "People") accepts, known without a request. */
  fields(target: string): readonly string[];
  /** The canonical spelling of `field` for a push to `target` ("firstname" → "FirstName"), or why it has no such field. */
  canonical(target: string, field: string): FieldLookup;
  /**
   * Fields a push to `target` cannot do without (an iMIS Activity's ACTIVITY_TYPE), each with how
   * to give it: a job that maps none of them, nor sets it as a constant, is a setup problem.
   */
  required?(target: string): readonly RequiredField[];
  /**
   * The fields only the system itself can list (iMIS panel properties from BoEntityDefinition,
   * EveryAction custom fields): costs requests, so config parsing never calls it. The seam for
   * checking Mappings against live metadata later.
   */
  liveFields?(job: PushJob, io: ConnectorIO): string[];
}

/** A field a target cannot do without, and how a coordinator gives it (for the setup problem). */
export interface RequiredField {
  field: string;
  how: string;
}

/** Every system's catalogue: what config parsing is handed (core cannot import the connectors). */
export type TargetCatalogues = Record<System, TargetCatalogue>;
