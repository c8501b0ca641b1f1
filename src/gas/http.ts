// Http over UrlFetchApp.fetchAll: errors muted so every status comes back as a response, and
// redirects not followed (EveryAction answers 302 for "matched").

import type { Http, HttpRequest, HttpResponse } from '../core/ports';

function lowerHeaders(h: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

export const urlFetchHttp: Http = {
  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    if (requests.length === 0) return [];
    const params = requests.map((r) => {
      const headers = { ...r.headers };
      const contentType = headers['Content-Type'];
      delete headers['Content-Type'];
      const p: GoogleAppsScript.URL_Fetch.URLFetchRequest = {
        url: r.url,
        method: r.method.toLowerCase() as GoogleAppsScript.URL_Fetch.HttpMethod,
        headers,
        muteHttpExceptions: true,
        followRedirects: false,
      };
      if (contentType) p.contentType = contentType;
      if (r.body !== undefined) p.payload = r.body;
      return p;
    });
    try {
      return UrlFetchApp.fetchAll(params).map((res) => ({
        status: res.getResponseCode(),
        headers: lowerHeaders(res.getAllHeaders()),
        body: res.getContentText(),
      }));
    } catch (e) {
      // fetchAll throws for the whole batch when a host cannot be reached at all.
      const reason = e instanceof Error ? e.message : String(e);
      return requests.map(() => ({ status: 0, headers: {}, body: `could not reach the server: ${reason}` }));
    }
  },
};
