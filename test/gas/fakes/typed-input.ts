// What Google Sheets makes of text written by setValues: it reads it as if a person typed it, in
// the spreadsheet's locale (en_US here) and time zone. Numbers in every way a person writes them
// (02134, 1,234, $1,234.50, 12%, 1e5, (45)), booleans, error literals (#N/A), dates and date-times
// in ISO, US and month-name forms with or without AM/PM, times of day, formulas; a leading
// apostrophe keeps the rest as text. Deliberately broad: a fake that coerced less than Sheets
// would let text reach a real sheet and come back as a number or a date.

export type Stored = string | number | boolean | Date;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const monthOf = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?\\s*([ap]\\.?m\\.?)?';
const ERROR_LITERAL = /^#(N\/A|REF!|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|ERROR!)$/i;

/** The instant at which the wall clock in `timeZone` shows this date and time. */
export function zonedInstant(timeZone: string, y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  let at = wall;
  // Two rounds settle the offset, daylight-saving changes included.
  for (let i = 0; i < 2; i++) at = wall - offsetMs(timeZone, at);
  return new Date(at);
}

function offsetMs(timeZone: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - (at - (at % 1000));
}

function validDay(y: number, mo: number, d: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function hours(h: string, ampm: string | undefined): number | null {
  let n = Number(h);
  if (ampm) {
    if (n < 1 || n > 12) return null;
    n = (n % 12) + (/^p/i.test(ampm) ? 12 : 0);
  }
  return n <= 23 ? n : null;
}

const fullYear = (y: string) => (y.length <= 2 ? 2000 + Number(y) - (Number(y) >= 30 ? 100 : 0) : Number(y));

/** A date (and maybe a time) a person could type, as an instant in the zone; null when it is not one. */
function asDate(t: string, timeZone: string, thisYear: number): Date | null {
  const timeTail = `(?:[ T]+${TIME})?`;
  const forms: [RegExp, (m: RegExpExecArray) => [number, number, number]][] = [
    [new RegExp(`^(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})${timeTail}$`, 'i'), (m) => [Number(m[1]), Number(m[2]), Number(m[3])]],
    [new RegExp(`^(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{2}|\\d{4})${timeTail}$`, 'i'), (m) => [fullYear(m[3]!), Number(m[1]), Number(m[2])]],
    [new RegExp(`^(\\d{1,2})/(\\d{1,2})${timeTail}$`, 'i'), (m) => [thisYear, Number(m[1]), Number(m[2])]],
    [new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${timeTail}$`, 'i'), (m) => [Number(m[3]), monthOf(m[1]!), Number(m[2])]],
    [new RegExp(`^(\\d{1,2})[-\\s]+${MONTH}[-\\s,]+(\\d{2}|\\d{4})${timeTail}$`, 'i'), (m) => [fullYear(m[3]!), monthOf(m[2]!), Number(m[1])]],
    [new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?${timeTail}$`, 'i'), (m) => [thisYear, monthOf(m[1]!), Number(m[2])]],
    [new RegExp(`^${MONTH}[-\\s]+(\\d{4})$`, 'i'), (m) => [Number(m[2]), monthOf(m[1]!), 1]],
  ];
  for (const [re, ymd] of forms) {
    const m = re.exec(t);
    if (!m) continue;
    const [y, mo, d] = ymd(m);
    if (!validDay(y, mo, d)) return null;
    // The time groups are the last four of every form that has them.
    const g = m.length >= 4 ? m.slice(-4) : [];
    if (g[0] === undefined) return zonedInstant(timeZone, y, mo, d);
    const h = hours(g[0], g[3]);
    if (h === null || Number(g[1]) > 59 || Number(g[2] ?? 0) > 59) return null;
    return zonedInstant(timeZone, y, mo, d, h, Number(g[1]), Number(g[2] ?? 0));
  }
  const time = new RegExp(`^${TIME}$`, 'i').exec(t);
  if (time) {
    const h = hours(time[1]!, time[4]);
    // A time of day alone is stored as that time on Sheets' day zero, 1899-12-30.
    if (h !== null && Number(time[2]) <= 59 && Number(time[3] ?? 0) <= 59) return zonedInstant(timeZone, 1899, 12, 30, h, Number(time[2]), Number(time[3] ?? 0));
  }
  return null;
}

/** A number a person could type (plain, grouped, currency, percent, scientific, accounting), or null. */
function asNumber(t: string): number | null {
  const neg = /^\((.*)\)$/.exec(t);
  const body = neg ? neg[1]!.trim() : t;
  const m = /^([+-]?)\s*([$€£¥])?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*(%)?$/i.exec(body);
  if (!m || (m[2] && m[4])) return null;
  let n = Number(m[3]!.replace(/,/g, '') + (m[4] !== undefined ? `e${m[4]}` : ''));
  if (m[5]) n /= 100;
  if (m[1] === '-' || neg) n = -n;
  return Number.isFinite(n) ? n : null;
}

/** Plain arithmetic formulas get a value; anything else shows an error, as a parse failure would. */
export function evaluate(formula: string): Stored {
  const body = formula.slice(1);
  if (/^[\d\s+\-*/().]+$/.test(body)) {
    try {
      const n = Function(`"use strict"; return (${body});`)() as unknown;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
    } catch {
      /* a parse error */
    }
  }
  return '#ERROR!';
}

/**
 * What a sheet makes of a value written by setValues (as if typed): `format` '@' (plain text)
 * keeps text as it is; `timeZone` is the spreadsheet's.
 */
export function interpret(v: unknown, format: string | undefined, timeZone = 'America/New_York', thisYear = 2026): { value: Stored; formula?: string } {
  if (v === null || v === undefined) return { value: '' };
  if (Object.prototype.toString.call(v) === '[object Date]') return { value: new Date((v as Date).getTime()) };
  if (typeof v === 'number' || typeof v === 'boolean') return { value: v };
  if (typeof v !== 'string') throw new Error(`fake sheet: cannot store a ${Object.prototype.toString.call(v)} in a cell`);
  if (format === '@') return { value: v };
  if (v.startsWith("'")) return { value: v.slice(1) };
  if (v.startsWith('=')) return { value: evaluate(v), formula: v };
  const t = v.trim();
  const n = asNumber(t);
  if (n !== null) return { value: n };
  if (v.startsWith('+') || v.startsWith('-')) return { value: '#ERROR!', formula: `=${v}` };
  if (/^true$/i.test(t)) return { value: true };
  if (/^false$/i.test(t)) return { value: false };
  if (ERROR_LITERAL.test(t)) return { value: t.toUpperCase() };
  const d = asDate(t, timeZone, thisYear);
  if (d) return { value: d };
  return { value: v };
}
