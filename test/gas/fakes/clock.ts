// The fake clock every execution of a fake Apps Script world shares: it moves only when told
// (advance), when the add-on sleeps (Utilities.sleep) or when a request takes time (UrlFetchApp
// latency), so time-budget and lease tests run in milliseconds.

export class FakeClock {
  constructor(public ms = Date.parse('2026-11-23T15:00:00Z')) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += Math.max(0, ms);
  }

  set(at: number | Date | string): void {
    this.ms = typeof at === 'number' ? at : new Date(at).getTime();
  }

  /** Outer-realm Date of the current time, for tests. */
  date(): Date {
    return new Date(this.ms);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
