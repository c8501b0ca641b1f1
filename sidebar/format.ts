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
  return `Finished. ${results.map((r) => `${r.job || 'Sync'}: ${r.status}`).join('; ')}.`;
}

/** Whether a result should be shown as a problem (text says so too; colour only adds to it). */
export function resultIsProblem(r: Pick<JobResultSummary, 'status' | 'failed'>): boolean {
  return /^(failed|partial)$/i.test(r.status) || r.failed > 0;
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
  lines.push('Jobs whose Schedule is Hourly run every hour; Daily jobs once a day.');
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
