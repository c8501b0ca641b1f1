// What EveryAction answers when something goes wrong — the `errors[]` envelope, an IIS HTML page,
// or a raw ASP.NET exception — turned into a sentence a coordinator can act on.

import { z } from 'zod';
import type { HttpResponse } from '../../core/ports';
import { HttpError } from '../../core/errors';
import { pageText } from '../../core/service-error';

export const ErrorEnvelope = z.object({
  errors: z.array(
    z.object({
      code: z.string().optional(),
      text: z.string().optional(),
      properties: z.array(z.string()).optional(),
      hint: z.string().optional(),
      referenceCode: z.string().optional(),
    }),
  ),
});

const AspNetError = z.object({ message: z.string().optional(), exceptionMessage: z.string().optional() });

/** An EveryAction failure with a message fit for the Sync Report. */
export class EveryActionError extends HttpError {
  override name = 'EveryActionError';
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** EveryAction's own words: every error's text (with the field it names), else the page's title. */
export function everyActionMessage(res: HttpResponse): string {
  const json = parse(res.body);
  const env = ErrorEnvelope.safeParse(json);
  if (env.success && env.data.errors.length > 0) {
    return env.data.errors
      .map((e) => {
        const text = (e.text ?? e.code ?? '').trim();
        const ref = e.referenceCode ? ` (reference ${e.referenceCode})` : '';
        return `${text}${ref}`;
      })
      .join('; ');
  }
  const asp = AspNetError.safeParse(json);
  if (asp.success && (asp.data.exceptionMessage || asp.data.message)) return (asp.data.exceptionMessage ?? asp.data.message)!.trim();
  return pageText(res.body);
}

/** "Rate limit exceeded. Try again in 30 ms." → 30 (EveryAction sends no Retry-After header). */
export function waitFromText(res: HttpResponse): number | null {
  if (res.status !== 429) return null;
  const m = /try again in\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?)\b/i.exec(res.body);
  if (!m) return null;
  const n = Number(m[1]);
  return /^s/i.test(m[2]!) ? n * 1000 : n;
}

export function describeFailure(res: HttpResponse, what: string, connection: string, mode = 'MyCampaign'): string {
  const said = everyActionMessage(res);
  const tail = said ? ` EveryAction said: "${said}"` : '';
  if (res.status === 0) return `Could not reach EveryAction while ${what}: ${res.body}`;
  if (res.status === 401) {
    const other = mode === 'VoterFile' ? 'MyCampaign' : 'VoterFile';
    return `EveryAction did not accept the application name and API key of connection "${connection}" while ${what}. Check the API key and Username (the application name), and that the key was issued for ${mode}: a key works in one database mode only (MyCampaign or VoterFile), so a ${other} key is refused when Mode is ${mode}.`;
  }
  if (res.status === 403) return `EveryAction does not allow this API key to do this (${what}).${tail}`;
  if (res.status === 404) return `EveryAction found nothing at this address while ${what}.${tail}`;
  if (res.status === 429) return `EveryAction kept asking us to slow down (HTTP 429) while ${what}, even after waiting and retrying.`;
  if (res.status >= 500) return `EveryAction had a server error (HTTP ${res.status}) while ${what}, even after retrying.${tail}`;
  return `EveryAction refused it (HTTP ${res.status}) while ${what}.${tail}`;
}
