// POST /token: iMIS's OWIN (Katana) OAuth endpoint with the password grant, and the bearer tokens it
// issues. Error bodies and field order follow Katana's OAuthAuthorizationServerHandler; iMIS issues
// no refresh token for this grant, so clients re-post the credentials when a token dies.

import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponse } from '../../core/ports';
import { CaseInsensitiveParams, bearerToken } from './request';
import { json } from './wire';

export interface ImisUser {
  username: string;
  password: string;
}

interface IssuedToken {
  username: string;
  expiresAt: number;
  revoked: boolean;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly now: () => number,
    private readonly ttlSeconds: number,
  ) {}

  issue(username: string): { token: string; issuedAt: number; expiresAt: number } {
    // Real tokens are long opaque base64url strings (an encrypted ticket); only their secrecy matters.
    const token = randomBytes(96).toString('base64url');
    const issuedAt = this.now();
    const expiresAt = issuedAt + this.ttlSeconds * 1000;
    this.tokens.set(token, { username, expiresAt, revoked: false });
    return { token, issuedAt, expiresAt };
  }

  /** The user a request is authenticated as, or null when its bearer token is missing, unknown or dead. */
  userOf(req: HttpRequest): string | null {
    const token = bearerToken(req);
    if (token === null) return null;
    const issued = this.tokens.get(token);
    if (!issued || issued.revoked || this.now() >= issued.expiresAt) return null;
    return issued.username;
  }

  expireAll(): void {
    for (const issued of this.tokens.values()) issued.revoked = true;
  }
}

/** RFC 1123, as OWIN writes `.issued` and `.expires`: "Mon, 23 Nov 2026 19:06:00 GMT". */
function rfc1123(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

export function handleToken(req: HttpRequest, users: ImisUser[], store: TokenStore, ttlSeconds: number): HttpResponse {
  const form = new CaseInsensitiveParams(req.body ?? '');
  const grantType = form.get('grant_type');
  // Katana compares the grant type ordinally ("Password" is an unknown extension grant) and answers a
  // missing one the same way.
  if (grantType !== 'password') return json(400, { error: 'unsupported_grant_type' });

  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  // iMIS logins ignore case in the user name, never in the password.
  const user = users.find((u) => u.username.toLowerCase() === username.toLowerCase() && u.password === password);
  if (!user) return json(400, { error: 'invalid_grant', error_description: 'The user name or password is incorrect.' });

  const { token, issuedAt, expiresAt } = store.issue(user.username);
  return json(
    200,
    {
      access_token: token,
      token_type: 'bearer',
      expires_in: ttlSeconds,
      userName: user.username,
      '.issued': rfc1123(issuedAt),
      '.expires': rfc1123(expiresAt),
    },
    { 'cache-control': 'no-cache', pragma: 'no-cache', expires: '-1' },
  );
}
