// Turns what iMIS answers when something goes wrong into a sentence a coordinator can act on.

import type { HttpResponse } from '../../core/ports';
import { codeForStatus, HttpError } from '../../core/errors';
import { pageText } from '../../core/service-error';
import type { RowOutcome } from '../../core/push/types';
import type { FieldChange } from '../../core/results';
import { ErrorBody, OAuthError } from './schemas';

/** An iMIS failure with a message fit for the Sync Report. */
export class ImisError extends HttpError {
  override name = 'ImisError';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The server's own words, from a JSON error body or the title/text of an HTML page. */
export function serverMessage(res: HttpResponse): string {
  const json = parseJson(res.body);
  const err = ErrorBody.safeParse(json);
  if (err.success) {
    const first = err.data.Errors?.$values.find((e) => e.Message)?.Message;
    const msg = first ?? err.data.ExceptionMessage ?? err.data.Message;
    if (msg) return msg.trim();
  }
  const oauth = OAuthError.safeParse(json);
  if (oauth.success) return (oauth.data.error_description ?? oauth.data.error).trim();
  return pageText(res.body);
}

/**
 * A row that failed on this answer: 400 is iMIS refusing the row's values (in its own words),
 * anything else is described as the request that failed, coded by its status.
 */
export function failedRow(res: HttpResponse, what: string, site: string, changes: FieldChange[] = []): RowOutcome {
  const message = res.status === 400 ? `iMIS refused it: ${serverMessage(res)}` : describeFailure(res, what, site);
  return { outcome: 'Failed', changes, message, code: codeForStatus(res.status) };
}

/** A plain sentence for a failed request; `what` names the thing being done ("reading the query …"). */
export function describeFailure(res: HttpResponse, what: string, site: string): string {
  const said = serverMessage(res);
  const tail = said ? ` iMIS said: "${said}"` : '';
  if (res.status === 0) return `Could not reach iMIS at ${site} while ${what}: ${res.body}`;
  if (res.status === 401) return `iMIS refused access while ${what}: the user may lack the staff or RemoteService role, or the session ended.${tail}`;
  if (res.status === 403) return `iMIS does not allow this user to do this (${what}).${tail}`;
  if (res.status === 404) return `iMIS found nothing at this address while ${what}.${tail}`;
  if (res.status === 429) return `iMIS kept asking us to slow down (HTTP 429) while ${what}, even after waiting and retrying.`;
  if (res.status >= 500) return `iMIS had a server error (HTTP ${res.status}) while ${what}, even after retrying.${tail}`;
  return `iMIS rejected the request (HTTP ${res.status}) while ${what}.${tail}`;
}
