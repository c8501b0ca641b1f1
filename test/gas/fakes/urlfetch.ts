// A fake UrlFetchApp answered in-process by the simulators, mounted by path prefix (the host is
// ignored). As in Apps Script: a status of 400 or more throws unless muteHttpExceptions is set,
// redirects are followed unless followRedirects is false, contentType becomes the Content-Type
// header, and every request of a fetchAll runs "in parallel": a call costs the fake clock one
// latency, however many requests it carries.

import type { HttpRequest, HttpResponse } from '../../../src/core/ports';
import { pathAndQuery, routeByPrefix, type Handler } from '../../../src/simulators/router';
import { counted } from './calls';
import type { FakeClock } from './clock';
import type { Execution } from './execution';

export interface SentRequest {
  method: string;
  url: string;
  /** Headers as sent, Content-Type and Apps Script's User-Agent included. */
  headers: Record<string, string>;
  payload?: string;
  muteHttpExceptions: boolean;
  followRedirects: boolean;
  status: number;
  at: number;
  exec: number;
}

export class FakeInternet {
  readonly requests: SentRequest[] = [];
  /** Fake-clock milliseconds each fetch/fetchAll call takes. */
  latencyMs = 0;
  /** Called before each request is answered (e.g. to start an overlapping execution). */
  onRequest: ((req: SentRequest, exec: Execution) => void) | null = null;
  /** Hosts that cannot be reached: fetch throws, as for a DNS failure. */
  readonly unreachable = new Set<string>();
  private route: Handler;

  constructor(private routes: Record<string, Handler> = {}) {
    this.route = routeByPrefix(routes);
  }

  mount(prefix: string, handler: Handler): void {
    this.routes = { ...this.routes, [prefix]: handler };
    this.route = routeByPrefix(this.routes);
  }

  answer(req: HttpRequest): HttpResponse {
    return this.route({ ...req, url: pathAndQuery(req.url) });
  }
}

interface FetchParams {
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  payload?: unknown;
  contentType?: string;
  muteHttpExceptions?: boolean;
  followRedirects?: boolean;
  validateHttpsCertificates?: boolean;
  escaping?: boolean;
}

const KNOWN = new Set(['url', 'method', 'headers', 'payload', 'contentType', 'muteHttpExceptions', 'followRedirects', 'validateHttpsCertificates', 'escaping']);
const METHODS = new Set(['get', 'delete', 'patch', 'post', 'put']);
const USER_AGENT = 'Mozilla/5.0 (compatible; Google-Apps-Script; beanserver; +https://script.google.com; id: UAEmdDd-fake)';

function formEncode(o: Record<string, unknown>): string {
  return Object.entries(o)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

export function fakeUrlFetchApp(exec: Execution, internet: FakeInternet, clock: FakeClock) {
  const fail = (m: string) => exec.realm.exception(m);

  function one(p: FetchParams) {
    for (const k of Object.keys(p)) if (!KNOWN.has(k)) throw fail(`Attribute provided with invalid value: ${k}`);
    const url = p.url ?? '';
    if (!/^https?:\/\/[^/]+/i.test(url)) throw fail(`Invalid argument: ${url}`);
    const host = /^https?:\/\/([^/:?#]+)/i.exec(url)![1]!.toLowerCase();
    if (internet.unreachable.has(host)) throw fail(`DNS error: ${url}`);
    const method = (p.method ?? 'get').toLowerCase();
    if (!METHODS.has(method)) throw fail('Attribute provided with invalid value: method');
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
    for (const [k, v] of Object.entries(p.headers ?? {})) headers[k] = String(v);
    let payload: string | undefined;
    if (p.payload !== undefined && p.payload !== null) {
      payload = typeof p.payload === 'string' ? p.payload : formEncode(p.payload as Record<string, unknown>);
      const given = Object.keys(headers).find((h) => h.toLowerCase() === 'content-type');
      if (p.contentType) {
        if (given) delete headers[given];
        headers['Content-Type'] = p.contentType;
      } else if (!given) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const mute = p.muteHttpExceptions === true;
    const follow = p.followRedirects !== false;
    let current: HttpRequest = { method: method.toUpperCase() as HttpRequest['method'], url, headers, ...(payload !== undefined ? { body: payload } : {}) };
    let res: HttpResponse;
    for (let hops = 0; ; hops++) {
      const sent: SentRequest = {
        method: current.method,
        url: current.url,
        headers: current.headers,
        ...(current.body !== undefined ? { payload: current.body } : {}),
        muteHttpExceptions: mute,
        followRedirects: follow,
        status: 0,
        at: clock.now(),
        exec: exec.id,
      };
      internet.requests.push(sent);
      exec.called('UrlFetchApp.requests');
      internet.onRequest?.(sent, exec);
      res = internet.answer(current);
      sent.status = res.status;
      const location = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'location')?.[1];
      if (!follow || res.status < 300 || res.status >= 400 || !location || hops >= 5) break;
      current = { method: 'GET', url: new URL(location, current.url).toString(), headers: { 'User-Agent': USER_AGENT } };
    }
    if (!mute && res.status >= 400) {
      throw fail(
        `Request failed for ${url} returned code ${res.status}. Truncated server response: ${res.body.slice(0, 100)}${res.body.length > 100 ? '...' : ''} (use muteHttpExceptions option to examine full response)`,
      );
    }
    return response(res);
  }

  function response(res: HttpResponse) {
    const headers = () => exec.realm.object({ ...res.headers });
    return counted(exec, 'HTTPResponse', {
      getResponseCode: () => res.status,
      getContentText: () => res.body,
      getAllHeaders: headers,
      getHeaders: headers,
      getContent: () => exec.realm.array([...Buffer.from(res.body, 'utf8')].map((b) => (b > 127 ? b - 256 : b))),
    });
  }

  return counted(exec, 'UrlFetchApp', {
    fetch: (url: string, params: FetchParams = {}) => {
      clock.advance(internet.latencyMs);
      return one({ ...params, url });
    },
    fetchAll: (requests: (FetchParams | string)[]) => {
      if (!Array.isArray(requests)) throw fail("The parameters (Object) don't match the method signature for UrlFetchApp.fetchAll.");
      clock.advance(internet.latencyMs);
      return exec.realm.array(requests.map((r) => one(typeof r === 'string' ? { url: r } : r)));
    },
  });
}
