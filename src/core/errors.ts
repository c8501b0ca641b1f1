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
