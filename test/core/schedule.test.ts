// Schedules: which spellings a Schedule cell takes, and which hourly trigger runs a Daily or
// Weekly job, on the spreadsheet's clock, across time zones, clock changes and missed hours.

import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../src/core/config/types';
import { wallClock } from '../../src/core/dates';
import { RunState } from '../../src/core/run/run-state';
import { dueSlot, nextDue, scheduleFromText } from '../../src/core/schedule';
import { MemoryStore } from '../helpers/fakes';
import { imisRun, jobRow } from '../helpers/imis-run';

const HOUR = 3600_000;

/** The wall clock "yyyy-mm-dd HH:MM" of an instant in a zone, for readable expectations. */
function local(at: Date, timeZone: string): string {
  const [y, mo, d, h, mi] = wallClock(at, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${y}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}`;
}

/**
 * The hourly trigger firing at each of `times` (ISO instants), as the engine decides: the local
 * times at which the job ran. `settled`: the job had already run the slot current at the first
 * time (otherwise that first trigger catches it up, as for a job just added).
 */
function fire(schedule: string, timeZone: string, times: string[], settled = true): string[] {
  const store = new RunState(new MemoryStore());
  const first = dueSlot(schedule, null, new Date(times[0]!), timeZone).slot;
  if (settled && first !== null) store.takeSlot('Job', first);
  const ran: string[] = [];
  for (const t of times) {
    const now = new Date(t);
    const { due, slot } = dueSlot(schedule, store.lastSlot('Job'), now, timeZone);
    if (!due) continue;
    if (slot !== null) store.takeSlot('Job', slot);
    ran.push(local(now, timeZone));
  }
  return ran;
}

/** A trigger every hour from `start`, `minute` minutes past each UTC hour, for `hours` hours, leaving out `skip`. */
function hourly(start: string, hours: number, minute = 7, skip: number[] = []): string[] {
  const t0 = Date.parse(start) + minute * 60_000;
  return Array.from({ length: hours }, (_, i) => i)
    .filter((i) => !skip.includes(i))
    .map((i) => new Date(t0 + i * HOUR).toISOString());
}

describe('the Schedule cell', () => {
  it('takes Hourly, Daily, Daily HH:MM, Weekly <day> with an optional time, and Manual, in one spelling', () => {
    expect(['Hourly', 'manual', ' DAILY ', 'daily 6:00', 'Daily  18:45', 'weekly mon', 'Weekly monday 07:30', 'WEEKLY Sun 0:05'].map(scheduleFromText)).toEqual([
      'Hourly',
      'Manual',
      'Daily',
      'Daily 06:00',
      'Daily 18:45',
      'Weekly Mon',
      'Weekly Mon 07:30',
      'Weekly Sun 00:05',
    ]);
  });

  it('refuses anything else', () => {
    for (const bad of ['Every day', 'Daily 24:00', 'Daily 6:60', 'Daily 6', 'Weekly', 'Weekly Someday', 'Weekly Mon 7', 'Twice daily', 'Hourly 10:00']) {
      expect(scheduleFromText(bad), bad).toBeUndefined();
    }
  });

  it('an unknown schedule stops the run with a message naming the accepted forms', () => {
    const row = jobRow({ name: 'Events', connection: 'Old iMIS', source: '$/ContactManagement/DefaultSystem/Queries/Advanced/Events', target: 'Events', mode: 'Merge', match: 'EventCode' });
    row[HEADERS.jobs.indexOf('Schedule')] = 'Every day';
    const t = imisRun([row]);
    const out = t.run();
    expect(out.exitCode).toBe(2);
    expect(out.results[0]!.message).toContain(
      'Jobs row 2, Schedule: "Every day" is not a valid Schedule; use Hourly, Daily (after 02:00), Daily with a time (e.g. Daily 06:00), Weekly Mon … Weekly Sun with an optional time (e.g. Weekly Fri 17:30), or Manual (blank means Hourly)',
    );
    expect(t.old.requests).toEqual([]);
  });
});

describe('the hourly trigger', () => {
  it('runs Hourly jobs every time and Manual ones never', () => {
    const times = hourly('2026-11-23T00:00:00Z', 5);
    expect(fire('Hourly', 'UTC', times)).toHaveLength(5);
    expect(fire('Manual', 'UTC', times)).toEqual([]);
  });

  it('runs Daily at the first trigger after 02:00 on the spreadsheet clock, once a day, in any zone', () => {
    const times = hourly('2026-11-23T00:00:00Z', 48);
    expect(fire('Daily', 'UTC', times)).toEqual(['2026-11-23 02:07', '2026-11-24 02:07']);
    expect(fire('Daily', 'America/New_York', times)).toEqual(['2026-11-23 02:07', '2026-11-24 02:07']);
    // Half-hour zones: the trigger at 20:37 UTC is 02:07 in Kolkata.
    expect(fire('Daily', 'Asia/Kolkata', times)).toEqual(['2026-11-24 02:37', '2026-11-25 02:37']);
    expect(fire('Daily 06:00', 'Australia/Melbourne', times)).toEqual(['2026-11-24 06:07', '2026-11-25 06:07']);
  });

  it('a new job with a slot already started runs at the next trigger, not a day later', () => {
    expect(fire('Daily', 'UTC', hourly('2026-11-23T15:00:00Z', 3), false)).toEqual(['2026-11-23 15:07']);
  });

  it('a missed hour runs the slot at the next trigger, and only once', () => {
    // 02:07 and 03:07 never came: the 04:07 trigger runs it; 05:07 does not run it again.
    expect(fire('Daily', 'UTC', hourly('2026-11-23T00:00:00Z', 6, 7, [2, 3]))).toEqual(['2026-11-23 04:07']);
  });

  it('a late trigger and a prompt one in the same slot run it once', () => {
    expect(fire('Daily 06:00', 'UTC', ['2026-11-23T05:59:00Z', '2026-11-23T06:58:00Z', '2026-11-23T07:01:00Z'])).toEqual(['2026-11-23 06:58']);
  });

  it('New York in March: 02:00 never comes on the night the clocks go forward, and the job runs at the first trigger after', () => {
    // 2026-03-08: 01:59 EST is followed by 03:00 EDT.
    const times = hourly('2026-03-07T05:00:00Z', 72);
    expect(fire('Daily', 'America/New_York', times)).toEqual(['2026-03-07 02:07', '2026-03-08 03:07', '2026-03-09 02:07']);
    expect(fire('Daily 02:30', 'America/New_York', times)).toEqual(['2026-03-07 03:07', '2026-03-08 03:07', '2026-03-09 03:07']);
  });

  it('New York in November: 01:30 comes twice on the night the clocks go back, and the job runs once', () => {
    // 2026-11-01: 01:59 EDT is followed by 01:00 EST.
    const times = hourly('2026-10-31T04:00:00Z', 72, 40);
    const ran = fire('Daily 01:30', 'America/New_York', times);
    expect(ran).toEqual(['2026-10-31 01:40', '2026-11-01 01:40', '2026-11-02 01:40']);
    expect(times.filter((t) => local(new Date(t), 'America/New_York') === '2026-11-01 01:40')).toHaveLength(2);
  });

  it('Weekly runs once a week on its day, after 02:00 or at its own time', () => {
    const times = hourly('2026-11-22T00:00:00Z', 24 * 15);
    // 2026-11-23 and 2026-11-30 are Mondays.
    expect(fire('Weekly Mon', 'Europe/London', times)).toEqual(['2026-11-23 02:07', '2026-11-30 02:07']);
    expect(fire('Weekly Fri 17:30', 'America/Los_Angeles', times)).toEqual(['2026-11-27 18:07', '2026-12-04 18:07']);
  });
});

describe('next due', () => {
  const zone = 'America/New_York';
  const at = (iso: string) => new Date(iso);

  it('is the start of the next slot once this one has run, on the spreadsheet clock across a clock change', () => {
    // Saturday 2026-03-07 10:00 EST; today's 02:00 slot ran. Tomorrow 02:00 does not exist: 03:00 EDT.
    expect(nextDue('Daily', '2026-03-07T02:00', at('2026-03-07T15:00:00Z'), zone)!.toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(nextDue('Daily 06:00', '2026-03-07T06:00', at('2026-03-07T15:00:00Z'), zone)!.toISOString()).toBe('2026-03-08T10:00:00.000Z');
    expect(nextDue('Weekly Mon 07:00', '2026-03-02T07:00', at('2026-03-07T15:00:00Z'), zone)!.toISOString()).toBe('2026-03-09T11:00:00.000Z');
  });

  it('is the start of the slot still waiting when it has not run; the next full hour for Hourly; none for Manual', () => {
    expect(nextDue('Daily', null, at('2026-11-23T15:00:00Z'), zone)!.toISOString()).toBe('2026-11-23T07:00:00.000Z');
    expect(nextDue('Hourly', null, at('2026-11-23T15:20:00Z'), zone)!.toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(nextDue('Hourly', null, at('2026-11-23T15:20:00Z'), 'Asia/Kolkata')!.toISOString()).toBe('2026-11-23T15:30:00.000Z');
    expect(nextDue('Manual', null, at('2026-11-23T15:20:00Z'), zone)).toBeNull();
  });
});

describe('a scheduled run of the engine', () => {
  const events = () => {
    const row = jobRow({ name: 'Events', connection: 'Old iMIS', source: '$/ContactManagement/DefaultSystem/Queries/Advanced/Events', target: 'Events', mode: 'Merge', match: 'EventCode' });
    row[HEADERS.jobs.indexOf('Schedule')] = 'Daily';
    return imisRun([row]);
  };
  const ranAt = (t: ReturnType<typeof events>, iso: string, o: { scheduled?: boolean; trigger?: 'Hourly' | 'Manual' } = { scheduled: true, trigger: 'Hourly' }) => {
    t.clock.advance(Date.parse(iso) - t.clock.now().getTime());
    return t.run({ trigger: o.trigger ?? 'Hourly', scheduled: o.scheduled }).results.map((r) => r.job);
  };

  it('remembers the slot it ran, and a manual run does not move it', () => {
    const t = events();
    // Added during the day: the first hourly run catches up today's slot.
    expect(ranAt(t, '2026-11-23T16:00:00Z')).toEqual(['Events']);
    expect(ranAt(t, '2026-11-23T17:00:00Z')).toEqual([]);
    // Sync now at 01:00 and again at 03:00: neither is the day's scheduled run.
    expect(ranAt(t, '2026-11-24T01:00:00Z', { trigger: 'Manual' })).toEqual(['Events']);
    expect(ranAt(t, '2026-11-24T01:30:00Z')).toEqual([]);
    expect(ranAt(t, '2026-11-24T03:00:00Z', { trigger: 'Manual' })).toEqual(['Events']);
    expect(ranAt(t, '2026-11-24T03:10:00Z')).toEqual(['Events']);
    expect(t.store.get('schedule:slot:events')).toBe('2026-11-24T02:00');
    expect(ranAt(t, '2026-11-24T04:10:00Z')).toEqual([]);
    expect(ranAt(t, '2026-11-25T02:10:00Z')).toEqual(['Events']);
  });

  it('a run that stops on a setup problem or finds another run going has not had its turn', () => {
    const t = events();
    const lock = { tryAcquire: () => false, release: () => undefined };
    t.clock.advance(Date.parse('2026-11-24T02:10:00Z') - t.clock.now().getTime());
    expect(t.run({ trigger: 'Hourly', scheduled: true }, lock).results.map((r) => r.status)).toEqual(['Skipped']);
    expect(t.store.get('schedule:slot:events')).toBeNull();
    expect(ranAt(t, '2026-11-24T03:10:00Z')).toEqual(['Events']);
  });
});
