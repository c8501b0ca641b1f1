// The Transform column of the Mappings tab: small, predictable conversions a coordinator can
// name. A value that cannot be converted is an error with a reason, never a silent guess
// (a date like 03/04/2025 is refused rather than read the American or the Australian way).

import type { Cell } from './ports';
import type { Transform } from './config/types';

export type TransformResult = { ok: true; value: Cell } | { ok: false; reason: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function text(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return String(cell);
}

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Reads a calendar date (and an optional time) without guessing the order of day and month. */
function parseDateParts(value: Cell): { date: string; time: string | null } | string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return 'is not a valid date';
    const date = `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
    const time = `${pad(value.getHours())}:${pad(value.getMinutes())}:${pad(value.getSeconds())}`;
    return { date, time };
  }
  const s = text(value).trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validDate(y, mo, d)) return `"${s}" is not a real date`;
    const time = m[4] === undefined ? null : `${pad(Number(m[4]))}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}`;
    return { date: `${y}-${pad(mo)}-${pad(d)}`, time };
  }
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    let mo: number;
    let d: number;
    if (a > 12 && b <= 12) [d, mo] = [a, b];
    else if (b > 12 && a <= 12) [mo, d] = [a, b];
    else if (a === b) [d, mo] = [a, b];
    else return `"${s}" could be read as day/month or month/day; write it as yyyy-mm-dd`;
    if (!validDate(y, mo, d)) return `"${s}" is not a real date`;
    return { date: `${y}-${pad(mo)}-${pad(d)}`, time: null };
  }
  m = /^(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})$/i.exec(s) ?? null;
  const named = m ? { d: Number(m[1]), mon: m[2]!, y: Number(m[3]) } : null;
  const m2 = named ? null : /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(s);
  const parts = named ?? (m2 ? { d: Number(m2[2]), mon: m2[1]!, y: Number(m2[3]) } : null);
  if (parts) {
    const mo = MONTHS.indexOf(parts.mon.toLowerCase()) + 1;
    if (mo === 0 || !validDate(parts.y, mo, parts.d)) return `"${s}" is not a real date`;
    return { date: `${parts.y}-${pad(mo)}-${pad(parts.d)}`, time: null };
  }
  return `"${s}" is not a date (write it as yyyy-mm-dd)`;
}

export function applyTransform(transform: Transform | null, value: Cell): TransformResult {
  if (transform === null) return { ok: true, value };
  if (value === null || (typeof value === 'string' && value.trim() === '')) return { ok: true, value: typeof value === 'string' ? '' : null };
  switch (transform) {
    case 'trim':
      return { ok: true, value: typeof value === 'string' ? value.trim() : value };
    case 'lower':
      return { ok: true, value: text(value).toLowerCase() };
    case 'upper':
      return { ok: true, value: text(value).toUpperCase() };
    case 'number': {
      if (typeof value === 'number') return { ok: true, value };
      const s = text(value).trim().replace(/[\s,$€£]/g, '');
      const n = Number(s);
      return s !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: `"${text(value)}" is not a number` };
    }
    case 'date':
    case 'datetime': {
      const p = parseDateParts(value);
      if (typeof p === 'string') return { ok: false, reason: p };
      if (transform === 'date') return { ok: true, value: p.date };
      return { ok: true, value: `${p.date}T${p.time ?? '00:00:00'}` };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      const s = text(value).trim().toLowerCase();
      if (['true', 'yes', 'y', '1', 'x'].includes(s)) return { ok: true, value: true };
      if (['false', 'no', 'n', '0'].includes(s)) return { ok: true, value: false };
      return { ok: false, reason: `"${text(value)}" is not TRUE or FALSE` };
    }
    case 'phone': {
      const s = text(value).trim().replace(/\s*(?:x|ext\.?|extension)\s*\d+$/i, '');
      const international = s.startsWith('+') || s.startsWith('00');
      const digits = s.replace(/\D/g, '').replace(/^00/, '');
      if (digits.length < 6 || digits.length > 15) return { ok: false, reason: `"${text(value)}" is not a phone number` };
      return { ok: true, value: international ? `+${digits}` : digits };
    }
    case 'email': {
      const s = text(value).trim().toLowerCase();
      return EMAIL_RE.test(s) ? { ok: true, value: s } : { ok: false, reason: `"${text(value).trim()}" is not an email address` };
    }
  }
}
