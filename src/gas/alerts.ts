// Alerts (DESIGN §10.4): when a scheduled run ends a job Failed or Held, or the run itself fails
// (a setup problem, a crash: job ''), the schedule's owner and the addresses saved in the sidebar
// ("Email me when…") get one email. No second email for the same job until it has ended OK again:
// the jobs already told about are kept in the document's run state. Any run that ends a job OK,
// a person's included, re-arms it (core/run/run-state.ts keeps that memory). Sending never breaks
// a run: what went wrong is logged and kept for the sidebar to show.

import { z } from 'zod';
import type { JobResult } from '../core/results';
import { documentStore } from './services';
import { runState } from './runs';
import { scheduleOwner } from './triggers';

/** The sidebar keeps at most this many addresses besides the owner's. */
export const MAX_ALERT_ADDRESSES = 10;

const ADDRESSES = 'alerts:addresses';
/** What "job" an alert about the run as a whole is kept under. */
const THE_SYNC = '';
const MESSAGE_MAX = 2000;

const addressList = z.array(z.string()).max(MAX_ALERT_ADDRESSES);

function readJson<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const text = documentStore.get(key);
    if (!text) return fallback;
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** The addresses saved in the sidebar. */
export function alertAddresses(): string[] {
  return readJson(ADDRESSES, addressList, []);
}

/** Saves the addresses (already checked: plain addresses, at most MAX_ALERT_ADDRESSES); answers them as kept. */
export function saveAlertAddresses(list: readonly string[]): string[] {
  const kept = unique(list.map((a) => a.trim()).filter((a) => a !== '')).slice(0, MAX_ALERT_ADDRESSES);
  if (kept.length === 0) documentStore.delete(ADDRESSES);
  else documentStore.set(ADDRESSES, JSON.stringify(kept));
  return kept;
}

/** Why the last alert could not be sent; '' when it was (or none was due). */
export function alertProblem(): string {
  return runState().alertMemory().problem;
}

function unique(list: readonly string[]): string[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const k = a.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * After a scheduled run: one email about every job (or the sync) it ended Failed or Held that
 * nobody has been told about yet. Never throws.
 */
export function alertAfterScheduledRun(results: readonly JobResult[]): void {
  try {
    const state = runState();
    const failures = state.untold(results);
    if (failures.length === 0) return;
    const recipients = unique([scheduleOwner(), ...alertAddresses()].filter((a) => a !== ''));
    const problem = send(recipients, failures);
    if (problem) {
      console.warn(`Sheets Sync could not send the alert email: ${problem}`);
      state.alertNotSent(problem);
      return;
    }
    state.alerted(failures.map((r) => r.job));
  } catch (e) {
    console.error(`Sheets Sync could not send the alert email: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Sends the alert; '' when sent, else why not (a sentence). */
function send(recipients: string[], failures: JobResult[]): string {
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (recipients.length === 0) return `${when}: nobody to email (the schedule's owner is not known and no address is saved).`;
  try {
    const left = MailApp.getRemainingDailyQuota();
    if (left < recipients.length) {
      return `${when}: the daily email quota of the account that runs the hourly sync is used up (${left} left, ${recipients.length} needed); it is reset within a day.`;
    }
    const ss = SpreadsheetApp.getActive();
    MailApp.sendEmail({ to: recipients.join(','), name: 'Sheets Sync', ...composeAlert({ name: ss.getName(), url: ss.getUrl() }, failures) });
    return '';
  } catch (e) {
    return `${when}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const label = (r: JobResult) => (r.job === THE_SYNC ? 'The sync' : r.job);
const verb = (r: JobResult) => ((r.status as string) === 'Held' ? 'is held' : 'failed');

/** The email: subject and plain-text body naming the spreadsheet (name and link), each job, its status and message. */
export function composeAlert(spreadsheet: { name: string; url: string }, failures: readonly JobResult[]): { subject: string; body: string } {
  const one = failures.length === 1 ? failures[0]! : null;
  const subject = one
    ? one.job === THE_SYNC
      ? `Sheets Sync: the hourly sync failed in "${spreadsheet.name}"`
      : `Sheets Sync: "${one.job}" ${verb(one)} in "${spreadsheet.name}"`
    : `Sheets Sync: ${failures.length} jobs need attention in "${spreadsheet.name}"`;
  const blocks = failures.map((r) => `${label(r)}: ${r.status}\n${r.message.length > MESSAGE_MAX ? `${r.message.slice(0, MESSAGE_MAX)}…` : r.message}`);
  const names = failures.map((r) => (r.job === THE_SYNC ? 'the sync' : `"${r.job}"`)).join(', ');
  const body = [
    `The hourly sync of the spreadsheet "${spreadsheet.name}" needs your attention.`,
    ...blocks,
    `Open the spreadsheet: ${spreadsheet.url}\nThe Sync Report tab lists every run; the Sync Log has each row.`,
    `You will get no other email about ${names} until it has run OK again (Sync now, or the next hourly run).`,
    `Sheets Sync emails the owner of the hourly sync and the addresses saved under "Email me when…" in its sidebar (Extensions → Sheets Sync → Open sidebar).`,
  ].join('\n\n');
  return { subject, body };
}
