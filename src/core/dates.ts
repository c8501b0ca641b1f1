// Date formatting the engine needs without Node or Apps Script helpers: the date in the
// spreadsheet's time zone for {{today}}, and ISO times for the report.

/** yyyy-mm-dd of the instant in the given IANA time zone (e.g. "America/New_York"). */
export function dateInZone(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** ISO 8601 in UTC to the second: "2026-11-23T19:03:52Z". */
export function isoSeconds(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A run id that sorts in time order: "20261123-190352". */
export function runId(instant: Date): string {
  return isoSeconds(instant).replace(/[-:]/g, '').replace('T', '-').replace('Z', '');
}
