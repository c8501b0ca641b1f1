// Pieces both simulators need: a repeatable random generator for seeded data, and the HTML page
// IIS (HTTP.sys) itself answers with when the application pool behind it is stopped.

/** mulberry32: tiny, fast and good enough for demo data; never Math.random, so runs repeat. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** No recording exists: what HTTP.sys answers for a stopped application pool, before the app sees anything. */
export const SERVICE_UNAVAILABLE_PAGE =
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n' +
  '<HTML><HEAD><TITLE>Service Unavailable</TITLE>\r\n' +
  '<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n' +
  '<BODY><h2>Service Unavailable</h2>\r\n<hr><p>HTTP Error 503. The service is unavailable.</p>\r\n</BODY></HTML>\r\n';

export type FaultStatus = 429 | 500 | 503 | 401;

/**
 * When faults happen, shared by both simulators: one-shot faults queued for a path prefix (first
 * queued, first served), and every-Nth-request rate limits and errors. Each simulator turns a due
 * fault into its own wire body. `wait` is the simulator's own unit (iMIS: Retry-After seconds;
 * EveryAction: milliseconds in the error text).
 */
export class FaultSchedule {
  rateLimitEvery = 0;
  errorEvery = 0;
  private readonly queued: { status: FaultStatus; remaining: number; pathPrefix: string; wait: number }[] = [];

  constructor(private readonly defaultWait: number) {}

  protected add(status: FaultStatus, times = 1, pathPrefix = '', wait = this.defaultWait): void {
    this.queued.push({ status, remaining: times, pathPrefix: pathPrefix.toLowerCase(), wait });
  }

  /** The fault due for the `n`th request (1-based) to `url`, or null to serve it normally. */
  protected due(n: number, url: string): { status: FaultStatus; wait: number } | null {
    const path = url.toLowerCase();
    const hit = this.queued.find((f) => f.remaining > 0 && path.startsWith(f.pathPrefix));
    if (hit) {
      hit.remaining -= 1;
      if (hit.remaining === 0) this.queued.splice(this.queued.indexOf(hit), 1);
      return { status: hit.status, wait: hit.wait };
    }
    if (this.rateLimitEvery > 0 && n % this.rateLimitEvery === 0) return { status: 429, wait: this.defaultWait };
    if (this.errorEvery > 0 && n % this.errorEvery === 0) return { status: 500, wait: 0 };
    return null;
  }
}
