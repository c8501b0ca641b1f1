// Checks the Node Http adapter against a real HTTP server. The server runs in a child process:
// fetchAll blocks this thread until the answers arrive, so a server on this thread's event loop
// could never answer.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttp } from '../../src/cli/node-http';
import { nodeClock } from '../../src/cli/node-clock';

const SERVER = String.raw`
const http = require('node:http');
const zlib = require('node:zlib');
const groups = new Map();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    const body = Buffer.concat(chunks).toString('utf8');
    if (url.pathname === '/echo') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Custom': 'Yes' });
      res.end(JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body }));
    } else if (url.pathname === '/gzip') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end(zlib.gzipSync('décompressé '.repeat(100)));
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { Location: '/elsewhere' });
      res.end('moved');
    } else if (url.pathname === '/elsewhere') {
      res.end('followed');
    } else if (url.pathname === '/slow') {
      const name = url.searchParams.get('group');
      const g = groups.get(name) || { inFlight: 0, peak: 0 };
      groups.set(name, g);
      g.inFlight += 1;
      g.peak = Math.max(g.peak, g.inFlight);
      setTimeout(() => {
        g.inFlight -= 1;
        res.end(JSON.stringify({ peak: g.peak, n: url.searchParams.get('n') }));
      }, 300);
    } else if (url.pathname === '/hang') {
      // never answers
    } else {
      res.writeHead(404);
      res.end('no such path');
    }
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\n'));
`;

let child: ChildProcess;
let base: string;

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`test server exited early (${code})`)));
  });
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  child?.kill();
});

/** A port that nothing listens on: bind one, then let it go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createNodeHttp', () => {
  const http = createNodeHttp({ timeoutMs: 5_000 });

  it('returns [] for an empty batch', () => {
    expect(http.fetchAll([])).toEqual([]);
  });

  it('sends GET and POST as given, with Accept-Encoding added', () => {
    const [get, post] = http.fetchAll([
      { method: 'GET', url: `${base}/echo?q=a%20b`, headers: { Authorization: 'Bearer t' } },
      {
        method: 'POST',
        url: `${base}/echo`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Thing': 'één' },
        body: 'grant_type=password&username=u%C3%A9',
      },
    ]);
    expect(get!.status).toBe(200);
    expect(get!.headers['content-type']).toBe('application/json');
    expect(get!.headers['x-custom']).toBe('Yes');
    const seenGet = JSON.parse(get!.body);
    expect(seenGet).toMatchObject({ method: 'GET', path: '/echo?q=a%20b', body: '' });
    expect(seenGet.headers).toMatchObject({ authorization: 'Bearer t', 'accept-encoding': 'gzip, deflate' });

    const seenPost = JSON.parse(post!.body);
    expect(seenPost).toMatchObject({ method: 'POST', path: '/echo', body: 'grant_type=password&username=u%C3%A9' });
    expect(seenPost.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      'accept-encoding': 'gzip, deflate',
    });
  });

  it('keeps an Accept-Encoding the caller chose', () => {
    const [res] = http.fetchAll([{ method: 'GET', url: `${base}/echo`, headers: { 'accept-encoding': 'identity' } }]);
    expect(JSON.parse(res!.body).headers['accept-encoding']).toBe('identity');
  });

  it('decodes a gzip-compressed answer', () => {
    const [res] = http.fetchAll([{ method: 'GET', url: `${base}/gzip`, headers: {} }]);
    expect(res!.status).toBe(200);
    expect(res!.body).toBe('décompressé '.repeat(100));
  });

  it('returns a redirect as it is instead of following it', () => {
    const [res] = http.fetchAll([{ method: 'POST', url: `${base}/redirect`, headers: {}, body: '{}' }]);
    expect(res!.status).toBe(302);
    expect(res!.headers.location).toBe('/elsewhere');
    expect(res!.body).toBe('moved');
  });

  it('sends a batch concurrently and answers in request order', () => {
    const responses = http.fetchAll(
      [1, 2, 3].map((n) => ({ method: 'GET' as const, url: `${base}/slow?group=batch&n=${n}`, headers: {} })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const answers = responses.map((r) => JSON.parse(r.body) as { peak: number; n: string });
    expect(answers.map((a) => a.n)).toEqual(['1', '2', '3']);
    // Counted by the server: all three were in flight at the same moment.
    expect(Math.max(...answers.map((a) => a.peak))).toBe(3);
  });

  it('turns a refused connection into status 0 and a sentence naming the host', async () => {
    const port = await closedPort();
    const [res] = http.fetchAll([{ method: 'GET', url: `http://127.0.0.1:${port}/api`, headers: {} }]);
    expect(res).toEqual({ status: 0, headers: {}, body: expect.stringContaining(`could not reach 127.0.0.1:${port}: `) });
    expect(res!.body).toMatch(/refused/);
  });

  it('gives up on a server that does not answer within the time-out', () => {
    const quick = createNodeHttp({ timeoutMs: 200 });
    const [res, ok] = quick.fetchAll([
      { method: 'GET', url: `${base}/hang`, headers: {} },
      { method: 'GET', url: `${base}/echo`, headers: {} },
    ]);
    expect(res!.status).toBe(0);
    expect(res!.body).toMatch(/^could not reach 127\.0\.0\.1:\d+: no answer within 0\.2 seconds$/);
    expect(ok!.status).toBe(200);
  });
});

describe('createNodeHttp with a broken worker', () => {
  it('throws when the worker answers with the wrong shape', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-worker-'));
    try {
      const synckit = pathToFileURL(createRequire(import.meta.url).resolve('synckit')).href;
      const worker = path.join(dir, 'bad-worker.mjs');
      fs.writeFileSync(
        worker,
        `import { runAsWorker } from ${JSON.stringify(synckit)};\n` +
          `runAsWorker(async (requests) => requests.map(() => ({ status: '200', body: 1 })));\n`,
      );
      const http = createNodeHttp({ workerPath: worker });
      expect(() => http.fetchAll([{ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }])).toThrow(
        /Internal error: the HTTP worker gave an answer of the wrong shape/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nodeClock', () => {
  it('sleeps synchronously', () => {
    const start = Date.now();
    nodeClock.sleep(50);
    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
    expect(nodeClock.now()).toBeInstanceOf(Date);
  });
});
