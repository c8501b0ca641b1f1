// Which jobs the hourly trigger runs: Hourly every time, Daily once a day, Manual never (Manual
// jobs run only from Sync now, the sidebar or the command line).

import type { Job } from './config/types';

/** Daily jobs run again after this long; a little under 24 h so trigger jitter cannot skip a day. */
const DAILY_MS = 23 * 3600_000;

export function isDue(job: Job, lastRun: Date | null, now: Date): boolean {
  if (job.schedule === 'Manual') return false;
  if (job.schedule === 'Hourly') return true;
  return lastRun === null || now.getTime() - lastRun.getTime() >= DAILY_MS;
}

/** The Jobs tab's Last Run cell as an instant (a Date cell, or the ISO text the add-on writes). */
export function lastRunOf(cell: unknown): Date | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell;
  if (typeof cell !== 'string' || cell.trim() === '') return null;
  const t = Date.parse(cell.trim());
  return Number.isNaN(t) ? null : new Date(t);
}
