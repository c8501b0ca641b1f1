// The iMIS simulator against the real wire format: token issue and expiry, both IQA row shapes
// compared with the captured research bodies, paging, prompts, the 2017 site, and injected faults.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { HttpRequest, HttpResponse } from '../../src/core/ports';
import { DEMO_QUERIES, ImisSimulator } from '../../src/simulators/imis/index';
import { inProcessHttp, routeByPrefix } from '../../src/simulators/router';

// Unchanged copies of shared/research/imis/iqa-response-genericentity.json and query-response-expando.json.
const capture = (name: string) => JSON.parse(readFileSync(new URL(`../../src/simulators/imis/captures/${name}`, import.meta.url), 'utf8'));
const capturedEvents = capture('iqa-events.json');
const capturedUserInfo = capture('query-userinfo.json');

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

function send(sim: ImisSimulator, method: HttpRequest['method'], url: string, headers: Record<string, string> = {}, body?: string): HttpResponse {
  return sim.handle(body === undefined ? { method, url, headers } : { method, url, headers, body });
}

function tokenFor(sim: ImisSimulator): string {
  const res = send(sim, 'POST', '/token', FORM, 'grant_type=password&username=sync.user&password=demo-password');
  expect(res.status).toBe(200);
  return JSON.parse(res.body).access_token;
}

function get(sim: ImisSimulator, url: string, token = tokenFor(sim)): { status: number; json: any; res: HttpResponse } {
  const res = send(sim, 'GET', url, { Authorization: `Bearer ${token}`, Accept: 'application/json' });
  return { status: res.status, json: JSON.parse(res.body), res };
}

const q = (path: string, extra = '') => `QueryName=${encodeURIComponent(path)}${extra}`;

/** /api/iqa rows flattened the way a client does: {Name: unwrapped Value}, ResultRow dropped. */
function flattenIqa(body: any): Record<string, unknown>[] {
  return body.Items.$values.map((item: any) => {
    const row: Record<string, unknown> = {};
    for (const p of item.Properties.$values) {
      if (p.Name === 'ResultRow') continue;
      row[p.Name] = p.Value === undefined ? null : typeof p.Value === 'object' ? p.Value.$value : p.Value;
    }
    return row;
  });
}

describe('POST /token', () => {
  it('issues a bearer token with the OWIN fields, dated by the clock', () => {
    const now = Date.UTC(2026, 10, 23, 19, 6, 0);
    const sim = new ImisSimulator({ now: () => now });
    const res = send(sim, 'POST', '/token', FORM, 'grant_type=password&username=sync.user&password=demo-password');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(res.body);
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in', 'userName', '.issued', '.expires']);
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{100,}$/);
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(1209599);
    expect(body.userName).toBe('sync.user');
    expect(body['.issued']).toBe('Mon, 23 Nov 2026 19:06:00 GMT');
    expect(body['.expires']).toBe(new Date(now + 1209599 * 1000).toUTCString());
    expect(tokenFor(sim)).not.toBe(body.access_token);
  });

  it('ignores the case of the path, the form keys and the user name', () => {
    const sim = new ImisSimulator();
    const res = send(sim, 'POST', '/Token', FORM, 'Grant_type=password&Username=SYNC.USER&Password=demo-password');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).userName).toBe('sync.user');
  });

  it('refuses a wrong password or unknown user with invalid_grant', () => {
    const sim = new ImisSimulator({ users: [{ username: 'ann', password: 'Secret1' }] });
    for (const form of ['grant_type=password&username=ann&password=secret1', 'grant_type=password&username=bob&password=Secret1']) {
      const res = send(sim, 'POST', '/token', FORM, form);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ error: 'invalid_grant', error_description: 'The user name or password is incorrect.' });
    }
    expect(send(sim, 'POST', '/token', FORM, 'grant_type=password&username=ann&password=Secret1').status).toBe(200);
  });

  it('refuses other grant types', () => {
    const sim = new ImisSimulator();
    for (const form of ['grant_type=client_credentials&username=sync.user&password=demo-password', 'username=sync.user&password=demo-password']) {
      const res = send(sim, 'POST', '/token', FORM, form);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ error: 'unsupported_grant_type' });
    }
  });

  it('lets a token expire after expires_in seconds on the fake clock', () => {
    let now = 1_700_000_000_000;
    const sim = new ImisSimulator({ now: () => now, tokenTtlSeconds: 60 });
    const token = tokenFor(sim);
    const url = `/api/query?${q(DEMO_QUERIES.userInfo)}`;
    now += 59_000;
    expect(get(sim, url, token).status).toBe(200);
    now += 1_000;
    expect(get(sim, url, token).status).toBe(401);
    expect(get(sim, url).status).toBe(200); // a fresh token works
  });

  it('expireAllTokens kills every issued token', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    sim.expireAllTokens();
    expect(get(sim, `/api/iqa?${q(DEMO_QUERIES.events)}`, token).status).toBe(401);
  });
});

describe('authorization', () => {
  it('answers 401 with the Web API HttpError without a valid bearer token', () => {
    const sim = new ImisSimulator();
    const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer not-a-token' }, { Authorization: 'Basic c3luYy51c2VyOmRlbW8tcGFzc3dvcmQ=' }];
    for (const headers of attempts) {
      const res = send(sim, 'GET', `/api/query?${q(DEMO_QUERIES.activeMembers)}`, headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.parse(res.body)).toEqual({
        $type: 'System.Web.Http.HttpError, System.Web.Http',
        Message: 'Authorization has been denied for this request.',
      });
    }
  });

  it('accepts the bearer scheme and header name in any case', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    const res = send(sim, 'GET', `/api/iqa?${q(DEMO_QUERIES.events)}`, { authorization: `bearer ${token}` });
    expect(res.status).toBe(200);
  });
});

describe('row shapes match the captured iMIS bodies', () => {
  it('/api/iqa Events is the captured GenericEntityData page, byte for byte', () => {
    const sim = new ImisSimulator();
    const { status, json, res } = get(sim, `/api/iqa?${q(DEMO_QUERIES.events)}`);
    expect(status).toBe(200);
    expect(json).toEqual(capturedEvents);
    expect(res.body).toBe(JSON.stringify(capturedEvents));
  });

  it('/api/query userInfo is the captured ExpandoObject page, byte for byte', () => {
    const sim = new ImisSimulator();
    const { json, res } = get(sim, `/api/query?${q(DEMO_QUERIES.userInfo)}`);
    expect(json).toEqual(capturedUserInfo);
    expect(res.body).toBe(JSON.stringify(capturedUserInfo));
  });

  it('serves the same members through both endpoints, each in its own shape', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    const query = get(sim, `/api/query?${q(DEMO_QUERIES.activeMembers, '&Limit=500')}`, token).json;
    const iqa = get(sim, `/api/iqa?${q(DEMO_QUERIES.activeMembers, '&Limit=500')}`, token).json;

    expect(query.$type).toBe('Asi.Soa.Core.DataContracts.PagedResult, Asi.Contracts');
    expect(query.Items.$type).toBe('System.Collections.Generic.List`1[[System.Object, mscorlib]], mscorlib');
    const first = query.Items.$values[0];
    expect(Object.keys(first)).toEqual([
      '$type', 'ID', 'FirstName', 'LastName', 'Email', 'MemberType', 'JoinDate', 'PaidThrough', 'City', 'StateProvince', 'IsMember', 'Dues', 'Company',
    ]);
    expect(first.$type).toBe('System.Dynamic.ExpandoObject, System.Core');
    expect(first.ID).toBe('10001');
    expect(first.JoinDate).toMatch(/^\d{4}-\d\d-\d\dT00:00:00$/);
    expect(typeof first.IsMember).toBe('boolean');
    expect(typeof first.Dues).toBe('number');
    expect(['REG', 'STU', 'LIFE', 'ASSOC']).toContain(first.MemberType);
    expect(query.Items.$values.some((r: any) => r.Company === null)).toBe(true);
    expect(query.Items.$values.some((r: any) => !Number.isInteger(r.Dues))).toBe(true);

    expect(iqa.$type).toBe(capturedEvents.$type);
    expect(iqa.Items.$type).toBe(capturedEvents.Items.$type);
    const rowsFromQuery = query.Items.$values.map(({ $type, ...row }: any) => row);
    expect(flattenIqa(iqa)).toEqual(rowsFromQuery);

    const props = (i: number) => iqa.Items.$values[i].Properties.$values as any[];
    expect(props(0)[0]).toEqual({ $type: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts', Name: 'ResultRow', Value: '1' });
    expect(typeof iqa.Items.$values[0].EntityTypeName).toBe('string');
    expect(iqa.Items.$values[0].EntityTypeName).toMatch(/^\d+$/);
    const isMember = props(0).find((p) => p.Name === 'IsMember');
    expect(isMember.Value).toEqual({ $type: 'System.Boolean', $value: first.IsMember });
    const dues = props(0).find((p) => p.Name === 'Dues');
    expect(dues.Value).toEqual({ $type: 'System.Decimal', $value: first.Dues });
    expect(props(0).find((p) => p.Name === 'JoinDate').Value).toBe(first.JoinDate);
    const nullCompany = iqa.Items.$values.flatMap((r: any) => r.Properties.$values).find((p: any) => p.Name === 'Company' && !('Value' in p));
    expect(nullCompany).toEqual({ $type: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts', Name: 'Company' });
  });

  it('wraps whole numbers as System.Int32 in /api/iqa and keeps them plain in /api/query', () => {
    const sim = new ImisSimulator();
    sim.setQueryRows('$/Test/Numbers', [{ Name: 'a', Count: 3, Ratio: 0.5, Gone: null }]);
    const token = tokenFor(sim);
    const iqa = get(sim, `/api/iqa?${q('$/Test/Numbers')}`, token).json;
    expect(iqa.Items.$values[0].Properties.$values.slice(1)).toEqual([
      { $type: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts', Name: 'Name', Value: 'a' },
      { $type: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts', Name: 'Count', Value: { $type: 'System.Int32', $value: 3 } },
      { $type: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts', Name: 'Ratio', Value: { $type: 'System.Decimal', $value: 0.5 } },
      { $type: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts', Name: 'Gone' },
    ]);
    const query = get(sim, `/api/query?${q('$/Test/Numbers')}`, token).json;
    expect(query.Items.$values[0]).toEqual({ $type: 'System.Dynamic.ExpandoObject, System.Core', Name: 'a', Count: 3, Ratio: 0.5, Gone: null });
  });
});

describe('paging', () => {
  it('pages 1234 members at Limit=500 (1000 asked is capped) in three pages', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    const ids = new Set<string>();
    const pages: any[] = [];
    let offset = 0;
    for (;;) {
      const { json } = get(sim, `/api/query?${q(DEMO_QUERIES.activeMembers, `&Limit=1000&Offset=${offset}`)}`, token);
      pages.push(json);
      for (const row of json.Items.$values) ids.add(row.ID);
      if (!json.HasNext) break;
      offset = json.NextOffset;
    }
    expect(pages.map((p) => [p.Offset, p.Limit, p.Count, p.TotalCount, p.HasNext, p.NextOffset, p.NextPageLink])).toEqual([
      [0, 500, 500, 1234, true, 500, null],
      [500, 500, 500, 1234, true, 1000, null],
      [1000, 500, 234, 1234, false, 0, null],
    ]);
    expect(ids.size).toBe(1234);
    expect(Object.keys(pages[0]).slice(1)).toEqual(['Items', 'Offset', 'Limit', 'Count', 'TotalCount', 'NextPageLink', 'HasNext', 'NextOffset']);
  });

  it('uses Limit 100 by default and numbers ResultRow across pages', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    const first = get(sim, `/api/iqa?${q(DEMO_QUERIES.activeMembers)}`, token).json;
    expect([first.Limit, first.Count, first.NextOffset]).toEqual([100, 100, 100]);
    const second = get(sim, `/api/iqa?${q(DEMO_QUERIES.activeMembers, '&limit=500&offset=500')}`, token).json;
    expect(second.Items.$values[0].Properties.$values[0].Value).toBe('501');
    expect(second.Items.$values[499].Properties.$values[0].Value).toBe('1000');
  });

  it('gives an empty last page past the end', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const { json } = get(sim, `/api/query?${q(DEMO_QUERIES.activeMembers, '&Offset=50')}`);
    expect([json.Count, json.TotalCount, json.HasNext, json.NextOffset, json.Items.$values.length]).toEqual([0, 10, false, 0, 0]);
  });
});

describe('query names and prompts', () => {
  it('filters Members by Type with a Parameter, with or without an operator prefix', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    const students = sim.queryRows(DEMO_QUERIES.activeMembers).filter((r) => r.MemberType === 'STU');
    expect(students.length).toBeGreaterThan(100);
    for (const param of ['Parameter=eq:STU', 'parameter=STU', 'PARAMETER=eq%3Astu']) {
      const { json } = get(sim, `/api/query?queryname=${encodeURIComponent(DEMO_QUERIES.membersByType)}&${param}&LIMIT=500`, token);
      expect(json.TotalCount).toBe(students.length);
      expect(json.Items.$values.every((r: any) => r.MemberType === 'STU')).toBe(true);
      expect(json.Items.$values[0].ID).toBe(students[0]!.ID);
    }
    expect(get(sim, `/api/iqa?${q(DEMO_QUERIES.membersByType, '&Parameter=')}`, token).json.TotalCount).toBe(1234);
    expect(get(sim, `/api/iqa?${q(DEMO_QUERIES.membersByType, '&Parameter=ne:STU')}`, token).json.TotalCount).toBe(1234 - students.length);
  });

  it('accepts QueryPath on /api/iqa and matches query paths without regard to case', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    expect(get(sim, `/api/iqa?QueryPath=${encodeURIComponent(DEMO_QUERIES.events)}`, token).json.TotalCount).toBe(7);
    expect(get(sim, `/api/IQA?${q(DEMO_QUERIES.events.toUpperCase())}`, token).json.TotalCount).toBe(7);
  });

  it('answers 404 for an unknown query and 400 for a missing or malformed QueryName', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    const missing = get(sim, `/api/query?${q('$/x')}`, token);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ $type: 'System.Web.Http.HttpError, System.Web.Http', Message: "The query '$/x' was not found." });
    const none = get(sim, '/api/query?Limit=5', token);
    expect(none.status).toBe(400);
    expect(typeof none.json.Message).toBe('string');
    const bad = get(sim, `/api/iqa?${q('Marketing/Active')}`, token);
    expect(bad.status).toBe(400);
    expect(bad.json.Message).toContain('Marketing/Active');
  });

  it('answers 405 for a write to the query endpoint', () => {
    const sim = new ImisSimulator();
    const res = send(sim, 'POST', `/api/query?${q(DEMO_QUERIES.events)}`, { Authorization: `Bearer ${tokenFor(sim)}` }, '{}');
    expect(res.status).toBe(405);
  });
});

describe('iMIS 2017', () => {
  it('has no /api/query: 404 as ASP.NET Web API answers an unknown controller', () => {
    const sim = new ImisSimulator({ mode: '2017' });
    const url = `/api/query?${q(DEMO_QUERIES.activeMembers)}`;
    const { status, json } = get(sim, url);
    expect(status).toBe(404);
    expect(json.Message).toBe(`No HTTP resource was found that matches the request URI '${url}'.`);
    expect(json.MessageDetail).toBe("No type was found that matches the controller named 'query'.");
  });

  it('serves /api/iqa', () => {
    const sim = new ImisSimulator({ mode: '2017' });
    const { status, json } = get(sim, `/api/iqa?${q(DEMO_QUERIES.events)}`);
    expect(status).toBe(200);
    expect(json).toEqual(capturedEvents);
  });
});

describe('faults', () => {
  it('queues 429s with Retry-After for a path prefix, then serves normally', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    sim.faults.queue({ status: 429, times: 2, pathPrefix: '/api/query', retryAfterSeconds: 3 });
    expect(get(sim, `/api/iqa?${q(DEMO_QUERIES.events)}`, token).status).toBe(200); // other path untouched
    const url = `/api/query?${q(DEMO_QUERIES.userInfo)}`;
    const first = get(sim, url, token);
    expect(first.status).toBe(429);
    expect(first.res.headers['retry-after']).toBe('3');
    expect(get(sim, url, token).status).toBe(429);
    expect(get(sim, url, token).status).toBe(200);
  });

  it('queues a 500 with iMIS\'s generic message, a 503 and a 401, default once each on any path', () => {
    const sim = new ImisSimulator();
    const token = tokenFor(sim);
    const url = `/api/query?${q(DEMO_QUERIES.userInfo)}`;
    sim.faults.queue({ status: 500 });
    sim.faults.queue({ status: 503 });
    sim.faults.queue({ status: 401 });
    const error = send(sim, 'GET', url, { Authorization: `Bearer ${token}` });
    expect(error.status).toBe(500);
    expect(JSON.parse(error.body).Message).toBe('An error occurred. Please contact the administrator.');
    const down = send(sim, 'GET', url, { Authorization: `Bearer ${token}` });
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toBe('text/html');
    expect(send(sim, 'GET', url, { Authorization: `Bearer ${token}` }).status).toBe(401);
    expect(send(sim, 'GET', url, { Authorization: `Bearer ${token}` }).status).toBe(200);
  });

  it('rateLimitEvery and errorEvery count every request, the token request included', () => {
    const sim = new ImisSimulator();
    sim.faults.rateLimitEvery = 3;
    const token = tokenFor(sim); // request 1
    const url = `/api/query?${q(DEMO_QUERIES.userInfo)}`;
    const statuses = [2, 3, 4, 5, 6, 7].map(() => send(sim, 'GET', url, { Authorization: `Bearer ${token}` }));
    expect(statuses.map((r) => r.status)).toEqual([200, 429, 200, 200, 429, 200]);
    expect(statuses[1]!.headers['retry-after']).toBe('1');

    sim.faults.rateLimitEvery = 0;
    sim.faults.errorEvery = 2; // next request is number 8
    expect(send(sim, 'GET', url, { Authorization: `Bearer ${token}` }).status).toBe(500);
    expect(send(sim, 'GET', url, { Authorization: `Bearer ${token}` }).status).toBe(200);
    expect(send(sim, 'POST', '/token', FORM, 'grant_type=password&username=sync.user&password=demo-password').status).toBe(500);
  });
});

describe('state', () => {
  it('records every request with its time', () => {
    let now = 1000;
    const sim = new ImisSimulator({ now: () => now });
    tokenFor(sim);
    now = 2000;
    send(sim, 'GET', '/api/query?QueryName=%24%2FOAuth2%2FuserInfo');
    expect(sim.requests).toEqual([
      { method: 'POST', path: '/token', at: 1000 },
      { method: 'GET', path: '/api/query?QueryName=%24%2FOAuth2%2FuserInfo', at: 2000 },
    ]);
  });

  it('setQueryRows replaces a query\'s data and Members by Type follows Active Members', () => {
    const sim = new ImisSimulator();
    const rows = [
      { ID: '1', FirstName: 'Ann', MemberType: 'REG', Dues: 10 },
      { ID: '2', FirstName: 'Bo', MemberType: 'STU', Dues: 5.5 },
    ];
    sim.setQueryRows(DEMO_QUERIES.activeMembers, rows);
    expect(sim.queryRows(DEMO_QUERIES.activeMembers)).toEqual(rows);
    const token = tokenFor(sim);
    const byType = get(sim, `/api/query?${q(DEMO_QUERIES.membersByType, '&Parameter=STU')}`, token).json;
    expect(byType.Items.$values).toEqual([{ $type: 'System.Dynamic.ExpandoObject, System.Core', ...rows[1] }]);
    // Dues keeps its declared Decimal type even when the new value is whole.
    const iqa = get(sim, `/api/iqa?${q(DEMO_QUERIES.activeMembers)}`, token).json;
    expect(iqa.Items.$values[0].Properties.$values.find((p: any) => p.Name === 'Dues').Value).toEqual({ $type: 'System.Decimal', $value: 10 });
  });

  it('generates the same members every time and synthetic rows page by page', () => {
    const a = new ImisSimulator({ syntheticQueries: { '$/Bench/Rows': 50_000 } });
    const b = new ImisSimulator({ syntheticQueries: { '$/Bench/Rows': 50_000 } });
    expect(a.queryRows(DEMO_QUERIES.activeMembers)).toEqual(b.queryRows(DEMO_QUERIES.activeMembers));
    const page = get(a, `/api/query?${q('$/Bench/Rows', '&Limit=500&Offset=49900')}`).json;
    expect([page.Count, page.TotalCount, page.HasNext]).toEqual([100, 50_000, false]);
    expect(page.Items.$values[99].ID).toBe(String(100001 + 49_999));
    expect(get(b, `/api/query?${q('$/Bench/Rows', '&Limit=500&Offset=49900')}`).json).toEqual(page);
    expect(new ImisSimulator({ memberCount: 20 }).queryRows(DEMO_QUERIES.activeMembers)).toHaveLength(20);
  });
});

describe('router', () => {
  it('inProcessHttp routes absolute URLs by mount point and records every request', () => {
    const ems = new ImisSimulator();
    const old = new ImisSimulator({ mode: '2017' });
    const http = inProcessHttp({ '/imis/': ems.handle, '/imis2017/': old.handle });
    const [tok] = http.fetchAll([
      { method: 'POST', url: 'http://imis.test/imis/token', headers: FORM, body: 'grant_type=password&username=sync.user&password=demo-password' },
    ]);
    const token = JSON.parse(tok!.body).access_token;
    const auth = { Authorization: `Bearer ${token}` };
    const [emsQuery, oldQuery, nowhere] = http.fetchAll([
      { method: 'GET', url: `https://imis.test/imis/api/query?${q(DEMO_QUERIES.userInfo)}`, headers: auth },
      { method: 'GET', url: `http://imis.test/imis2017/api/query?${q(DEMO_QUERIES.userInfo)}`, headers: auth },
      { method: 'GET', url: 'http://imis.test/other/api/query', headers: auth },
    ]);
    expect(emsQuery!.status).toBe(200);
    expect(emsQuery!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(oldQuery!.status).toBe(404);
    expect(nowhere!.status).toBe(404);
    expect(http.requests).toHaveLength(4);
    expect(ems.requests.map((r) => r.path)).toEqual(['/token', `/api/query?${q(DEMO_QUERIES.userInfo)}`]);
    expect(old.requests).toHaveLength(1);
  });

  it('lower-cases response header names and prefers the longest prefix', () => {
    const route = routeByPrefix({
      '/a/': () => ({ status: 200, headers: { 'X-Which': 'a' }, body: '' }),
      '/a/b/': (req) => ({ status: 200, headers: { 'X-Which': `b ${req.url}` }, body: '' }),
    });
    expect(route({ method: 'GET', url: '/a/b/c?d=1', headers: {} }).headers['X-Which']).toBe('b /c?d=1');
    const http = inProcessHttp({ '/a/': () => ({ status: 204, headers: { 'X-Which': 'a' }, body: '' }) });
    expect(http.fetchAll([{ method: 'GET', url: '/a', headers: {} }])[0]!.headers).toEqual({ 'x-which': 'a' });
  });
});
