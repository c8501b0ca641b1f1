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

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields [year, month (1–12), day, hour, minute, second] of an instant in a zone. */
export function wallClock(instant: Date, timeZone: string): [number, number, number, number, number, number] {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const get = (parts: Intl.DateTimeFormatPart[], type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const parts = f.formatToParts(instant);
  return [get(parts, 'year'), get(parts, 'month'), get(parts, 'day'), get(parts, 'hour'), get(parts, 'minute'), get(parts, 'second')];
}

/**
 * A Date whose local fields (getFullYear, getDate, getHours, … in the runtime's zone) show what
 * the instant's wall clock shows in `timeZone`. Apps Script's runtime works in the script's zone,
 * but a sheet's date means what the spreadsheet's zone shows: 1980-05-17 in a Melbourne sheet is
 * 1980-05-16 at 10:00 to a script in New York.
 */
export function localFromZone(instant: Date, timeZone: string): Date {
  const [y, mo, d, h, mi, s] = wallClock(instant, timeZone);
  const out = new Date(y, mo - 1, d, h, mi, s, instant.getMilliseconds());
  // Years 0–99 would otherwise be read as 1900–1999.
  if (y < 100) out.setFullYear(y);
  return out;
}

/** The inverse of localFromZone: the instant at which `timeZone` shows the Date's local fields. */
export function zoneFromLocal(local: Date, timeZone: string): Date {
  let at = local.getTime();
  // Each round corrects by how far the zone's wall clock is from the wanted one; two settle it,
  // daylight-saving changes included.
  for (let i = 0; i < 3; i++) {
    const shown = localFromZone(new Date(at), timeZone).getTime();
    if (shown === local.getTime()) break;
    at += local.getTime() - shown;
  }
  return new Date(at);
}
