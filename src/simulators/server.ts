// A loopback HTTP server around the simulators, for `sheets-sync simulate`, the demo and tests of
// the real Node HTTP adapter: the same handlers as in-process tests, plus what only a socket shows
// (latency, gzip/deflate negotiation, request bodies arriving in chunks).

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { deflateSync, gzipSync } from 'node:zlib';
import type { HttpRequest, HttpResponse } from '../core/ports';
import { EveryActionSimulator, type EveryActionSimulatorOptions } from './everyaction/index';
import { ImisSimulator, type ImisSimulatorOptions } from './imis/index';
import { lowerCaseHeaders, routeByPrefix, type Handler } from './router';

export interface SimulatorServerOptions {
  /** 0 (the default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Delay before each response, in ms. */
  latencyMs?: number;
  /** Options for both iMIS simulators (the 2017 one always gets mode '2017'). */
  imis?: ImisSimulatorOptions;
  /**
   * Options for the EveryAction simulator at '/everyaction/v4/'. Its filesBaseUrl and apiBaseUrl
   * default to this server's own '/everyaction-files/' and '/everyaction/v4/'.
   */
  everyaction?: EveryActionSimulatorOptions;
  /** More services to mount beside the simulators, by path prefix. */
  routes?: Record<string, Handler>;
}

export interface SimulatorServer {
  /** Base URL ending in '/', e.g. 'http://127.0.0.1:41234/'. */
  url: string;
  /** The EMS site, mounted at '/imis/'. */
  imisEms: ImisSimulator;
  /** A 2017 site in its own virtual directory, mounted at '/imis2017/'. */
  imis2017: ImisSimulator;
  /** EveryAction's API at '/everyaction/v4/', its export files at '/everyaction-files/'. */
  everyAction: EveryActionSimulator;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export interface HandlerServer {
  url: string;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const METHODS = new Set<HttpRequest['method']>(['GET', 'POST', 'PUT', 'DELETE']);

/** The encoding to answer with: gzip when acceptable, else deflate, else none (q=0 refuses). */
export function chooseEncoding(acceptEncoding: string | undefined): 'gzip' | 'deflate' | null {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name);
  }
  if (accepted.has('gzip')) return 'gzip';
  if (accepted.has('deflate')) return 'deflate';
  return null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function toHttpRequest(req: IncomingMessage, body: string): HttpRequest | null {
  const method = (req.method ?? 'GET').toUpperCase() as HttpRequest['method'];
  if (!METHODS.has(method)) return null;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return body === '' && method === 'GET' ? { method, url: req.url ?? '/', headers } : { method, url: req.url ?? '/', headers, body };
}

function send(res: ServerResponse, reply: HttpResponse, acceptEncoding: string | undefined): void {
  const headers = lowerCaseHeaders(reply.headers);
  headers['content-type'] ??= 'application/json; charset=utf-8';
  let payload = Buffer.from(reply.body, 'utf8');
  const encoding = payload.length > 0 ? chooseEncoding(acceptEncoding) : null;
  if (encoding === 'gzip') payload = gzipSync(payload);
  if (encoding === 'deflate') payload = deflateSync(payload);
  if (encoding) headers['content-encoding'] = encoding;
  headers['vary'] = 'Accept-Encoding';
  headers['content-length'] = String(payload.length);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Serves the given handlers by path prefix on loopback. */
export async function serveHandlers(
  routes: Record<string, Handler>,
  o: { port?: number; host?: string; latencyMs?: number } = {},
): Promise<HandlerServer> {
  const route = routeByPrefix(routes);
  let latencyMs = o.latencyMs ?? 0;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const request = toHttpRequest(req, body);
      let reply: HttpResponse;
      try {
        reply = request
          ? route(request)
          : { status: 405, headers: {}, body: JSON.stringify({ Message: `The simulator does not answer ${req.method ?? '?'} requests.` }) };
      } catch (e) {
        // A simulator bug, not a simulated failure: say so plainly rather than hang the client.
        reply = { status: 500, headers: {}, body: JSON.stringify({ Message: `Simulator error: ${(e as Error).message}` }) };
      }
      if (latencyMs > 0) await delay(latencyMs);
      if (!res.destroyed) send(res, reply, req.headers['accept-encoding']);
    })().catch(() => res.destroy());
  });

  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostInUrl}:${address.port}/`,
    setLatency(ms: number) {
      latencyMs = ms;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Starts the simulators on loopback: an EMS iMIS at '/imis/' and a separate 2017 iMIS at
 * '/imis2017/' (a 2017 site in a virtual directory), EveryAction at '/everyaction/v4/' with its
 * export file host at '/everyaction-files/', plus any extra routes.
 */
export async function startSimulatorServer(o: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  const imisEms = new ImisSimulator({ ...o.imis, mode: 'EMS' });
  const imis2017 = new ImisSimulator({ ...o.imis, mode: '2017' });
  const everyAction = new EveryActionSimulator(o.everyaction);
  const routes: Record<string, Handler> = {
    ...o.routes,
    '/imis/': imisEms.handle,
    '/imis2017/': imis2017.handle,
    '/everyaction/v4/': everyAction.handle,
    '/everyaction-files/': everyAction.files,
  };
  const served = await serveHandlers(routes, o);
  // The links and Location headers can only name this server once it has its port.
  if (o.everyaction?.filesBaseUrl === undefined) everyAction.filesBaseUrl = `${served.url}everyaction-files/`;
  if (o.everyaction?.apiBaseUrl === undefined) everyAction.apiBaseUrl = `${served.url}everyaction/v4/`;
  return { url: served.url, imisEms, imis2017, everyAction, setLatency: served.setLatency, close: served.close };
}
