// A tiny in-process client for the simulator tests: signs in to iMIS once and sends JSON the way the
// connector does (bearer token, JSON body), returning status and parsed body.

import { expect } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../src/core/ports';
import type { ImisSimulator } from '../../src/simulators/imis/index';

export interface Reply {
  status: number;
  json: any;
  res: HttpResponse;
}

export interface TestClient {
  token: string;
  get(url: string): Reply;
  post(url: string, body: unknown): Reply;
  put(url: string, body: unknown): Reply;
  send(method: HttpRequest['method'], url: string, body?: string, headers?: Record<string, string>): Reply;
}

/** A simulator's answer with its body parsed as JSON when it is JSON. */
export function reply(res: HttpResponse): Reply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, json: parsed, res };
}

export function signIn(sim: ImisSimulator): TestClient {
  const tok = sim.handle({
    method: 'POST',
    url: '/token',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=password&username=sync.user&password=demo-password',
  });
  expect(tok.status).toBe(200);
  const token = JSON.parse(tok.body).access_token as string;
  const send: TestClient['send'] = (method, url, body, headers) => {
    const h = headers ?? { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' };
    return reply(sim.handle(body === undefined ? { method, url, headers: h } : { method, url, headers: h, body }));
  };
  return {
    token,
    send,
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, JSON.stringify(body)),
    put: (url, body) => send('PUT', url, JSON.stringify(body)),
  };
}

export const PROP = 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts';
export const PROPS = 'Asi.Soa.Core.DataContracts.GenericPropertyDataCollection, Asi.Contracts';
export const IDENTITY = 'Asi.Soa.Core.DataContracts.IdentityData, Asi.Contracts';
export const STRINGS = 'System.Collections.ObjectModel.Collection`1[[System.String, mscorlib]], mscorlib';
export const HTTP_ERROR = 'System.Web.Http.HttpError, System.Web.Http';

/** The 400 body iMIS sends for refused data (inferred shape; see validation.ts). */
export function validationBody(...messages: string[]) {
  return {
    $type: 'Asi.Soa.Core.DataContracts.ValidationResultsData, Asi.Contracts',
    Errors: {
      $type: 'Asi.Soa.Core.DataContracts.ValidationResultDataCollection, Asi.Contracts',
      $values: messages.map((Message) => ({ $type: 'Asi.Soa.Core.DataContracts.ValidationResultData, Asi.Contracts', Message, ResultType: 'Error' })),
    },
    Warnings: { $type: 'Asi.Soa.Core.DataContracts.ValidationResultDataCollection, Asi.Contracts', $values: [] },
  };
}

/** `{Name: unwrapped Value}` of a GenericEntityData, a missing Value read as null. */
export function flatProps(entity: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of entity.Properties.$values) out[p.Name] = p.Value === undefined ? null : typeof p.Value === 'object' ? p.Value.$value : p.Value;
  return out;
}
