// Fault injection, so retry, backoff and token-refresh code can be tested against the failures a
// hosted iMIS really produces: throttling in front of the site, the generic 500, an app pool that is
// down, a token that dies early.

import type { HttpResponse } from '../../core/ports';
import { html, httpError, json, unauthorized } from './wire';
import { SERVICE_UNAVAILABLE_PAGE } from '../shared';

export type FaultStatus = 429 | 500 | 503 | 401;

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

interface QueuedFault {
  status: FaultStatus;
  remaining: number;
  pathPrefix: string;
  retryAfterSeconds: number;
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

export class FaultPlan implements ImisFaults {
  rateLimitEvery = 0;
  errorEvery = 0;
  private readonly queued: QueuedFault[] = [];

  queue(f: { status: FaultStatus; times?: number; pathPrefix?: string; retryAfterSeconds?: number }): void {
    this.queued.push({
      status: f.status,
      remaining: f.times ?? 1,
      pathPrefix: (f.pathPrefix ?? '').toLowerCase(),
      retryAfterSeconds: f.retryAfterSeconds ?? 1,
    });
  }

  /**
   * The fault for the `n`th request (1-based, counted over every request the simulator received)
   * to `url`, or null to serve it normally. Queued faults come first, in the order queued.
   */
  take(n: number, url: string): HttpResponse | null {
    const path = url.toLowerCase();
    const hit = this.queued.find((f) => f.remaining > 0 && path.startsWith(f.pathPrefix));
    if (hit) {
      hit.remaining -= 1;
      if (hit.remaining === 0) this.queued.splice(this.queued.indexOf(hit), 1);
      return faultResponse(hit.status, hit.retryAfterSeconds);
    }
    if (this.rateLimitEvery > 0 && n % this.rateLimitEvery === 0) return faultResponse(429, 1);
    if (this.errorEvery > 0 && n % this.errorEvery === 0) return faultResponse(500);
    return null;
  }
}
