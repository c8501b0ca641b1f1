// Unattended runs end to end in the Apps Script harness (issue 11's proof): a Daily job on the
// spreadsheet's clock, the brake holding a scheduled pull whose query emptied, the one alert about
// it, the coordinator applying it by hand, and a scheduled run paused at its time budget, braked
// only when the hourly trigger carries it on, never when a person does.

import { describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { DEMO_QUERIES } from '../../src/simulators/imis';
import { COORDINATOR, contactMappings, peopleTab, seedConfig, setSecrets, type GasWorld } from './fakes';
import { MEMBERS, report, runRecord, SIGNUPS, useWorlds } from './scenario';

const newWorld = useWorlds();

/** New York wall-clock time on a day of November 2026 (the harness spreadsheet's zone is New York, UTC−5). */
const ny = (day: number, hhmm: string) => Date.parse(`2026-11-${String(day).padStart(2, '0')}T${hhmm}:00-05:00`);

function hourlyAt(w: GasWorld, at: number) {
  w.clock.set(at);
  const e = w.trigger('hourlySync');
  expect(e.error).toBeUndefined();
}

const rows = (w: GasWorld) => report(w).map((r) => `${String(r.Trigger)} ${String(r.Job)} ${String(r.Status)}`);

describe('An unattended week', () => {
  it('runs a Daily 06:00 job once a day, holds the day its query came back empty, emails once, and the coordinator applies it', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [{ ...MEMBERS, schedule: 'Daily 06:00' }] });
    setSecrets(w);
    w.clock.set(ny(23, '05:10'));
    w.call('turnHourlyOn');
    // Catches up yesterday's slot at once (the job never ran by schedule), then waits for 06:00.
    hourlyAt(w, ny(23, '05:20'));
    hourlyAt(w, ny(23, '05:59'));
    hourlyAt(w, ny(23, '06:20'));
    hourlyAt(w, ny(23, '07:20'));
    expect(rows(w)).toEqual(['Hourly Members OK', 'Hourly Members OK']);
    const members = w.sheet('Members').grid();
    expect(members.length).toBeGreaterThan(1);

    const memberRows = w.imis.queryRows(DEMO_QUERIES.activeMembers);
    // Overnight the query comes back empty: the morning's scheduled run is held, the tab untouched.
    w.imis.setQueryRows(DEMO_QUERIES.activeMembers, []);
    hourlyAt(w, ny(24, '06:20'));
    const held = report(w).at(-1)!;
    expect(held).toMatchObject({ Trigger: 'Hourly', Job: 'Members', Status: 'Held' });
    expect(String(held.Message)).toMatch(/^This pull would remove 1,234 of 1,234 rows \(100 %\)/);
    expect(w.sheet('Members').grid()).toEqual(members);
    expect(w.mail.sent).toHaveLength(1);
    expect(w.mail.sent[0]!).toMatchObject({ to: [COORDINATOR], subject: 'Sheets Sync: "Members" is held in "Membership sync"' });
    expect(w.mail.sent[0]!.body).toContain(`Members: Held\n${String(held.Message)}`);

    // The slot is used up: no second try, no second email, until tomorrow.
    hourlyAt(w, ny(24, '07:20'));
    expect(report(w)).toHaveLength(3);
    expect(w.mail.sent).toHaveLength(1);

    // The coordinator looks, agrees, and runs it by hand: it does exactly what was held.
    w.clock.set(ny(24, '09:00'));
    w.call('syncNow');
    expect(rows(w).at(-1)).toBe('Manual Members OK');
    expect(w.sheet('Members').grid().slice(1).filter((r) => r.some((c) => c !== ''))).toEqual([]);
    // A manual run leaves the slot alone: the next scheduled run is tomorrow at 06:00.
    hourlyAt(w, ny(24, '10:20'));
    expect(report(w)).toHaveLength(4);

    // Tomorrow, nothing unusual: an empty query over an empty tab is OK, and nobody is emailed.
    hourlyAt(w, ny(25, '06:20'));
    expect(rows(w).at(-1)).toBe('Hourly Members OK');
    expect(w.mail.sent).toHaveLength(1);
    // The members come back (adding rows is never unusual), then vanish again: the job ended OK
    // in between, so this hold is emailed too.
    w.imis.setQueryRows(DEMO_QUERIES.activeMembers, memberRows);
    hourlyAt(w, ny(26, '06:20'));
    expect(rows(w).at(-1)).toBe('Hourly Members OK');
    w.imis.setQueryRows(DEMO_QUERIES.activeMembers, []);
    hourlyAt(w, ny(27, '06:20'));
    expect(rows(w).at(-1)).toBe('Hourly Members Held');
    expect(w.mail.sent).toHaveLength(2);
  });
});

/** Members (slow: it uses up the run's time) then a 700-row push: a scheduled run pauses before the push. */
function pausedScheduledRun(): GasWorld {
  const w = newWorld();
  seedConfig(w, { jobs: [MEMBERS, SIGNUPS], mappings: contactMappings('Sign-ups') });
  w.addSheet('Sign-ups', peopleTab(700));
  setSecrets(w);
  w.clock.set(ny(23, '05:10'));
  w.call('turnHourlyOn');
  w.internet.latencyMs = 80_000;
  hourlyAt(w, ny(23, '05:20'));
  w.internet.latencyMs = 0;
  expect(rows(w)).toEqual(['Hourly Members OK', 'Hourly Sign-ups Partial']);
  expect(runRecord(w).checkpoints).toMatchObject([{ jobs: ['Sign-ups'], trigger: 'Hourly', scheduled: true }]);
  return w;
}

describe('A scheduled run paused at its time budget', () => {
  it('carried on by the next hourly run is braked like the run it belongs to', () => {
    const w = pausedScheduledRun();
    hourlyAt(w, ny(23, '06:20'));
    expect(rows(w).at(-1)).toBe('Hourly Sign-ups Held');
    expect(String(report(w).at(-1)!.Message)).toContain('This push would send 700 rows of 700 (100 %)');
    expect(w.imis.parties().filter((p) => JSON.stringify(p).includes('signup.'))).toEqual([]);
    expect(w.mail.sent.map((m) => m.subject)).toEqual(['Sheets Sync: "Sign-ups" is held in "Membership sync"']);
  });

  it('carried on by a person (Sync now) is not braked: they asked for it', () => {
    const w = pausedScheduledRun();
    w.clock.set(ny(23, '05:40'));
    w.call('syncNow');
    expect(rows(w).at(-1)).toBe('Manual Sign-ups OK');
    expect(new Set(report(w).map((r) => r.Run)).size, 'one run').toBe(1);
    expect(w.imis.parties().filter((p) => JSON.stringify(p).includes('signup.'))).toHaveLength(700);
    expect(w.mail.sent).toEqual([]);
  });

  it('carried on from the sidebar is not braked either', () => {
    const w = pausedScheduledRun();
    let step = w.sidebar<{ done: boolean; token: string }>('startRun', '', false);
    for (let i = 0; !step.done && i < 100; i++) step = w.sidebar('continueRun', step.token);
    expect(rows(w).filter((r) => r.includes('Sign-ups')).at(-1)).toBe('Manual Sign-ups OK');
    expect(w.imis.parties().filter((p) => JSON.stringify(p).includes('signup.'))).toHaveLength(700);
  });
});
