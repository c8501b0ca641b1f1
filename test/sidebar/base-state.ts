// The spreadsheet most sidebar page tests start from: an iMIS connection without its password,
// an EveryAction one tested OK, a pull that ran, a push not run yet and a push turned off.

import type { SidebarState } from '../../src/gas/sidebar-api';

export function baseState(): SidebarState {
  return {
    connections: [
      { name: 'iMIS', system: 'iMIS', status: '', hasSecret: false },
      { name: 'EveryAction', system: 'EveryAction', status: 'OK 2026-11-22 09:12', hasSecret: true },
    ],
    jobs: [
      { name: 'Members', action: 'Pull', connection: 'iMIS', enabled: true, schedule: 'Hourly', lastRun: '2026-11-23 13:00', lastResult: 'OK', target: 'Members' },
      { name: 'Event Sign-ups', action: 'Push', connection: 'iMIS', enabled: true, schedule: 'Hourly', lastRun: '', lastResult: '', target: 'Contact' },
      { name: 'Volunteers', action: 'Push', connection: 'EveryAction', enabled: false, schedule: 'Manual', lastRun: '', lastResult: '', target: 'People' },
    ],
    schedule: { on: false, owner: '', me: 'pat@example.org' },
    problems: [],
    tabsSetUp: true,
    timeZone: 'America/New_York',
  };
}
