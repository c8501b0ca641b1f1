// Reading requests the way VAN's ASP.NET front end does: HTTP Basic credentials of the form
// `applicationName:apiKey|mode`, query keys and route segments matched case-insensitively, and JSON
// bodies that must be declared as application/json.

import type { HttpRequest, HttpResponse } from '../../core/ports';
import { errors, type JsonObject } from './wire';

export function header(req: HttpRequest, name: string): string | undefined {
  const key = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === key) return v;
  return undefined;
}

export interface SplitUrl {
  /** The path without the query string, e.g. '/people/100000001'. */
  path: string;
  /** The value of a query key, the key matched case-insensitively ('$expand' = '$EXPAND'). */
  param(name: string): string | null;
}

export function splitUrl(url: string): SplitUrl {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const entries = q < 0 ? [] : [...new URLSearchParams(url.slice(q + 1))];
  return {
    path,
    param(name) {
      const key = name.toLowerCase();
      return entries.find(([k]) => k.toLowerCase() === key)?.[1] ?? null;
    },
  };
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/** The decoded `Authorization: Basic …` header, or null when there is none or it is malformed. */
export function basicCredentials(req: HttpRequest): BasicCredentials | null {
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header(req, 'authorization') ?? '');
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The JSON object a POST carries. Missing/other Content-Type: the docs insist on application/json
 * but no refusal body is public; Web API answers a body it has no formatter for with 415, so 415 it
 * is, in VAN's envelope (code and text are guesses). An absent body counts as `{}` only where the
 * caller allows it (/echoes); elsewhere, like malformed JSON, it is a 400 (guessed wording).
 */
export function jsonBody(req: HttpRequest, o: { emptyIsObject?: boolean } = {}): { body: JsonObject } | { error: HttpResponse } {
  const raw = req.body ?? '';
  if (raw.trim() === '') {
    if (o.emptyIsObject) return { body: {} };
    return { error: errors(400, [{ code: 'BAD_REQUEST', text: 'A request body is required.' }]) };
  }
  const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && type !== 'text/json') {
    const shown = type === '' ? 'application/octet-stream' : type;
    return {
      error: errors(415, [
        { code: 'UNSUPPORTED_MEDIA_TYPE', text: `The request entity's media type '${shown}' is not supported for this resource.`, hint: 'Set the Content-Type header to application/json.' },
      ]),
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { error: errors(400, [{ code: 'BAD_REQUEST', text: 'The request body is not valid JSON.' }]) };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { error: errors(400, [{ code: 'BAD_REQUEST', text: 'The request body must be a JSON object.' }]) };
  }
  return { body: parsed as JsonObject };
}

/** A route's integer segment as Web API's {id:int} constraint reads it; null = the route does not match. */
export function int32Segment(segment: string): number | null {
  if (!/^-?\d+$/.test(segment)) return null;
  const n = Number(segment);
  return n > 2147483647 || n < -2147483648 ? null : n;
}

/** The same for a {id:long} route: export job ids run past 2^31 (Parsons' mock has 2170181229). */
export function int64Segment(segment: string): number | null {
  if (!/^-?\d+$/.test(segment)) return null;
  const n = Number(segment);
  return Number.isSafeInteger(n) ? n : null;
}
