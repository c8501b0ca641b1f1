// Fault injection, so retry and backoff code can be tested against the failures VAN really produces:
// its rate limiter (429 with the wait only in the error text, no Retry-After), a 500 with a support
// reference code, a front end that is down, and a key that stops working.

import type { HttpResponse } from '../../core/ports';
import { errors, html, unauthorized } from './wire';
import { FaultSchedule, SERVICE_UNAVAILABLE_PAGE, type FaultStatus } from '../shared';

export type EveryActionFaultStatus = FaultStatus;

export interface EveryActionFaults {
  /**
   * Queue one-shot faults: the next `times` (default 1) API requests whose path starts with
   * `pathPrefix` (default: any; e.g. '/people/findOrCreate', case-insensitive) get this status.
   * 429 says "Try again in <waitMs> ms." (default 30, the recorded example) and sends no Retry-After.
   */
  queue(f: { status: EveryActionFaultStatus; times?: number; pathPrefix?: string; waitMs?: number }): void;
  /** 0 = off; every Nth API request gets 429 (wait 30 ms). */
  rateLimitEvery: number;
  /** 0 = off; every Nth API request gets 500. */
  errorEvery: number;
}

export const DEFAULT_RATE_LIMIT_WAIT_MS = 30;

/** The 500 in VAN's envelope; the text is a guess (van-openapi records the code and a referenceCode). */
export const INTERNAL_ERROR = { code: 'INTERNAL_SERVER_ERROR', text: 'An unknown error occurred.' } as const;

export class EveryActionFaultPlan extends FaultSchedule implements EveryActionFaults {
  private served500 = 0;

  constructor() {
    super(DEFAULT_RATE_LIMIT_WAIT_MS);
  }

  queue(f: { status: EveryActionFaultStatus; times?: number; pathPrefix?: string; waitMs?: number }): void {
    this.add(f.status, f.times, f.pathPrefix, f.waitMs);
  }

  /** van-openapi: 500s carry a referenceCode for support. Its format here is a guess. */
  referenceCode(): string {
    this.served500 += 1;
    return (0x3f2a9c00 + this.served500 * 7919).toString(16).toUpperCase();
  }

  /** The fault for the `n`th API request (1-based) to `url`, or null to serve it normally. Queued faults first. */
  take(n: number, url: string): HttpResponse | null {
    const fault = this.due(n, url);
    return fault ? this.response(fault.status, fault.wait) : null;
  }

  private response(status: EveryActionFaultStatus, waitMs: number): HttpResponse {
    switch (status) {
      case 429:
        // Recorded body (error-429-response.van-openapi-example.json): code is the string "429".
        return errors(429, [{ code: '429', text: `Rate limit exceeded. Try again in ${waitMs} ms.` }]);
      case 500:
        return errors(500, [{ ...INTERNAL_ERROR, referenceCode: this.referenceCode() }]);
      case 503:
        // No recording: what HTTP.sys answers when the application pool behind it is stopped.
        return html(503, SERVICE_UNAVAILABLE_PAGE);
      case 401:
        return unauthorized();
    }
  }
}
