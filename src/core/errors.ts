// Failures that carry a code (DESIGN §10.2), so the engine, the sidebar and the CLI can choose
// what to say and do by code, never by matching message text. The message is already the
// sentence a coordinator reads.

export const ERROR_CODES = ['auth', 'access', 'not_found', 'rate_limited', 'server', 'network', 'config', 'data'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes that end a job at once: nothing after them would be let through either. */
export const ENDS_JOB: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['auth', 'access', 'network']);

export class SyncError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** The code of any thrown value: a SyncError's own, or undefined for anything else (a bug). */
export function errorCode(e: unknown): ErrorCode | undefined {
  return e instanceof SyncError ? e.code : undefined;
}

/**
 * The code of a final HTTP answer (after retries). 401 is refused credentials, 403 signed in but
 * not allowed; any other 4xx means the request's own values were refused.
 */
export function codeForStatus(status: number): ErrorCode {
  if (status === 0) return 'network';
  if (status === 401) return 'auth';
  if (status === 403) return 'access';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status >= 400) return 'data';
  // A 2xx or 3xx the add-on could not use: the system answered, but not as it should.
  return 'server';
}

/** A failure an HTTP API answered (or status 0: no answer), coded by its status unless told otherwise. */
export class HttpError extends SyncError {
  constructor(
    message: string,
    readonly status: number,
    code: ErrorCode = codeForStatus(status),
  ) {
    super(code, message);
  }
}

/** A thrown value as the sentence the Sync Report shows, ending in a full stop. */
export function failureSentence(e: unknown): string {
  // A TypeError and its kin are a fault in Sheets Sync's own code: their words ("Cannot read
  // properties of null") mean nothing to a coordinator, so they get a plain sentence (the stack
  // goes to the log, see logIfBug). Other exceptions (Sheets or the file system refusing) keep
  // their own words, which say what happened.
  if (e instanceof Error && CODE_FAULTS.has(e.name)) return FAULT_SENTENCE;
  const message = e instanceof Error ? e.message : String(e);
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

const CODE_FAULTS = new Set(['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError']);

export const FAULT_SENTENCE =
  'Sheets Sync ran into a fault of its own and stopped this job; nothing after it was sent. The execution log has the details for whoever looks into it.';

/**
 * A SyncError's message is already the coordinator's sentence; anything else is a bug, and its
 * stack is what a developer needs, so only that goes to the log with a trace.
 */
export function logIfBug(log: { warn(message: string): void }, job: string, e: unknown): void {
  if (e instanceof SyncError) return;
  log.warn(`${job}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}
