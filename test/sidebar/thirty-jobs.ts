// A spreadsheet with 30 jobs, as a membership team that has grown into Sheets Sync might have:
// two failed, one stopped part way at the time limit, three off, the rest fine, run at various times. Shared by
// the scale tests (scale.test.ts) and the README's pictures (scripts/screenshots.mjs).

import type { SidebarJob, SidebarState } from '../../src/gas/sidebar-api';

/** "Now" for the pictures and tests: 3 PM on Monday 23 November 2026 in New York. */
export const THIRTY_NOW = '2026-11-23T20:00:00Z';

const NAMES = [
  'Active Members', 'Lapsed Members', 'New Members', 'Board', 'Committees', 'Chapter Leaders', 'Event Sign-ups', 'Annual Conference',
  'Webinar Attendees', 'Donors', 'Monthly Donors', 'Major Gifts', 'Volunteers', 'Petition Signers', 'Advocacy Alerts', 'Newsletter',
  'Email Opt-outs', 'SMS Opt-ins', 'Mentors', 'Students', 'Retirees', 'Exhibitors', 'Sponsors', 'Awards Nominees', 'Certifications',
  'Continuing Education', 'Job Board', 'Surveys', 'Dues Renewals', 'Address Changes',
];

export function thirtyJobs(): SidebarState {
  const jobs: SidebarJob[] = NAMES.map((name, i) => {
    const push = i % 3 === 1;
    const ea = i % 4 === 3;
    // Hourly jobs ran at ten past the hour, in UTC as the add-on writes it; daily ones earlier days.
    const daysAgo = i % 5 === 4 ? (i % 7) + 1 : 0;
    const at = new Date(Date.parse(THIRTY_NOW) - daysAgo * 86_400_000 - ((i % 6) * 60 + 50) * 60_000);
    return {
      name,
      action: push ? 'Push' : 'Pull',
      connection: ea ? 'EveryAction' : 'iMIS',
      enabled: true,
      schedule: daysAgo ? 'Daily' : 'Hourly',
      lastRun: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      lastResult: 'OK',
      target: push ? (ea ? 'People' : 'Contact') : name,
    };
  });
  const set = (name: string, patch: Partial<SidebarJob>) => Object.assign(jobs.find((j) => j.name === name)!, patch);
  set('Donors', { lastResult: 'Failed: iMIS did not accept the password for sync.user (401); nothing was read.' });
  set('Surveys', { lastResult: 'Failed: iMIS could not be reached at https://myorg.imiscloud.com/; rows not sent are sent next time.' });
  set('Dues Renewals', { lastResult: 'Partial: 1,000 of 2,140 rows sent; stopped at the time limit; 1,140 rows will be sent next run' });
  set('Mentors', { enabled: false, lastRun: '', lastResult: '' });
  set('Job Board', { enabled: false, lastRun: '', lastResult: '' });
  set('Exhibitors', { enabled: false });
  set('Address Changes', { lastRun: '', lastResult: '' });
  return {
    connections: [
      { name: 'iMIS', system: 'iMIS', status: 'OK 2026-11-23T14:05:00Z', hasSecret: true },
      { name: 'EveryAction', system: 'EveryAction', status: 'OK 2026-11-22T09:12:00Z', hasSecret: true },
    ],
    jobs,
    schedule: { on: true, owner: 'pat@example.org', me: 'pat@example.org' },
    problems: [],
    tabsSetUp: true,
    timeZone: 'America/New_York',
  };
}
