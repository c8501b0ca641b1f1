// The iMIS client: token caching and renewal, retries, plain-sentence errors, and IQA paging over
// both row shapes, checked against the real captured bodies.

import { describe, expect, it } from 'vitest';
import { ImisClient } from '../../src/connectors/imis/client';
import { flattenRow, readQuery } from '../../src/connectors/imis/iqa';
import { budgetFrom } from '../../src/core/budget';
import type { ImisConnection } from '../../src/core/config/types';
import type { HttpRequest, HttpResponse } from '../../src/core/ports';
import { capture, FakeClock, json, ScriptedHttp } from '../helpers/fakes';

const connection = (mode: 'EMS' | '2017' = 'EMS'): ImisConnection => ({
  system: 'iMIS',
  name: 'iMIS',
  url: 'https://myorg.imiscloud.com/',
  username: 'sync.user',
  mode,
  secret: 'pa$$ word',
  row: 2,
});

const TOKEN = { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 };

/** Query string values by name (case-insensitive), repeated names in order. */
function params(url: string, name: string): string[] {
  const q = url.split('?')[1] ?? '';
  return q
    .split('&')
    .map((p) => p.split('='))
    .filter(([k]) => decodeURIComponent(k!).toLowerCase() === name.toLowerCase())
    .map(([, v]) => decodeURIComponent(v!));
}

/** A paged IQA endpoint over `total` generated rows, shaped like /api/query. */
function pagedQuery(total: number) {
  return (req: HttpRequest): HttpResponse => {
    const offset = Number(params(req.url, 'Offset')[0] ?? 0);
    const limit = Math.min(Number(params(req.url, 'Limit')[0] ?? 100), 500);
    const items = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) {
      items.push({ $type: 'System.Dynamic.ExpandoObject, System.Core', ID: String(10000 + i), Email: `m${i}@example.org` });
    }
    const hasNext = offset + items.length < total;
    return json(200, {
      $type: 'Asi.Soa.Core.DataContracts.PagedResult, Asi.Contracts',
      Items: { $type: 'System.Collections.Generic.List`1[[System.Object, mscorlib]], mscorlib', $values: items },
      Offset: offset,
      Limit: limit,
      Count: items.length,
      TotalCount: total,
      NextPageLink: null,
      HasNext: hasNext,
      NextOffset: hasNext ? offset + items.length : 0,
    });
  };
}

function setup(answer: (req: HttpRequest, i: number) => HttpResponse, mode: 'EMS' | '2017' = 'EMS', budgetMs = 60_000) {
  const clock = new FakeClock();
  const http = new ScriptedHttp((req, i) => (req.url.endsWith('/token') ? json(200, TOKEN) : answer(req, i)));
  const client = new ImisClient(connection(mode), { http, clock, budget: budgetFrom(clock, budgetMs), random: () => 0.5 });
  return { clock, http, client };
}

describe('IQA rows', () => {
  it('flattens the /api/iqa GenericEntityData rows of the real capture', () => {
    const body = capture('iqa-events.json') as { Items: { $values: unknown[] } };
    const rows = body.Items.$values.map(flattenRow);
    expect(rows).toHaveLength(7);
    expect(rows[0]).not.toHaveProperty('ResultRow');
    expect(rows[0]!.EventCode).toBe('CELEBSTAFF');
    expect(rows[0]!.BeginDate).toBe('2021-02-20T18:00:00');
    // {"$type":"System.Boolean","$value":true} becomes a real boolean
    expect(rows[0]!.WebEnabled).toBe(true);
    expect(rows[0]!.WebViewOnly).toBe(false);
    // A null column has no Value key at all in the capture: it reads as empty.
    const missing = rows.flatMap((r) => Object.entries(r).filter(([, v]) => v === null).map(([k]) => k));
    expect(missing).toContain('Description');
  });

  it('flattens the /api/query ExpandoObject rows of the real capture', () => {
    const body = capture('query-userinfo.json') as { Items: { $values: unknown[] } };
    expect(body.Items.$values.map(flattenRow)).toEqual([
      { sub: '123456aa-UUID-0000-0000-000000000000', username: 'EXAMPLE@EXAMPLE.COM.AU', email: 'example@example.com', given_name: 'First', family_name: 'Last' },
    ]);
  });

  it('reads the captured /api/iqa body through readQuery on an iMIS 2017 site', () => {
    const { client, http } = setup(() => json(200, capture('iqa-events.json')), '2017');
    const result = readQuery(client, '$/ContactManagement/DefaultSystem/Queries/Advanced/Events', []);
    expect(result.endpoint).toBe('/api/iqa');
    expect(result.rows).toHaveLength(7);
    expect(result.columns.slice(0, 3)).toEqual(['EventCode', 'City', 'Zip']);
    expect(http.requests.filter((r) => r.url.includes('/api/query'))).toHaveLength(0);
  });
});

describe('IQA paging', () => {
  it('reads 1,234 rows in 3 pages of at most 500, following HasNext/NextOffset', () => {
    const { client, http } = setup(pagedQuery(1234));
    const result = readQuery(client, '$/Marketing/Lists/Active Members', ['eq:REG', '', 'x@y.org']);
    expect(result.rows).toHaveLength(1234);
    expect(result.rows[1233]!.ID).toBe('11233');
    const api = http.requests.filter((r) => r.url.includes('/api/'));
    expect(api).toHaveLength(3);
    expect(http.requests).toHaveLength(4); // 1 token + ceil(1234/500)
    for (const r of api) {
      expect(r.url.startsWith('https://myorg.imiscloud.com/api/query?')).toBe(true);
      expect(params(r.url, 'QueryName')).toEqual(['$/Marketing/Lists/Active Members']);
      expect(params(r.url, 'Limit')).toEqual(['500']);
      // prompts: one Parameter per prompt, in order, empty ones kept
      expect(params(r.url, 'Parameter')).toEqual(['eq:REG', '', 'x@y.org']);
      expect(r.headers.Authorization).toBe('Bearer tok-1');
    }
    expect(api.map((r) => params(r.url, 'Offset')[0])).toEqual(['0', '500', '1000']);
    for (const r of http.requests) expect(r.headers['Accept-Encoding']).toBe('gzip, deflate');
  });

  it('uses the server NextOffset rather than its own arithmetic, and stops when it does not advance', () => {
    let calls = 0;
    const { client } = setup((req) => {
      calls++;
      const offset = Number(params(req.url, 'Offset')[0]);
      const page = (ids: string[], next: number, hasNext: boolean) =>
        json(200, { Items: { $values: ids.map((ID) => ({ ID })) }, Offset: offset, Limit: 500, Count: ids.length, TotalCount: 3, HasNext: hasNext, NextOffset: next });
      if (offset === 0) return page(['1', '2'], 7, true);
      if (offset === 7) return page(['3'], 7, true); // a server that never advances
      return page([], 0, false);
    });
    const result = readQuery(client, '$/Q', []);
    expect(result.rows.map((r) => r.ID)).toEqual(['1', '2', '3']);
    expect(calls).toBe(2);
  });

  it('falls back to /api/iqa when an EMS site has no /api/query, and remembers it', () => {
    const { client, http } = setup((req) =>
      req.url.includes('/api/query')
        ? json(404, { Message: "No HTTP resource was found that matches the request URI 'https://x/api/query'.", MessageDetail: "No type was found that matches the controller named 'query'." })
        : json(200, capture('iqa-events.json')),
    );
    expect(readQuery(client, '$/Events', []).endpoint).toBe('/api/iqa');
    expect(readQuery(client, '$/Events', []).endpoint).toBe('/api/iqa');
    expect(http.requests.filter((r) => r.url.includes('/api/query'))).toHaveLength(1);
  });

  it('says plainly when the query does not exist', () => {
    const { client } = setup(() => json(404, { Message: 'not found' }));
    expect(() => readQuery(client, '$/Nope', [])).toThrow('iMIS could not find the query "$/Nope". Check Source in the Jobs tab');
  });

  it('explains an HTML page where data was expected (a wrong URL)', () => {
    const { client } = setup(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><head><title>Sign In</title></head><body>…</body></html>' }));
    expect(() => readQuery(client, '$/Q', [])).toThrow(/not data .*Sign In.*Check URL in the Connections tab/);
  });
});

describe('iMIS token', () => {
  it('asks for a token with the password grant, form-encoded, at {base}/token', () => {
    const { client, http } = setup(pagedQuery(1));
    readQuery(client, '$/Q', []);
    const token = http.requests[0]!;
    expect(token.method).toBe('POST');
    expect(token.url).toBe('https://myorg.imiscloud.com/token');
    expect(token.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(token.body).toBe('grant_type=password&username=sync.user&password=pa%24%24%20word');
  });

  it('is cached until expires_in, then renewed', () => {
    const { client, http, clock } = setup(pagedQuery(1));
    readQuery(client, '$/Q', []);
    readQuery(client, '$/Q', []);
    expect(http.requests.filter((r) => r.url.endsWith('/token'))).toHaveLength(1);
    clock.advance(3600 * 1000);
    readQuery(client, '$/Q', []);
    expect(http.requests.filter((r) => r.url.endsWith('/token'))).toHaveLength(2);
  });

  it('on a 401 gets a fresh token once and repeats the request', () => {
    let tokens = 0;
    const clock = new FakeClock();
    const http = new ScriptedHttp((req) => {
      if (req.url.endsWith('/token')) return json(200, { ...TOKEN, access_token: `tok-${++tokens}` });
      if (req.headers.Authorization === 'Bearer tok-1') return json(401, { $type: 'System.Web.Http.HttpError, System.Web.Http', Message: 'Authorization has been denied for this request.' });
      return pagedQuery(3)(req);
    });
    const client = new ImisClient(connection(), { http, clock, budget: budgetFrom(clock, 60_000) });
    expect(readQuery(client, '$/Q', []).rows).toHaveLength(3);
    expect(tokens).toBe(2);
    expect(http.requests.map((r) => (r.url.endsWith('/token') ? 'token' : r.headers.Authorization))).toEqual(['token', 'Bearer tok-1', 'token', 'Bearer tok-2']);
  });

  it('a 401 that persists with a fresh token is reported, not retried forever', () => {
    const { client, http } = setup(() => json(401, { Message: 'Authorization has been denied for this request.' }));
    expect(() => readQuery(client, '$/Q', [])).toThrow(/iMIS refused access .*RemoteService role.*Authorization has been denied/);
    expect(http.requests).toHaveLength(4); // token, 401, token, 401
  });

  it('a wrong password says the user name or password was rejected', () => {
    const clock = new FakeClock();
    const http = new ScriptedHttp(() => json(400, { error: 'invalid_grant', error_description: 'The user name or password is incorrect.' }));
    const client = new ImisClient(connection(), { http, clock, budget: budgetFrom(clock, 60_000) });
    expect(() => readQuery(client, '$/Q', [])).toThrow(
      'iMIS rejected the user name or password for connection "iMIS" (user "sync.user"). Check Username in the Connections tab and set the password again.',
    );
    expect(http.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('waits as long as Retry-After says on a 429, then carries on', () => {
    let n = 0;
    const { client, clock } = setup((req) => (++n === 1 ? json(429, { Message: 'Too many requests' }, { 'retry-after': '3' }) : pagedQuery(1)(req)));
    expect(readQuery(client, '$/Q', []).rows).toHaveLength(1);
    expect(clock.sleeps).toEqual([3000]);
  });

  it('backs off exponentially on 5xx and gives up after 5 attempts with iMIS’s message', () => {
    const { client, clock, http } = setup(() => json(500, { Message: 'An error occurred. Please contact the administrator.' }));
    expect(() => readQuery(client, '$/Q', [])).toThrow(
      'iMIS had a server error (HTTP 500) while reading the query $/Q, even after retrying. iMIS said: "An error occurred. Please contact the administrator."',
    );
    expect(http.requests.filter((r) => r.url.includes('/api/'))).toHaveLength(5);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  it('does not wait past the time budget', () => {
    const { client, clock } = setup(() => json(503, { Message: 'busy' }, { 'retry-after': '120' }), 'EMS', 30_000);
    expect(() => readQuery(client, '$/Q', [])).toThrow(/HTTP 503/);
    expect(clock.sleeps).toEqual([]);
  });

  it('treats no answer at all as retryable and then names the site', () => {
    const { client } = setup(() => ({ status: 0, headers: {}, body: 'could not reach myorg.imiscloud.com: no such host name was found (check the URL)' }));
    expect(() => readQuery(client, '$/Q', [])).toThrow(/Could not reach iMIS at https:\/\/myorg.imiscloud.com\/ while reading the query \$\/Q: could not reach/);
  });
});
