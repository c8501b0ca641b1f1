// Fault injection, so retry, backoff and token-refresh code can be tested against the failures a
// hosted iMIS really produces: throttling in front of the site, the generic 500, an app pool that is
// down, a token that dies early.

import type { HttpResponse } from '../../core/ports';
import { html, httpError, json, unauthorized } from './wire';
import { FaultSchedule, SERVICE_UNAVAILABLE_PAGE, type FaultStatus } from '../shared';

export type { FaultStatus };

export interface ImisFaults {
  /**
   * Queue one-shot faults: the next `times` (default 1) requests whose path starts with
   * `pathPrefix` (default: any path; e.g. '/api/query') get this status. 429 carries Retry-After
   * (seconds, default 1); 500 carries iMIS's "An error occurred. Please contact the administrator."
   */
  queue(f: { status: FaultStatus; times?: number; pathPrefix?: string; retryAfterSeconds?: number }): void;
  /** 0 = off; every Nth request gets 429 with Retry-After: 1. */
  rateLimitEvery: number;
  /** 0 = off; every Nth request gets 500. */
  errorEvery: number;
}

export function faultResponse(status: FaultStatus, retryAfterSeconds = 1): HttpResponse {
  switch (status) {
    case 429:
      // iMIS documents no throttling body; this is a guess at what a gateway in front of it says.
      return json(429, httpError('Too many requests. Please retry later.'), { 'retry-after': String(retryAfterSeconds) });
    case 500:
      return json(500, httpError('An error occurred. Please contact the administrator.'));
    case 503:
      // HTTP.sys answers for a stopped application pool itself, in HTML, before iMIS sees anything.
      return html(503, SERVICE_UNAVAILABLE_PAGE);
    case 401:
      return unauthorized();
  }
}

export class FaultPlan extends FaultSchedule implements ImisFaults {
  constructor() {
    super(1);
  }

  queue(f: { status: FaultStatus; times?: number; pathPrefix?: string; retryAfterSeconds?: number }): void {
    this.add(f.status, f.times, f.pathPrefix, f.retryAfterSeconds);
  }

  /**
   * The fault for the `n`th request (1-based, counted over every request the simulator received)
   * to `url`, or null to serve it normally. Queued faults come first, in the order queued.
   */
  take(n: number, url: string): HttpResponse | null {
    const fault = this.due(n, url);
    return fault ? faultResponse(fault.status, fault.wait) : null;
  }
}
