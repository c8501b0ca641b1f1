// The NGP VAN API v4 wire format as the simulator sends it: the standard error envelope, the match
// stubs of the people endpoints, IIS's own HTML pages for requests that never reach the API, and the
// date formats. Shapes follow the recorded sandbox traffic in shared/research/everyaction/; anything
// no recording shows is marked as a guess where it is built.

import type { HttpResponse } from '../../core/ports';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

/** One entry of the `errors` array (research §6). Optional members are left out when absent. */
export interface ApiError {
  code: string;
  text: string;
  properties?: string[];
  hint?: string;
  referenceCode?: string;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function json(status: number, body: JsonValue, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'text/html', ...headers }, body };
}

/** The envelope every failing endpoint uses: `{"errors":[…]}` with status 400 or more. */
export function errors(status: number, list: ApiError[], headers: Record<string, string> = {}): HttpResponse {
  const body = list.map((e) => {
    const out: JsonObject = { code: e.code, text: e.text };
    if (e.properties) out['properties'] = e.properties;
    if (e.hint !== undefined) out['hint'] = e.hint;
    if (e.referenceCode !== undefined) out['referenceCode'] = e.referenceCode;
    return out;
  });
  return json(status, { errors: body }, headers);
}

export function invalid(text: string, property?: string, hint?: string): ApiError {
  const e: ApiError = { code: 'INVALID_PARAMETER', text };
  if (property !== undefined) e.properties = [property];
  if (hint !== undefined) e.hint = hint;
  return e;
}

/**
 * No public verbatim 401 body exists (research/everyaction/README.md). The code UNAUTHORIZED is the
 * one van-openapi lists; the text is ASP.NET Web API's stock AuthorizeAttribute message, a guess.
 * A bad key, a missing `|mode` and a mode the key lacks all look the same (research §1).
 */
export function unauthorized(): HttpResponse {
  return errors(401, [{ code: 'UNAUTHORIZED', text: 'Authorization has been denied for this request.' }]);
}

/** Recorded for GET and POST /people/{vanId} with an unknown, zero or negative id. */
export function notFound(): HttpResponse {
  return errors(404, [{ code: 'NOT_FOUND', text: 'The specified resource cannot be found.' }]);
}

/** Wording is a guess (Web API's stock message inside VAN's envelope); the code is one van-openapi lists. */
export function methodNotAllowed(method: string): HttpResponse {
  return errors(405, [{ code: 'METHOD_NOT_ALLOWED', text: `The requested resource does not support http method '${method}'.` }]);
}

/** The match stub that accompanies 302 (find, findOrCreate, update) and 201 (findOrCreate create). */
export function matchStub(status: 201 | 302, vanId: number, location: string): HttpResponse {
  return json(status, { vanId, status: status === 302 ? 'Matched' : 'UnmatchedStored' }, { location });
}

/** POST /people/find with no match: a 404 match stub, not the error envelope. */
export function unmatched(): HttpResponse {
  return json(404, { vanId: null, status: 'Unmatched' });
}

/**
 * IIS's own page for a path no route matches (a non-integer vanId): HTML, not JSON. The recording in
 * van-openapi is truncated after the <h3>; the rest is IIS's standard 404 page.
 */
export function iisNotFound(): HttpResponse {
  return html(
    404,
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n' +
      '<html xmlns="http://www.w3.org/1999/xhtml">\r\n<head>\r\n' +
      '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>\r\n' +
      '<title>404 - File or directory not found.</title>\r\n' +
      '<style type="text/css">\r\n<!--\r\n' +
      'body{margin:0;font-size:.7em;font-family:Verdana, Arial, Helvetica, sans-serif;background:#EEEEEE;}\r\n' +
      'fieldset{padding:0 15px 10px 15px;} \r\nh1{font-size:2.4em;margin:0;color:#FFF;}\r\n' +
      'h2{font-size:1.7em;margin:0;color:#CC0000;} \r\nh3{font-size:1.2em;margin:10px 0 0 0;color:#000000;} \r\n' +
      '#header{width:96%;margin:0 0 0 0;padding:6px 2% 6px 2%;font-family:"trebuchet MS", Verdana, sans-serif;color:#FFF;\r\n' +
      'background-color:#555555;}\r\n#content{margin:0 0 0 2%;position:relative;}\r\n' +
      '.content-container{background:#FFF;width:96%;margin-top:8px;padding:10px;position:relative;}\r\n-->\r\n</style>\r\n' +
      '</head>\r\n<body>\r\n<div id="header"><h1>Server Error</h1></div>\r\n<div id="content">\r\n' +
      ' <div class="content-container"><fieldset>\r\n  <h2>404 - File or directory not found.</h2>\r\n' +
      '  <h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3>\r\n' +
      ' </fieldset></div>\r\n</div>\r\n</body>\r\n</html>\r\n',
  );
}

/** `2026-01-01T00:00:00Z`: VAN's timestamps carry minute resolution and a Z (recorded dateCreated). */
export function vanTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}:00Z`;
}

/** `2026-01-01T00:00:00Z` with the seconds kept: the changed-entity job echoes dates this way. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** .NET's DateTime.MinValue, which VAN reports as dateAcquired for people created through the API. */
export const DOTNET_MIN_DATE = '0001-01-01T00:00:00Z';

export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
