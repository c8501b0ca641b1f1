// Sending requests the way every connector must: in fetchAll batches, retrying 429 and 5xx with
// exponential backoff and jitter (or the server's Retry-After), at most 5 attempts, and only
// while the time budget allows. Also counts requests for the Sync Report.

import type { Budget } from './budget';
import type { Clock, Http, HttpRequest, HttpResponse } from './ports';

export const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 1000;

export function isRetryable(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/** Retry-After as milliseconds: either delta-seconds or an HTTP date. */
export function retryAfterMs(res: HttpResponse, now: Date): number | null {
  const value = res.headers['retry-after'];
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value.trim()) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

export interface RetryOptions {
  clock: Clock;
  budget: Budget;
  /** 0 ≤ x < 1; Math.random by default, fixed in tests. */
  random?: () => number;
  /** Extra wait a connector can read out of a response (EveryAction puts it in the error text). */
  waitHint?: (res: HttpResponse) => number | null;
  onRetry?: (status: number, waitMs: number, attempt: number) => void;
}

/**
 * Sends the batch and re-sends the requests that got 429/5xx/no answer until they succeed,
 * MAX_ATTEMPTS is reached, or waiting would overrun the budget. Returns the last response for
 * each request, in order.
 */
export function sendWithRetry(http: Http, requests: HttpRequest[], o: RetryOptions): HttpResponse[] {
  const random = o.random ?? Math.random;
  const results = http.fetchAll(requests);
  let pending = results.map((r, i) => (isRetryable(r.status) ? i : -1)).filter((i) => i >= 0);
  for (let attempt = 2; pending.length > 0 && attempt <= MAX_ATTEMPTS; attempt++) {
    const backoff = BASE_DELAY_MS * 2 ** (attempt - 2) * (0.75 + random() / 2);
    let wait = backoff;
    for (const i of pending) {
      const r = results[i]!;
      const hinted = retryAfterMs(r, o.clock.now()) ?? o.waitHint?.(r) ?? null;
      if (hinted !== null) wait = Math.max(wait, hinted);
    }
    if (wait >= o.budget.remainingMs()) break;
    o.onRetry?.(results[pending[0]!]!.status, wait, attempt);
    o.clock.sleep(wait);
    const again = http.fetchAll(pending.map((i) => requests[i]!));
    pending.forEach((i, k) => {
      results[i] = again[k]!;
    });
    pending = pending.filter((i) => isRetryable(results[i]!.status));
  }
  return results;
}

/** Wraps an Http so every request sent through it is counted. */
export class CountingHttp implements Http {
  count = 0;
  constructor(private readonly inner: Http) {}
  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    this.count += requests.length;
    return this.inner.fetchAll(requests);
  }
}

/** Encodes a query string from pairs (repeated names allowed); Apps Script has no URLSearchParams. */
export function queryString(pairs: [string, string | number][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/** Encodes an application/x-www-form-urlencoded body. */
export function formBody(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}
