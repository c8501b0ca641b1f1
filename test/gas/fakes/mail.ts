// MailApp as Apps Script documents it: sendEmail(message) or sendEmail(recipient, subject, body[,
// options]); every recipient (to, cc, bcc) counts against a daily quota of 100 (consumer account)
// or 1,500 (Workspace) that resets 24 hours after the first email of the window;
// getRemainingDailyQuota() says what is left. A project whose manifest lacks script.send_mail may
// not send at all; an invalid address throws "Invalid email: …"; past the quota, "Service invoked
// too many times for one day: email." Nothing is sent when a call throws.

import { counted } from './calls';
import type { FakeClock } from './clock';
import type { Execution } from './execution';
import { manifestScopes } from './misc';

export const SEND_MAIL_SCOPE = 'https://www.googleapis.com/auth/script.send_mail';
export const MAIL_QUOTA = { consumer: 100, workspace: 1500 } as const;
const DAY_MS = 24 * 3600_000;

export interface SentEmail {
  /** Who sent it (the execution's effective user). */
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  htmlBody?: string;
  name?: string;
  replyTo?: string;
  at: number;
}

export interface MailState {
  sent: SentEmail[];
  /** Recipients counted per user since the start of their quota window. */
  used: Map<string, { since: number; count: number }>;
  /** Which kind of account each user has; consumer unless listed. */
  workspace: Set<string>;
  /** The next sendEmail of anyone throws this message (after the checks), for tests of a failing send. */
  failNext: string | null;
}

export function newMailState(): MailState {
  return { sent: [], used: new Map(), workspace: new Set(), failNext: null };
}

/** What Apps Script takes for an address: no display names, no spaces, one @ and a dotted domain. */
const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/;

function addresses(list: unknown): string[] {
  if (list === undefined || list === null || list === '') return [];
  return String(list)
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

export function fakeMailApp(exec: Execution, state: MailState, clock: FakeClock, project: string | readonly string[]) {
  const scopes = typeof project === 'string' ? manifestScopes(project) : project;
  const limit = () => (state.workspace.has(exec.user) ? MAIL_QUOTA.workspace : MAIL_QUOTA.consumer);
  const window = () => {
    const now = clock.now();
    const w = state.used.get(exec.user);
    if (!w || now - w.since >= DAY_MS) return { since: now, count: 0 };
    return w;
  };
  const remaining = () => Math.max(0, limit() - window().count);
  const allowed = (method: string) => {
    if (!scopes.includes(SEND_MAIL_SCOPE)) {
      throw exec.realm.exception(`You do not have permission to call MailApp.${method}. Required permissions: ${SEND_MAIL_SCOPE}`);
    }
  };

  function send(message: Record<string, unknown>): void {
    allowed('sendEmail');
    const to = addresses(message.to);
    const cc = addresses(message.cc);
    const bcc = addresses(message.bcc);
    const all = [...to, ...cc, ...bcc];
    if (all.length === 0) throw exec.realm.exception('Failed to send email: no recipient');
    for (const a of all) if (!ADDRESS.test(a)) throw exec.realm.exception(`Invalid email: ${a}`);
    if (message.replyTo !== undefined && !ADDRESS.test(String(message.replyTo))) throw exec.realm.exception(`Invalid email: ${String(message.replyTo)}`);
    if (typeof message.subject !== 'string') throw exec.realm.exception('Invalid argument: subject');
    if (typeof message.body !== 'string' && typeof message.htmlBody !== 'string') throw exec.realm.exception('Invalid argument: body');
    const w = window();
    if (w.count + all.length > limit()) throw exec.realm.exception('Service invoked too many times for one day: email.');
    if (state.failNext !== null) {
      const why = state.failNext;
      state.failNext = null;
      throw exec.realm.exception(why);
    }
    state.used.set(exec.user, { since: w.since, count: w.count + all.length });
    state.sent.push({
      from: exec.user,
      to,
      cc,
      bcc,
      subject: message.subject,
      body: typeof message.body === 'string' ? message.body : '',
      ...(typeof message.htmlBody === 'string' ? { htmlBody: message.htmlBody } : {}),
      ...(typeof message.name === 'string' ? { name: message.name } : {}),
      ...(typeof message.replyTo === 'string' ? { replyTo: message.replyTo } : {}),
      at: clock.now(),
    });
  }

  return counted(exec, 'MailApp', {
    getRemainingDailyQuota: () => {
      allowed('getRemainingDailyQuota');
      return remaining();
    },
    sendEmail: (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) return send({ ...(args[0] as Record<string, unknown>) });
      if (args.length >= 3 && args.length <= 4) {
        const [recipient, subject, body, options] = args;
        return send({ ...((options as Record<string, unknown> | undefined) ?? {}), to: recipient, subject, body });
      }
      throw exec.realm.exception("The parameters don't match the method signature for MailApp.sendEmail.");
    },
  });
}
