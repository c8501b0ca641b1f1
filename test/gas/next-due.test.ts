// The sidebar's next due time for each job that runs by itself, worked out on the server in the
// spreadsheet's time zone from the slot the hourly sync last ran.

import { describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { DEMO_QUERIES } from '../../src/simulators/imis';
import { seedConfig, setSecrets, type GasWorld } from './fakes';
import { MEMBERS, useWorlds } from './scenario';

const newWorld = useWorlds();

interface Job {
  name: string;
  nextDue?: string;
}
const dueTimes = (w: GasWorld) => Object.fromEntries((w.sidebar('sidebarState') as { jobs: Job[] }).jobs.map((j) => [j.name, j.nextDue ?? null]));

describe('next due in the sidebar', () => {
  it('is given for jobs the hourly sync runs, moves on once a slot has run, and is absent while hourly sync is off', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS] });
    setSecrets(w);
    const tiny = (name: string, enabled: boolean, schedule: string) => [name, enabled, 'Pull', 'iMIS', DEMO_QUERIES.activeMembers, name, 'ID', 'Replace', '', schedule, '', ''];
    w.sheet(TAB.jobs).seed([tiny('Weekly', true, 'Weekly Mon 07:00'), tiny('By hand', true, 'Manual'), tiny('Off', false, 'Daily')], 3, 1);
    // Monday 2026-11-23, 06:30 in New York (the spreadsheet's zone).
    w.clock.set(Date.parse('2026-11-23T11:30:00Z'));

    expect(dueTimes(w)).toEqual({ Members: null, Weekly: null, 'By hand': null, Off: null });

    w.call('turnHourlyOn');
    // Never run by the schedule: last Monday's slot is still waiting, so the next hourly run takes it.
    expect(dueTimes(w)).toEqual({ Members: '2026-11-23T12:00:00Z', Weekly: '2026-11-16T12:00:00Z', 'By hand': null, Off: null });

    w.clock.set(Date.parse('2026-11-23T12:20:00Z'));
    w.fireTriggers();
    expect(dueTimes(w)).toMatchObject({ Weekly: '2026-11-30T12:00:00Z' });
  });
});
