// Reading requests the way IIS and ASP.NET do: query-string and form keys match case-insensitively
// (QueryName = queryname, Username = username), header names too.

import type { HttpRequest } from '../../core/ports';

/** Every value of a query-string or form key, ignoring the key's case, in the order given. */
export class CaseInsensitiveParams {
  private readonly entries: [string, string][];
  private readonly original: { name: string; value: string }[];

  constructor(encoded: string) {
    this.original = [...new URLSearchParams(encoded)].map(([name, value]) => ({ name, value }));
    this.entries = this.original.map(({ name, value }) => [name.toLowerCase(), value]);
  }

  /** Every key and value in the order given, keys spelt as the client spelt them. */
  list(): { name: string; value: string }[] {
    return this.original.map((e) => ({ ...e }));
  }

  get(name: string): string | null {
    const key = name.toLowerCase();
    return this.entries.find(([k]) => k === key)?.[1] ?? null;
  }

  getAll(name: string): string[] {
    const key = name.toLowerCase();
    return this.entries.filter(([k]) => k === key).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }
}

export function splitUrl(url: string): { path: string; query: CaseInsensitiveParams } {
  const q = url.indexOf('?');
  return q < 0
    ? { path: url, query: new CaseInsensitiveParams('') }
    : { path: url.slice(0, q), query: new CaseInsensitiveParams(url.slice(q + 1)) };
}

export function header(req: HttpRequest, name: string): string | undefined {
  const key = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === key) return v;
  return undefined;
}

/** The bearer token of an `Authorization: Bearer <token>` header (scheme case-insensitive). */
export function bearerToken(req: HttpRequest): string | null {
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  return m?.[1] ?? null;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

/** Limit and Offset of a paged GET: 100 by default, at most 500, as iMIS pages every list. */
export function pageParams(query: CaseInsensitiveParams): { offset: number; limit: number } {
  const askedLimit = intParam(query.get('Limit'));
  const limit = askedLimit === null || askedLimit <= 0 ? DEFAULT_LIMIT : Math.min(askedLimit, MAX_LIMIT);
  const askedOffset = intParam(query.get('Offset'));
  const offset = askedOffset === null || askedOffset < 0 ? 0 : askedOffset;
  return { offset, limit };
}

/** A whole number from a query-string value, or null when it is missing or not a number. */
export function intParam(raw: string | null): number | null {
  if (raw === null || !/^\s*-?\d+\s*$/.test(raw)) return null;
  return Number.parseInt(raw, 10);
}
