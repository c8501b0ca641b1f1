// The iMIS REST client's transport: the password-grant bearer token (cached until expires_in,
// renewed once on a 401 because iMIS tokens can die early), the headers every call carries, and
// retries through core/http. Endpoint-specific code (IQA, Party, panels) builds on `send`.

import { formBody, sendWithRetry } from '../../core/http';
import type { Transport } from '../../core/engine';
import type { HttpRequest, HttpResponse } from '../../core/ports';
import type { ImisConnection } from '../../core/config/types';
import { describeFailure, ImisError, serverMessage } from './errors';
import { TokenResponse } from './schemas';

/**
 * Renew a little before iMIS says the token ends, so a request never goes out with a dying one:
 * a tenth of the token's lifetime, at most a minute. A fixed minute would make a short-lived
 * token (some sites issue 30-second ones) count as expired on arrival, a sign-in per request.
 */
const EXPIRY_MARGIN_FRACTION = 0.1;
const MAX_EXPIRY_MARGIN_MS = 60_000;

export interface ImisRequest {
  method: HttpRequest['method'];
  /** Path under the site base, e.g. "api/query?QueryName=…" (no leading slash). */
  path: string;
  body?: unknown;
}

export class ImisClient {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    readonly connection: ImisConnection,
    private readonly deps: Transport,
  ) {}

  /** Site base with a trailing slash, e.g. "https://myorg.imiscloud.com/". */
  get base(): string {
    return this.connection.url;
  }

  private retry(requests: HttpRequest[]): HttpResponse[] {
    return sendWithRetry(this.deps.http, requests, {
      clock: this.deps.clock,
      budget: this.deps.budget,
      random: this.deps.random,
      onRetry: (status, wait) => this.deps.onRetry?.(status, wait),
    });
  }

  /** A valid bearer token, asking iMIS for a new one only when needed. */
  accessToken(forceNew = false): string {
    const now = this.deps.clock.now().getTime();
    if (!forceNew && this.token && this.token.expiresAt > now) return this.token.value;
    const [res] = this.retry([
      {
        method: 'POST',
        url: `${this.base}token`,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'Accept-Encoding': 'gzip, deflate',
        },
        body: formBody({ grant_type: 'password', username: this.connection.username, password: this.connection.secret }),
      },
    ]);
    if (res!.status === 400 && /invalid_grant/.test(res!.body)) {
      throw new ImisError(
        `iMIS rejected the user name or password for connection "${this.connection.name}" (user "${this.connection.username}"). ` +
          'Check Username in the Connections tab and set the password again.',
        400,
        'auth',
      );
    }
    if (res!.status !== 200) {
      throw new ImisError(describeFailure(res!, 'signing in', this.base), res!.status);
    }
    const parsed = TokenResponse.safeParse(safeJson(res!.body));
    if (!parsed.success) {
      throw new ImisError(
        `The address ${this.base} did not answer like an iMIS site when signing in. Check URL in the Connections tab (the address staff log in at, including any folder such as /imis/).`,
        res!.status,
        'config',
      );
    }
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    const margin = Math.min(MAX_EXPIRY_MARGIN_MS, lifetimeMs * EXPIRY_MARGIN_FRACTION);
    this.token = { value: parsed.data.access_token, expiresAt: now + lifetimeMs - margin };
    return this.token.value;
  }

  private toHttp(r: ImisRequest, token: string): HttpRequest {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'Accept-Encoding': 'gzip, deflate',
    };
    const req: HttpRequest = { method: r.method, url: this.base + r.path, headers };
    if (r.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      req.body = JSON.stringify(r.body);
    }
    return req;
  }

  /**
   * Sends a batch with retries; requests answered 401 are sent once more with a fresh token.
   * Returns every final response, successful or not: callers decide what a 404 means.
   */
  send(requests: ImisRequest[]): HttpResponse[] {
    if (requests.length === 0) return [];
    const results = this.retry(requests.map((r) => this.toHttp(r, this.accessToken())));
    const denied = results.map((r, i) => (r.status === 401 ? i : -1)).filter((i) => i >= 0);
    if (denied.length > 0) {
      const token = this.accessToken(true);
      const again = this.retry(denied.map((i) => this.toHttp(requests[i]!, token)));
      denied.forEach((i, k) => {
        results[i] = again[k]!;
      });
    }
    return results;
  }

  /** The connection test: sign in, then read one contact (any staff user with REST access can). */
  test(): string {
    const [res] = this.send([{ method: 'GET', path: 'api/Party?limit=1' }]);
    if (res!.status !== 200) throw new ImisError(describeFailure(res!, 'testing the connection', this.base), res!.status);
    this.json(res!, 'testing the connection');
    return `iMIS accepted user "${this.connection.username}"`;
  }

  /** Parses a successful JSON body, or explains that it was not JSON. */
  json(res: HttpResponse, what: string): unknown {
    const value = safeJson(res.body);
    if (value === undefined) {
      throw new ImisError(
        `iMIS answered with something that is not data while ${what} (${serverMessage(res) || 'an empty page'}). Check URL in the Connections tab.`,
        res.status,
        'config',
      );
    }
    return value;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
