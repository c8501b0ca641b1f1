// The loopback simulator server: what only a real socket shows (mount points, gzip/deflate
// negotiation, latency, form bodies read in full).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { chooseEncoding, startSimulatorServer, type SimulatorServer } from '../../src/simulators/server';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
}

/** A plain node:http call, so the test sees the bytes on the wire (fetch would decompress them). */
function call(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

let server: SimulatorServer;
let token: string;
const QUERY = 'api/query?QueryName=%24%2FSheets%20Sync%20Demo%2FActive%20Members&Limit=500';

beforeAll(async () => {
  server = await startSimulatorServer({ imis: { memberCount: 600 } });
  const res = await call(`${server.url}imis/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=password&username=sync.user&password=demo-password',
  });
  expect(res.status).toBe(200);
  token = JSON.parse(res.raw.toString('utf8')).access_token;
});

afterAll(async () => {
  await server.close();
});

describe('simulator server', () => {
  it('listens on loopback with a URL ending in a slash', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('gzips the body when the request accepts gzip', async () => {
    const res = await call(`${server.url}imis/${QUERY}`, { headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip, deflate' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(gunzipSync(res.raw).toString('utf8'));
    expect([body.Count, body.TotalCount, body.HasNext, body.NextOffset]).toEqual([500, 600, true, 500]);
    expect(res.raw.length).toBeLessThan(Buffer.byteLength(JSON.stringify(body)) / 3);
  });

  it('deflates when only deflate is accepted, and sends plain text otherwise', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const deflated = await call(`${server.url}imis/${QUERY}`, { headers: { ...auth, 'Accept-Encoding': 'deflate' } });
    expect(deflated.headers['content-encoding']).toBe('deflate');
    expect(JSON.parse(inflateSync(deflated.raw).toString('utf8')).Count).toBe(500);

    const plain = await call(`${server.url}imis/${QUERY}`, { headers: auth });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.raw.toString('utf8')).Count).toBe(500);

    expect(chooseEncoding('gzip;q=0, deflate')).toBe('deflate');
    expect(chooseEncoding('br')).toBeNull();
  });

  it('mounts a separate 2017 site at /imis2017/ with its own tokens', async () => {
    const other = await call(`${server.url}imis2017/${QUERY.replace('api/query', 'api/iqa')}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(other.status).toBe(401); // an EMS token means nothing to the 2017 site

    const tok = await call(`${server.url}imis2017/Token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=sync.user&password=demo-password',
    });
    const token2017 = JSON.parse(tok.raw.toString('utf8')).access_token;
    const auth = { Authorization: `Bearer ${token2017}` };
    const iqa = await call(`${server.url}imis2017/${QUERY.replace('api/query', 'api/iqa')}`, { headers: auth });
    expect(iqa.status).toBe(200);
    expect(JSON.parse(iqa.raw.toString('utf8')).Items.$values[0].Properties.$values[0].Name).toBe('ResultRow');
    const query = await call(`${server.url}imis2017/${QUERY}`, { headers: auth });
    expect(query.status).toBe(404);
    expect(JSON.parse(query.raw.toString('utf8')).MessageDetail).toBe("No type was found that matches the controller named 'query'.");
    expect(server.imis2017.requests.length).toBe(4);

    const nowhere = await call(`${server.url}everyaction/v4/people`);
    expect(nowhere.status).toBe(404);
  });

  it('delays responses by the latency set', async () => {
    server.setLatency(150);
    try {
      const started = performance.now();
      const res = await call(`${server.url}imis/${QUERY}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      server.setLatency(0);
    }
    const started = performance.now();
    await call(`${server.url}imis/${QUERY}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(performance.now() - started).toBeLessThan(140);
  });

  it('passes injected faults through with their headers', async () => {
    server.imisEms.faults.queue({ status: 429, retryAfterSeconds: 2 });
    const res = await call(`${server.url}imis/${QUERY}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
  });

  it('starts on a given port and closes cleanly', async () => {
    const probe = await startSimulatorServer({ latencyMs: 0 });
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const again = await startSimulatorServer({ port });
    expect(again.url).toBe(`http://127.0.0.1:${port}/`);
    await again.close();
  });
});
