// The `Http` port for Node. The engine calls fetchAll synchronously (as Apps Script's
// UrlFetchApp does), so the requests are sent from a worker thread (http-worker.mjs) while this
// thread waits in synckit. The worker sits next to this module both in src/cli and, copied by
// the build, next to the bundled CLI in dist/cli, so one relative lookup finds it in both.

import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'synckit';
import { z } from 'zod';
import type { Http, HttpRequest, HttpResponse } from '../core/ports';

export interface NodeHttpOptions {
  /** Per request, from sending to the last byte of the answer; default 60 seconds. */
  timeoutMs?: number;
  /** Absolute path or file URL of the worker; default http-worker.mjs beside this module. */
  workerPath?: string;
}

interface WorkerOptions {
  timeoutMs: number;
}

type SendBatch = (requests: HttpRequest[], options: WorkerOptions) => Promise<unknown>;

const DEFAULT_TIMEOUT_MS = 60_000;

const WorkerAnswer = z.array(
  z.object({
    status: z.number().int().min(0),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
  }),
);

export function createNodeHttp(options: NodeHttpOptions = {}): Http {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const workerPath =
    options.workerPath ?? fileURLToPath(new URL('./http-worker.mjs', import.meta.url));
  // Started on first use: a run that makes no request (a config error) never starts a thread.
  let sendBatch: ((requests: HttpRequest[], options: WorkerOptions) => unknown) | null = null;

  return {
    fetchAll(requests: HttpRequest[]): HttpResponse[] {
      if (requests.length === 0) return [];
      sendBatch ??= createSyncFn<SendBatch>(workerPath);
      const answer = sendBatch(requests.map(withAcceptEncoding), { timeoutMs });
      const parsed = WorkerAnswer.safeParse(answer);
      if (!parsed.success) {
        throw new Error(`Internal error: the HTTP worker gave an answer of the wrong shape: ${parsed.error.message}`);
      }
      if (parsed.data.length !== requests.length) {
        throw new Error(
          `Internal error: the HTTP worker answered ${parsed.data.length} of ${requests.length} requests.`,
        );
      }
      return parsed.data;
    },
  };
}

/** ASI asks every iMIS client to accept compressed answers (DESIGN.md §7). */
function withAcceptEncoding(request: HttpRequest): HttpRequest {
  const present = Object.keys(request.headers).some((name) => name.toLowerCase() === 'accept-encoding');
  if (present) return request;
  return { ...request, headers: { ...request.headers, 'Accept-Encoding': 'gzip, deflate' } };
}
