// The worker thread behind the Node `Http` adapter (node-http.ts). The sync engine is synchronous
// like UrlFetchApp, so the main thread blocks in synckit while this thread does the real,
// asynchronous fetches. Plain JavaScript so it runs as is from src/ and from dist/ without a
// TypeScript loader. It never throws for a network problem: the engine expects status 0 and a
// sentence it can show the user.

import { runAsWorker } from 'synckit';

const DEFAULT_TIMEOUT_MS = 60_000;

/** Node's network error codes, in words a membership coordinator can act on. */
const REASONS = {
  ECONNREFUSED: 'the connection was refused (is the address right and the server running?)',
  ENOTFOUND: 'no such host name was found (check the URL)',
  EAI_AGAIN: 'the host name could not be looked up right now (DNS problem)',
  ECONNRESET: 'the server closed the connection',
  EPIPE: 'the server closed the connection',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending its answer',
  UND_ERR_SOCKET: 'the connection broke',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  CERT_HAS_EXPIRED: "the server's security certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's security certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's security certificate is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's security certificate could not be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's security certificate is for a different host name",
};

/**
 * @param {{method: string, url: string, headers: Record<string, string>, body?: string}} request
 * @param {number} timeoutMs
 * @returns {Promise<{status: number, headers: Record<string, string>, body: string}>}
 */
async function send(request, timeoutMs) {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      // fetch refuses any body on GET, even an empty one.
      body: request.body === undefined || (request.method === 'GET' && request.body === '')
        ? undefined
        : request.body,
      // EveryAction answers 302 for "matched": the engine must see it, not where it points.
      redirect: 'manual',
      // Covers the body too, so a server that stalls mid-answer cannot hang the run.
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    /** @type {Record<string, string>} */
    const headers = {};
    response.headers.forEach((value, name) => {
      // Repeated headers (Set-Cookie) arrive one by one; keep them all, as a comma list.
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    });
    return { status: response.status, headers, body };
  } catch (error) {
    return { status: 0, headers: {}, body: `could not reach ${hostOf(request.url)}: ${reasonOf(error, timeoutMs)}` };
  }
}

/** @param {string} url */
function hostOf(url) {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * @param {unknown} error
 * @param {number} timeoutMs
 */
function reasonOf(error, timeoutMs) {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${formatSeconds(timeoutMs)}`;
  }
  // fetch wraps the socket's error as "fetch failed"; the cause (sometimes nested) says why.
  let current = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = /** @type {{code?: unknown}} */ (current).code;
    if (typeof code === 'string' && code in REASONS) {
      return REASONS[/** @type {keyof typeof REASONS} */ (code)];
    }
    const next = /** @type {{cause?: unknown}} */ (current).cause;
    if (next === undefined) break;
    current = next;
  }
  if (current instanceof Error && current.message === 'bad port') {
    // fetch blocks ports of other protocols (SMTP, IRC, …) whatever the server is.
    return "Node's fetch refuses to connect to that port; use another one";
  }
  if (current instanceof Error && current.message) {
    const code = /** @type {{code?: unknown}} */ (current).code;
    return typeof code === 'string' && !current.message.includes(code)
      ? `${current.message} (${code})`
      : current.message;
  }
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}

/** @param {number} ms */
function formatSeconds(ms) {
  const seconds = ms / 1000;
  return seconds === 1 ? '1 second' : `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} seconds`;
}

runAsWorker(
  /**
   * @param {Array<{method: string, url: string, headers: Record<string, string>, body?: string}>} requests
   * @param {{timeoutMs?: number} | undefined} options
   */
  async (requests, options) => {
    const timeoutMs =
      options && typeof options.timeoutMs === 'number' && options.timeoutMs > 0
        ? options.timeoutMs
        : DEFAULT_TIMEOUT_MS;
    // All at once, like UrlFetchApp.fetchAll; answers stay in request order.
    return Promise.all(requests.map((request) => send(request, timeoutMs)));
  },
);
