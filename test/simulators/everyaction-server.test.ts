// The EveryAction simulator over loopback: mounted at /everyaction/v4/ with its export files at
// /everyaction-files/, Location headers and download links naming the server itself, the 302 left
// for the client to read, and a 429 that carries no Retry-After on the wire either.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { DEMO_PEOPLE } from '../../src/simulators/everyaction/index';
import { startSimulatorServer, type SimulatorServer } from '../../src/simulators/server';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A plain node:http call: no redirect is followed and the bytes are seen as sent. */
function call(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const AUTH = { Authorization: `Basic ${Buffer.from('SheetsSyncDemo:demo-api-key|1').toString('base64')}`, 'Content-Type': 'application/json' };
let server: SimulatorServer;

beforeAll(async () => {
  server = await startSimulatorServer({ everyaction: { exportPolls: 0, seedPeople: 10 } });
});

afterAll(async () => {
  await server.close();
});

describe('EveryAction on the loopback server', () => {
  it('answers echoes at /everyaction/v4/ and refuses a wrong key', async () => {
    const ok = await call(`${server.url}everyaction/v4/echoes`, { method: 'POST', headers: AUTH, body: '{"message":"Hello, world!"}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).message).toBe('Hello, world!');
    const bad = await call(`${server.url}everyaction/v4/echoes`, {
      method: 'POST',
      headers: { ...AUTH, Authorization: `Basic ${Buffer.from('SheetsSyncDemo:demo-api-key|0').toString('base64')}` },
      body: '{}',
    });
    expect(bad.status).toBe(401);
  });

  it('sends a 302 with a Location on this server and the match stub', async () => {
    const r = await call(`${server.url}everyaction/v4/people/findOrCreate`, {
      method: 'POST', headers: AUTH, body: JSON.stringify({ emails: [{ email: DEMO_PEOPLE.harriet.email }] }),
    });
    expect(r.status).toBe(302);
    expect(r.headers['location']).toBe(`${server.url}everyaction/v4/people/${DEMO_PEOPLE.harriet.vanId}`);
    expect(JSON.parse(r.text)).toEqual({ vanId: DEMO_PEOPLE.harriet.vanId, status: 'Matched' });
  });

  it('links export files to /everyaction-files/ and serves them without credentials', async () => {
    const created = await call(`${server.url}everyaction/v4/changedEntityExportJobs`, {
      method: 'POST', headers: AUTH, body: JSON.stringify({ dateChangedFrom: new Date(Date.now() - 80 * 86_400_000).toISOString(), resourceType: 'Contacts' }),
    });
    expect(created.status).toBe(201);
    const id = JSON.parse(created.text).exportJobId;
    const job = JSON.parse((await call(`${server.url}everyaction/v4/changedEntityExportJobs/${id}`, { headers: AUTH })).text);
    expect(job.jobStatus).toBe('Complete');
    expect(job.files[0].downloadUrl).toBe(`${server.url}everyaction-files/${id}.csv`);
    const file = await call(job.files[0].downloadUrl);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv');
    expect(file.text.split('\r\n').filter((l) => /^\d/.test(l))).toHaveLength(10);
    expect(server.everyAction.downloads.at(-1)).toMatchObject({ method: 'GET', path: `/${id}.csv` });
    expect(server.everyAction.downloads.at(-1)!.authorization).toBeUndefined();
  });

  it('passes a 429 through with the wait in the text and no Retry-After header', async () => {
    server.everyAction.faults.queue({ status: 429, waitMs: 750 });
    const r = await call(`${server.url}everyaction/v4/echoes`, { method: 'POST', headers: AUTH, body: '{}' });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBeUndefined();
    expect(JSON.parse(r.text)).toEqual({ errors: [{ code: '429', text: 'Rate limit exceeded. Try again in 750 ms.' }] });
  });

  it('keeps an explicitly given files base URL', async () => {
    const other = await startSimulatorServer({ everyaction: { filesBaseUrl: 'https://blob.example/changedentities/', seedPeople: 0 } });
    try {
      expect(other.everyAction.filesBaseUrl).toBe('https://blob.example/changedentities/');
      expect(other.everyAction.apiBaseUrl).toBe(`${other.url}everyaction/v4/`);
      expect(other.everyAction.people()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
