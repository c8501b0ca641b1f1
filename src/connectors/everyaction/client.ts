// The EveryAction (NGP VAN API v4) client's transport: HTTP Basic with the application name and
// `apiKey|mode` (MyCampaign = 1, VoterFile = 0), JSON bodies, retries through core/http with the
// 429 wait read out of the error text, and redirects never followed (302 means "matched").

import { base64 } from '../../core/encoding';
import type { EveryActionConnection } from '../../core/config/types';
import type { Transport } from '../../core/engine';
import { sendWithRetry } from '../../core/http';
import type { HttpRequest, HttpResponse } from '../../core/ports';
import { EveryActionError, describeFailure, waitFromText } from './errors';

export interface EaRequest {
  method: HttpRequest['method'];
  /** Path under the API base, e.g. "people/findOrCreate" (no leading slash); or an absolute URL. */
  path: string;
  body?: unknown;
  /** Export files live on another host: never send the API key there. */
  anonymous?: boolean;
}

export class EveryActionClient {
  constructor(
    readonly connection: EveryActionConnection,
    private readonly io: Transport,
  ) {}

  get base(): string {
    return this.connection.url;
  }

  private authorization(): string {
    const mode = this.connection.mode === 'VoterFile' ? 0 : 1;
    return `Basic ${base64(`${this.connection.username}:${this.connection.secret}|${mode}`)}`;
  }

  private toHttp(r: EaRequest): HttpRequest {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Encoding': 'gzip, deflate' };
    if (!r.anonymous) headers.Authorization = this.authorization();
    const req: HttpRequest = { method: r.method, url: /^https?:\/\//i.test(r.path) ? r.path : this.base + r.path, headers };
    if (r.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      req.body = JSON.stringify(r.body);
    }
    return req;
  }

  /** Sends a batch with retries; every final response comes back, successful or not. */
  send(requests: EaRequest[]): HttpResponse[] {
    if (requests.length === 0) return [];
    return sendWithRetry(
      this.io.http,
      requests.map((r) => this.toHttp(r)),
      {
        clock: this.io.clock,
        budget: this.io.budget,
        random: this.io.random,
        waitHint: waitFromText,
        onRetry: (status, wait) => this.io.onRetry?.(status, wait),
      },
    );
  }

  json(res: HttpResponse, what: string): unknown {
    try {
      return JSON.parse(res.body);
    } catch {
      throw new EveryActionError(`EveryAction answered with something that is not data while ${what}. Check URL in the Connections tab.`, res.status, 'config');
    }
  }

  fail(res: HttpResponse, what: string): EveryActionError {
    return new EveryActionError(describeFailure(res, what, this.connection.name, this.connection.mode), res.status);
  }

  /** The connection test: POST /echoes must come back with the message. */
  test(): string {
    const message = 'Sheets Sync connection test';
    const [res] = this.send([{ method: 'POST', path: 'echoes', body: { message } }]);
    if (res!.status !== 200) throw this.fail(res!, 'testing the connection');
    const body = this.json(res!, 'testing the connection') as { message?: unknown };
    if (body.message !== message) throw new EveryActionError('EveryAction answered the connection test, but not with the message sent. Check URL in the Connections tab.', 200, 'config');
    return 'EveryAction answered the connection test';
  }
}
