// The sentences the sidebar shows, as pure functions of the server's data: labels for secrets,
// connection and schedule statuses, and run results. Kept apart from the DOM code so the wording
// can be tested on its own and stays in the words a membership coordinator uses.

import type { ErrorCode } from '../src/core/errors';
import type { JobResultSummary, SidebarConnection, SidebarJob, SidebarSchedule } from '../src/gas/sidebar-api';

/** What the write-only secret field is called for a connection's system. */
export function secretLabel(system: string): string {
  const s = system.trim().toLowerCase();
  if (s === 'imis') return 'iMIS password';
  if (s === 'everyaction') return 'EveryAction API key';
  return 'Password or API key';
}

/** A connection's Status cell in words; a status counts as good only when it starts with "OK". */
export function connectionStatus(c: Pick<SidebarConnection, 'status'>): { text: string; good: boolean | null } {
  const text = c.status.trim();
  if (!text) return { text: 'Not tested yet', good: null };
  return { text, good: /^OK\b/i.test(text) };
}

/** "Push to iMIS · Hourly" and friends: a job's one-line description. */
export function jobSummary(job: SidebarJob): string {
  const action = job.action.trim() || 'Job';
  const direction = /^pull$/i.test(action) ? 'from' : /^push$/i.test(action) ? 'to' : 'with';
  const parts = [job.connection ? `${action} ${direction} ${job.connection}` : action];
  if (job.target) parts.push(/^pull$/i.test(action) ? `into tab ${job.target}` : `(${job.target})`);
  const line = parts.join(' ');
  return `${line} · ${job.schedule.trim() || 'Manual'}`;
}

export function lastRunText(job: Pick<SidebarJob, 'lastRun' | 'lastResult'>): string {
  if (!job.lastRun && !job.lastResult) return 'Not run yet';
  if (!job.lastResult) return `Last run ${job.lastRun}`;
  if (!job.lastRun) return `Last result: ${job.lastResult}`;
  return `Last run ${job.lastRun}: ${job.lastResult}`;
}

const COUNTS: [keyof JobResultSummary & ('read' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed'), string, string][] = [
  ['read', 'read', 'read'],
  ['created', 'created', 'would be created'],
  ['updated', 'updated', 'would be updated'],
  ['unchanged', 'unchanged', 'unchanged'],
  ['skipped', 'skipped', 'would be skipped'],
  ['failed', 'failed', 'would fail'],
];

/** "120 read, 2 created, 1 failed": only the counts that are not zero. */
export function countsText(r: JobResultSummary, preview: boolean): string {
  const parts: string[] = [];
  for (const [key, done, would] of COUNTS) {
    const n = r[key];
    if (typeof n === 'number' && n > 0) parts.push(`${n.toLocaleString('en-US')} ${preview ? would : done}`);
  }
  return parts.length ? parts.join(', ') : 'No rows';
}

/** The one-line outcome the live region reads out when a run finishes. */
export function runOutcome(results: JobResultSummary[]): string {
  if (!results.length) return 'Finished. No job ran.';
  if (results.length <= 3) return `Finished. ${results.map((r) => `${r.job || 'Sync'}: ${r.status}`).join('; ')}.`;
  // Many jobs: how many ended each way, naming only those that did not end well.
  const by = new Map<string, string[]>();
  for (const r of results) by.set(r.status || 'Unknown', [...(by.get(r.status || 'Unknown') ?? []), r.job || 'Sync']);
  const parts = [...by].map(([status, jobs]) => (/^(OK|Preview)$/i.test(status) ? `${jobs.length} ${status}` : `${jobs.length} ${status} (${jobs.join(', ')})`));
  return `Finished ${results.length} jobs: ${parts.join(', ')}.`;
}

/** Whether a result should be shown as a problem (text says so too; colour only adds to it). */
export function resultIsProblem(r: Pick<JobResultSummary, 'status' | 'failed'>): boolean {
  return /^(failed|partial|held)$/i.test(r.status) || r.failed > 0;
}

/** The sentences under the Hourly sync switch. `requested` is what the user just asked for. */
export function scheduleText(s: SidebarSchedule, requested?: boolean): string[] {
  const lines: string[] = [];
  const someoneElse = s.on && s.owner !== '' && s.me !== '' && s.owner.toLowerCase() !== s.me.toLowerCase();
  if (requested !== undefined && requested !== s.on) {
    lines.push(
      s.on && someoneElse
        ? `Still on: only ${s.owner} can turn it off.`
        : s.on
          ? 'Still on: the hourly sync could not be turned off.'
          : 'Still off: the hourly sync could not be turned on.',
    );
  }
  if (!s.on) {
    lines.push('Off. Jobs run only when someone presses Run now.');
    lines.push('When on, jobs whose Schedule is Hourly or Daily run by themselves, even while the sheet is closed.');
    return lines;
  }
  if (!s.owner) lines.push('On.');
  else if (someoneElse) {
    lines.push(`On. Runs as ${s.owner}, who switched it on, not as you (${s.me}).`);
    lines.push(`Only ${s.owner} can turn it off.`);
  } else lines.push(`On. Runs as ${s.owner}${s.me ? ' (you)' : ''}.`);
  lines.push('Jobs whose Schedule is Hourly run every hour; Daily jobs once a day, Weekly jobs once a week.');
  return lines;
}

/** The way on after a failure, chosen by its code (never by its text); null when the message says enough. */
export function adviceFor(code: ErrorCode | undefined, system: string): { text: string; action?: string } | null {
  const secret = secretLabel(system);
  switch (code) {
    case 'auth':
      return {
        text: /everyaction/i.test(system)
          ? `EveryAction did not accept the ${secret}. Enter it again, and check that the key was issued for this connection's Mode (MyCampaign or VoterFile).`
          : `iMIS did not accept the user name or ${secret}. Enter the password again, and check the Username in the Connections tab.`,
        action: /everyaction/i.test(system) ? 'Enter the API key again' : 'Enter the password again',
      };
    case 'access':
      return { text: `Signed in, but not allowed. Ask your ${system || 'system'} administrator to give this user the access the job needs.` };
    case 'network':
      return { text: `${system || 'The system'} could not be reached. Check the URL in the Connections tab; if it is right, try again later.` };
    case 'rate_limited':
    case 'server':
      return { text: `${system || 'The system'} is busy or having trouble. Try again later; rows not sent are sent next time.` };
    case 'config':
      return { text: 'Fix the setup tabs as the message says, then run the job again.' };
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The job list: one line per job (name, status chip, last run in words), jobs needing attention first

/** A job's status chip: its word, and its kind (colour only repeats what the word says). */
export interface JobChip {
  text: string;
  kind: 'ok' | 'bad' | 'held' | 'idle' | 'off';
  /** Failed, Held, Partial, or cannot run as set up: shown first. */
  attention: boolean;
}

/** The status at the start of a Last Result cell ("Failed: …" → "Failed"), or '' when there is none. */
export function lastStatus(lastResult: string): string {
  return /^(OK|Partial|Failed|Skipped|Preview|Held)\b/i.exec(lastResult.trim())?.[1] ?? '';
}

/**
 * The chip for a job. `missingSecret`: the enabled job's connection has no password or key set
 * (a word for it, "password" or "API key", or true).
 */
export function jobChip(job: Pick<SidebarJob, 'enabled' | 'lastRun' | 'lastResult'>, missingSecret: boolean | string = false): JobChip {
  if (!job.enabled) return { text: 'Off', kind: 'off', attention: false };
  const status = lastStatus(job.lastResult).toLowerCase();
  if (status === 'failed') return { text: 'Failed', kind: 'bad', attention: true };
  if (status === 'held') return { text: 'Held', kind: 'held', attention: true };
  if (status === 'partial') return { text: 'Partial', kind: 'held', attention: true };
  if (missingSecret) return { text: missingSecret === true ? 'Needs key' : `Needs ${missingSecret}`, kind: 'bad', attention: true };
  if (status === 'ok') return { text: 'OK', kind: 'ok', attention: false };
  if (status === 'skipped') return { text: 'Skipped', kind: 'idle', attention: false };
  if (!job.lastRun && !job.lastResult) return { text: 'Not run', kind: 'idle', attention: false };
  return { text: job.lastResult.trim() ? 'See details' : 'Ran', kind: 'idle', attention: false };
}

/** The order the list shows jobs in: needing attention, then the others that run, then those off; tab order within each. */
export function jobOrder<T>(jobs: T[], chip: (job: T) => JobChip): T[] {
  const rank = (j: T) => {
    const c = chip(j);
    return c.attention ? 0 : c.kind === 'off' ? 2 : 1;
  };
  return jobs.map((job, i) => ({ job, i, r: rank(job) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.job);
}

/** The message part of a Last Result cell ("Failed: the password was refused" → "the password was refused"). */
export function lastMessage(lastResult: string): string {
  const text = lastResult.trim();
  const status = lastStatus(text);
  return status ? text.slice(status.length).replace(/^\s*[:—-]?\s*/, '') : text;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** [year, month 1–12, day, hour, minute] of an instant as the clock in `timeZone` shows it. */
function wallClock(instant: Date, timeZone: string | undefined): [number, number, number, number, number] {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(instant);
  } catch {
    // A zone this browser does not know: its own zone is the best there is.
    parts = new Intl.DateTimeFormat('en-US', { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(instant);
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return [get('year'), get('month'), get('day'), get('hour') % 24, get('minute')];
}

/**
 * A Last Run cell in plain words, in the spreadsheet's time zone: "today at 2:10 PM",
 * "yesterday at 9:12 AM", "Monday at 8:00 AM", "Nov 16 at 2:10 PM", "Nov 16, 2025". The add-on
 * writes an instant ("2026-11-23T19:10:00Z"); a time without a zone (a date cell, typed by hand)
 * is taken as the spreadsheet's own clock. Text that is no time at all comes back as it is.
 */
export function whenText(lastRun: string, timeZone: string | undefined, now: Date = new Date()): string {
  const text = lastRun.trim();
  if (!text) return '';
  let clock: [number, number, number, number, number];
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/.exec(text);
  if (local) {
    clock = [Number(local[1]), Number(local[2]), Number(local[3]), Number(local[4] ?? -1), Number(local[5] ?? 0)];
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) return text;
    clock = wallClock(at, timeZone);
  } else {
    return text;
  }
  const [y, mo, d, h, mi] = clock;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return text;
  const [ny, nmo, nd] = wallClock(now, timeZone);
  const dayNumber = (yy: number, mm: number, dd: number) => Math.round(Date.UTC(yy, mm - 1, dd) / 86_400_000);
  const daysAgo = dayNumber(ny, nmo, nd) - dayNumber(y, mo, d);
  const time = h < 0 ? '' : `${h % 12 === 0 ? 12 : h % 12}:${String(mi).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
  const at = time ? ` at ${time}` : '';
  if (daysAgo === 0) return `today${at}`;
  if (daysAgo === 1) return `yesterday${at}`;
  if (daysAgo > 1 && daysAgo < 7) return `${WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]}${at}`;
  const date = `${MONTHS[mo - 1]} ${d}`;
  if (y === ny && daysAgo > 0) return `${date}${at}`;
  return `${date}, ${y}`;
}

/** Text with the instants the add-on writes ("OK 2026-11-23T19:05:00Z") put in words in the spreadsheet's zone. */
export function withLocalTimes(text: string, timeZone: string | undefined, now: Date = new Date()): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/gi, (iso) => whenText(iso, timeZone, now));
}

/**
 * When a scheduled job runs next, in words in the spreadsheet's zone: "Next run due tomorrow at
 * 2:00 AM". The hourly sync runs it at its first run from then on, so a time already passed means
 * that run is still to come. '' when the job does not run by itself.
 */
export function nextDueText(nextDue: string | undefined, timeZone: string | undefined, now: Date = new Date()): string {
  const at = new Date(nextDue ?? '');
  if (!nextDue || Number.isNaN(at.getTime())) return '';
  if (at.getTime() <= now.getTime()) return 'Due: runs at the next hourly sync';
  const [y, mo, d, h, mi] = wallClock(at, timeZone);
  const [ny, nmo, nd] = wallClock(now, timeZone);
  const daysAhead = Math.round((Date.UTC(y, mo - 1, d) - Date.UTC(ny, nmo - 1, nd)) / 86_400_000);
  const time = `${h % 12 === 0 ? 12 : h % 12}:${String(mi).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
  const day = daysAhead === 0 ? 'today' : daysAhead === 1 ? 'tomorrow' : daysAhead < 7 ? WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()] : `${MONTHS[mo - 1]} ${d}`;
  return `Next run due ${day} at ${time}`;
}
