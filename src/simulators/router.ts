// Mounts simulator handlers under path prefixes (an iMIS site usually lives in a virtual directory
// such as https://host/imis/), and wraps them in a synchronous in-process Http so engine and
// connector tests can talk to a simulator without opening a socket.

import type { Http, HttpRequest, HttpResponse } from '../core/ports';

/**
 * One simulated service. `req.url` is the path and query relative to the mount point and always
 * starts with '/', e.g. '/token' or '/api/query?QueryName=...'.
 */
export type Handler = (req: HttpRequest) => HttpResponse;

/** '/imis/api/query?x=1' from 'http://127.0.0.1:5000/imis/api/query?x=1'; a bare path stays as it is. */
export function pathAndQuery(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(url);
  const rest = m ? (m[1] ?? '') : url;
  const noFragment = rest.split('#')[0] ?? '';
  if (noFragment === '') return '/';
  return noFragment.startsWith('/') ? noFragment : `/${noFragment}`;
}

/** Every header name lower-case, as the ports contract promises callers. */
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

/**
 * A handler for full paths that hands each request to the route whose prefix it starts with
 * (longest prefix wins, so '/imis2017/' is never swallowed by '/imis/'). A prefix ends with '/';
 * the path without that trailing slash ('/imis') reaches the route as '/'.
 */
export function routeByPrefix(routes: Record<string, Handler>): Handler {
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  return (req) => {
    const full = pathAndQuery(req.url);
    const pathOnly = full.split('?')[0] ?? '';
    for (const prefix of prefixes) {
      const mount = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
      let relative: string | null = null;
      if (full.startsWith(`${mount}/`)) relative = full.slice(mount.length);
      else if (pathOnly === mount) relative = `/${full.slice(mount.length)}`;
      if (relative === null) continue;
      const handler = routes[prefix];
      if (!handler) continue;
      return handler({ ...req, url: relative });
    }
    return {
      status: 404,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ Message: `Nothing is mounted at '${pathOnly}'. Mounted: ${Object.keys(routes).join(', ') || 'none'}.` }),
    };
  };
}

/**
 * An Http that runs every request through the mounted handlers synchronously, in order. Absolute
 * URLs are accepted (scheme and host are ignored) so connectors can be pointed at
 * 'http://imis.test/imis/' unchanged. `requests` keeps every request sent, for counting.
 */
export function inProcessHttp(routes: Record<string, Handler>): Http & { requests: HttpRequest[] } {
  const route = routeByPrefix(routes);
  const requests: HttpRequest[] = [];
  return {
    requests,
    fetchAll(batch: HttpRequest[]): HttpResponse[] {
      return batch.map((req) => {
        requests.push(req);
        const res = route({ ...req, url: pathAndQuery(req.url) });
        return { status: res.status, headers: lowerCaseHeaders(res.headers), body: res.body };
      });
    },
  };
}
