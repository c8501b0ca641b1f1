// Which jobs the hourly trigger runs. Hourly jobs run at every trigger; Daily and Weekly ones once
// per slot, a slot being a day (or a week) from a time on the spreadsheet's own clock; Manual jobs
// run only from Sync now, the sidebar or the command line.
//
// The trigger fires roughly hourly, sometimes late, sometimes skipping an hour, so a slot is not
// "the trigger at 02:00" but "the first trigger at or after 02:00 that finds the slot not yet run".
// Which slot ran last is kept per job in the run state (run/run-state.ts), not read from the Jobs tab's Last Run: a run by
// hand writes Last Run too, and must not stand in for the scheduled one.

import type { Schedule } from './config/types';
import { wallClock, zoneFromLocal } from './dates';

type Rule = { every: 'hour' } | { every: 'day'; at: number } | { every: 'week'; day: number; at: number } | { every: 'never' };

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
/** Plain Daily and Weekly: after the night's quiet hours, so the sheet is fresh by morning. */
const DEFAULT_AT = 2 * 60;

/** The accepted forms, for messages. */
export const SCHEDULE_FORMS = 'Hourly, Daily (after 02:00), Daily with a time (e.g. Daily 06:00), Weekly Mon … Weekly Sun with an optional time (e.g. Weekly Fri 17:30), or Manual';

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function timeOf(h: string | undefined, m: string | undefined): number | null | undefined {
  if (h === undefined) return undefined;
  const hours = Number(h);
  const minutes = Number(m);
  return hours <= 23 && minutes <= 59 ? hours * 60 + minutes : null;
}

function dayOf(word: string): number {
  const w = word.toLowerCase();
  return DAYS.findIndex((d) => w === d.toLowerCase() || w === d.slice(0, 3).toLowerCase());
}

/**
 * A Schedule cell in its one spelling ("daily 6:00" → "Daily 06:00"), or undefined when it is no
 * schedule. Blank is left to the caller (it means Hourly).
 */
export function scheduleFromText(text: string): Schedule | undefined {
  const s = text.trim().replace(/\s+/g, ' ');
  if (/^hourly$/i.test(s)) return 'Hourly';
  if (/^manual$/i.test(s)) return 'Manual';
  const daily = /^daily(?: (\d{1,2}):(\d{2}))?$/i.exec(s);
  if (daily) {
    const at = timeOf(daily[1], daily[2]);
    if (at === null) return undefined;
    return at === undefined ? 'Daily' : `Daily ${hhmm(at)}`;
  }
  const weekly = /^weekly ([a-z]+)(?: (\d{1,2}):(\d{2}))?$/i.exec(s);
  if (weekly) {
    const day = dayOf(weekly[1]!);
    const at = timeOf(weekly[2], weekly[3]);
    if (day < 0 || at === null) return undefined;
    return `Weekly ${DAYS[day]!.slice(0, 3)}${at === undefined ? '' : ` ${hhmm(at)}`}`;
  }
  return undefined;
}

function ruleOf(schedule: string): Rule | undefined {
  const s = scheduleFromText(schedule);
  if (s === undefined) return undefined;
  if (s === 'Hourly') return { every: 'hour' };
  if (s === 'Manual') return { every: 'never' };
  const [kind, a, b] = s.split(' ');
  const minutes = (t: string | undefined) => (t === undefined ? DEFAULT_AT : Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
  if (kind === 'Daily') return { every: 'day', at: minutes(a) };
  return { every: 'week', day: dayOf(a!), at: minutes(b) };
}

/** A calendar date moved by whole days, as [year, month (1–12), day]. */
function addDays(y: number, mo: number, d: number, days: number): [number, number, number] {
  const t = new Date(Date.UTC(y, mo - 1, d + days));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

/**
 * The newest slot that has started by `now`, as the spreadsheet's wall clock names it
 * ("2026-03-08T02:00"): text that sorts in time order and does not shift when the clocks change.
 * Comparing wall clocks, not instants, means a time the clocks skip (02:30 on the spring-forward
 * night) starts its slot at the first trigger after the jump, and a time they repeat in autumn
 * cannot start a second one.
 */
function slotAt(rule: { at: number; day?: number }, now: Date, timeZone: string): [number, number, number] {
  const [y, mo, d, h, mi] = wallClock(now, timeZone);
  const before = h * 60 + mi < rule.at;
  if (rule.day === undefined) return addDays(y, mo, d, before ? -1 : 0);
  const today = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  let back = (today - rule.day + 7) % 7;
  if (back === 0 && before) back = 7;
  return addDays(y, mo, d, -back);
}

const slotText = ([y, mo, d]: [number, number, number], at: number) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${hhmm(at)}`;

/**
 * Whether the hourly trigger firing at `now` runs the job, and the slot to remember when it does
 * (null for Hourly jobs: the trigger itself is their slot).
 */
export function dueSlot(schedule: string, ran: string | null, now: Date, timeZone: string): { due: boolean; slot: string | null } {
  const rule = ruleOf(schedule);
  if (rule === undefined || rule.every === 'never') return { due: false, slot: null };
  if (rule.every === 'hour') return { due: true, slot: null };
  const slot = slotText(slotAt(rule, now, timeZone), rule.at);
  // A later slot already run (the schedule was moved to an earlier time today) counts as this one.
  return { due: ran === null || ran < slot, slot };
}

/**
 * When the job is next due: the instant its next slot starts (it runs at the first hourly trigger
 * after that), or the start of the slot it is waiting for when that has not run yet. Null for
 * Manual or an unreadable schedule.
 */
export function nextDue(schedule: string, ran: string | null, now: Date, timeZone: string): Date | null {
  const rule = ruleOf(schedule);
  if (rule === undefined || rule.every === 'never') return null;
  const at = (date: [number, number, number], minutes: number) =>
    zoneFromLocal(new Date(date[0], date[1] - 1, date[2], Math.floor(minutes / 60), minutes % 60), timeZone);
  if (rule.every === 'hour') {
    const [y, mo, d, h] = wallClock(now, timeZone);
    return at(addDays(y, mo, d, 0), (h + 1) * 60);
  }
  const current = slotAt(rule, now, timeZone);
  if (ran === null || ran < slotText(current, rule.at)) return at(current, rule.at);
  return at(addDays(...current, rule.every === 'day' ? 1 : 7), rule.at);
}
