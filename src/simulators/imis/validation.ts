// How the simulator checks what a client writes (contacts and panel rows) and how it says no: the
// 400 ValidationResultsData body, the rules for typed values (wrapped `{$type,$value}` or plain, as
// clients send both), reading JSON bodies, and one-shot rejections a test can queue.
//
// The ValidationResultsData body is INFERRED: no verbatim iMIS validation body has been captured
// (shared/research/imis/README.md says so). It is built from ASI's contract naming and from what
// clients read, `Errors.$values[0].Message`; the field set beyond Message is a guess.

import type { HttpRequest, HttpResponse } from '../../core/ports';
import { TYPE, httpError, json, type JsonObject, type JsonValue } from './wire';

/** The 400 body for failed validation, one Errors entry per message. */
export function validationResults(messages: readonly string[]): JsonObject {
  return {
    $type: TYPE.validationResults,
    Errors: {
      $type: TYPE.validationResultCollection,
      $values: messages.map((Message) => ({ $type: TYPE.validationResult, Message, ResultType: 'Error' })),
    },
    Warnings: { $type: TYPE.validationResultCollection, $values: [] },
  };
}

export function validationFailure(messages: readonly string[]): HttpResponse {
  return json(400, validationResults(messages));
}

// ---------------------------------------------------------------------------------------------
// Request bodies

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The items of a `{$type, $values: [...]}` collection, or of a plain array (Json.NET takes both). */
export function collectionItems(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (isObject(v) && Array.isArray(v.$values)) return v.$values;
  return null;
}

/**
 * The JSON body of a write. A body that does not parse gets iMIS's generic 500, as reported on the
 * forum for a malformed PUT /api/Party; an empty body is a 400 (the wording is a guess).
 */
export function readJsonBody(req: HttpRequest): { body: unknown } | { response: HttpResponse } {
  const raw = req.body ?? '';
  if (raw.trim() === '') return { response: json(400, httpError('The request is invalid.', 'The request body is empty.')) };
  try {
    return { body: JSON.parse(raw) as unknown };
  } catch {
    return { response: json(500, httpError('An error occurred. Please contact the administrator.')) };
  }
}

/** A deep copy of JSON data (what the store hands out, so callers can never edit it in place). */
export function cloneJson<T extends JsonValue>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

// ---------------------------------------------------------------------------------------------
// Typed values

/** A business object property's type, as BOEntityDefinitionData's PropertyTypeName names it. */
export type PropertyTypeName = 'String' | 'Integer' | 'Boolean' | 'Date' | 'Decimal';

/** A property value as the simulator stores it: unwrapped, dates as 'yyyy-mm-ddThh:mm:ss'. */
export type StoredValue = string | number | boolean | null;

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,7})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO date or date-time as iMIS gives it back: no time zone, midnight when no time is given
 * ('2024-03-01' → '2024-03-01T00:00:00'). A zone designator is dropped, keeping the wall-clock time
 * (a guess: .NET would convert to the server's zone). Null when it is not a real date.
 */
export function normaliseDate(raw: string): string | null {
  const m = DATE.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = ''] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}`;
}

/** Good enough to tell 'ann@example.org' from 'ann@', 'ann example.org' or 'ann@@x.org'. */
export function isValidEmail(s: string): boolean {
  return /^[^\s@"<>()\[\],;:]+@[^\s@"<>()\[\],;:]+\.[^\s@"<>()\[\],;:.]{2,}$/.test(s) && !s.includes('..');
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * A value a client sent for a typed property, unwrapped and checked. Both `{"$type":"System.Int32",
 * "$value":2}` and a plain `2` or `"2"` are accepted (ASI's examples wrap, other clients send plain
 * values and report success). An empty string clears a non-text property (a guess).
 */
export function normaliseTyped(type: PropertyTypeName, given: unknown): { ok: true; value: StoredValue } | { ok: false; shown: string } {
  const raw = isObject(given) && '$value' in given ? given.$value : given;
  if (raw === null || raw === undefined) return { ok: true, value: null };
  const shown = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  const bad = { ok: false as const, shown };
  if (type !== 'String' && raw === '') return { ok: true, value: null };
  switch (type) {
    case 'String':
      return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? { ok: true, value: String(raw) } : bad;
    case 'Integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX ? { ok: true, value: n } : bad;
    }
    case 'Decimal': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(raw) ? Number(raw) : NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : bad;
    }
    case 'Boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string' && /^\s*(true|false)\s*$/i.test(raw)) return { ok: true, value: raw.trim().toLowerCase() === 'true' };
      return bad;
    case 'Date': {
      const d = typeof raw === 'string' ? normaliseDate(raw) : null;
      return d === null ? bad : { ok: true, value: d };
    }
  }
}

const WRAPPER: Partial<Record<PropertyTypeName, string>> = {
  Integer: 'System.Int32',
  Decimal: 'System.Decimal',
  Boolean: 'System.Boolean',
};

/** A stored value as iMIS sends it: numbers and booleans wrapped, text and dates plain, null absent. */
export function wrapTyped(type: PropertyTypeName, value: StoredValue): JsonValue | undefined {
  if (value === null) return undefined;
  const wrapper = WRAPPER[type];
  return wrapper ? { $type: wrapper, $value: value } : value;
}

/**
 * A loosely typed value (a contact's AdditionalAttributes) the way iMIS echoes one back: strings
 * plain, booleans and numbers wrapped with the .NET type they deserialise to (Int32 for whole
 * numbers is a guess: Json.NET itself would read Int64), an already wrapped value kept.
 */
export function wrapLoose(given: unknown): JsonValue | undefined {
  if (given === null || given === undefined) return undefined;
  if (typeof given === 'boolean') return { $type: 'System.Boolean', $value: given };
  if (typeof given === 'number') {
    const t = Number.isInteger(given) && given >= INT32_MIN && given <= INT32_MAX ? 'System.Int32' : 'System.Decimal';
    return { $type: t, $value: given };
  }
  return given as JsonValue;
}

// ---------------------------------------------------------------------------------------------
// One-shot rejections for tests

interface QueuedRejection {
  pathPrefix: string;
  message: string;
  remaining: number;
}

/**
 * Validation failures queued by tests: the next `times` writes (POST/PUT/DELETE) whose path starts
 * with the prefix answer 400 with this message, as iMIS does for data it will not store.
 */
export class Rejections {
  private readonly queued: QueuedRejection[] = [];

  queue(pathPrefix: string, message: string, times = 1): void {
    this.queued.push({ pathPrefix: pathPrefix.toLowerCase(), message, remaining: times });
  }

  take(method: HttpRequest['method'], url: string): HttpResponse | null {
    if (method === 'GET') return null;
    const path = url.toLowerCase();
    const hit = this.queued.find((r) => r.remaining > 0 && path.startsWith(r.pathPrefix));
    if (!hit) return null;
    hit.remaining -= 1;
    if (hit.remaining === 0) this.queued.splice(this.queued.indexOf(hit), 1);
    return validationFailure([hit.message]);
  }
}
