// Whole runs of the engine against the in-process iMIS simulators: config problems stop the run
// before any request, an API failure fails only its job, the Sync Report is honest.

import { describe, expect, it } from 'vitest';
import { createConnectors } from '../../src/connectors';
import { describeProblem, HEADERS } from '../../src/core/config/types';
import { runSync, type ConnectorFactory, type RunOptions } from '../../src/core/engine';
import { SyncError } from '../../src/core/errors';
import type { Grid, Lock, Secrets } from '../../src/core/ports';
import { secrets, type MemoryWorkbook } from '../helpers/fakes';
import { imisRun, jobRow as imisJobRow } from '../helpers/imis-run';

const jobRow = (name: string, connection: string, source: string, target: string, mode = 'Replace', match = 'ID', parameters = '') =>
  imisJobRow({ name, connection, source, target, mode, match, parameters });
const setup = imisRun;

const report = (wb: MemoryWorkbook) => wb.text('Sync Report');
const col = (wb: MemoryWorkbook, name: string) => report(wb)[0]!.indexOf(name);
/** A Jobs row switched off (Enabled FALSE). */
const off = (row: unknown[]) => row.map((c, i) => (i === 1 ? false : c));

/** A run of the setup with other secrets or connectors than imisRun's. */
function runWith(t: ReturnType<typeof setup>, deps: { secrets?: Secrets; connectors?: ConnectorFactory }, options: Partial<RunOptions> = {}) {
  return runSync(
    {
      workbook: t.workbook,
      store: t.store,
      http: t.http,
      clock: t.clock,
      log: t.log,
      secrets: deps.secrets ?? secrets({ iMIS: 'demo-password', 'Old iMIS': 'demo-password', EveryAction: 'demo-api-key' }),
      connectors: deps.connectors ?? createConnectors,
      timeZone: 'UTC',
    },
    { trigger: 'CLI', jobs: [], preview: false, budgetMs: 270_000, ...options },
  );
}

describe('a run', () => {
  it('pulls every enabled job in order and reports honest counts', () => {
    const t = setup([
      jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members'),
      jobRow('Events', 'Old iMIS', '$/ContactManagement/DefaultSystem/Queries/Advanced/Events', 'Events', 'Merge', 'EventCode'),
    ]);
    const out = t.run();
    expect(out.exitCode).toBe(0);
    expect(out.results.map((r) => [r.job, r.status, r.read, r.created, r.requests])).toEqual([
      ['Members', 'OK', 1234, 1234, 4], // token + 3 pages of 500
      ['Events', 'OK', 7, 7, 2], // token + 1 page (2017: /api/iqa only)
    ]);
    expect(t.workbook.tabs.get('Members')).toHaveLength(1235);
    expect(t.old.requests.some((r) => r.path.startsWith('/api/query'))).toBe(false);
    const rows = report(t.workbook);
    expect(rows[0]).toEqual([...HEADERS.report]);
    expect(rows.slice(1).map((r) => [r[col(t.workbook, 'Job')], r[col(t.workbook, 'Status')], r[col(t.workbook, 'Trigger')]])).toEqual([
      ['Members', 'OK', 'CLI'],
      ['Events', 'OK', 'CLI'],
    ]);
    const jobs = t.workbook.text('Jobs');
    expect(jobs[1]![11]).toBe('OK: 1,234 rows from $/Sheets Sync Demo/Active Members; the Sync Log lists the first 1,000 changed rows');
    expect(jobs[1]![10]).toBe('2026-11-23T15:00:00Z');
  });

  it('reads each tab a fixed number of times and writes each pulled tab once, however many rows', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')]);
    t.run();
    expect(t.workbook.writesByTab.Members).toBe(1);
    // Connections, Jobs, Mappings, Constants; the target tab after the query (edits made meanwhile
    // survive; only its header row is read before the run, see headerReads); the Sync Report once
    // (for {{lastSuccess}}); the Sync Report and Sync Log once each to create them; and the Jobs
    // tab again before Last Run is written (so edits made meanwhile survive)
    expect(t.workbook.reads).toBe(9);
    expect(t.workbook.headerReads).toBe(3);
  });

  it('appends to an existing Sync Report and Sync Log below their rows, never reading or rewriting them whole', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')]);
    t.run();
    const log = t.workbook.text('Sync Log').length;
    const whole: string[] = [];
    const write = t.workbook.write.bind(t.workbook);
    t.workbook.write = (tab, grid) => {
      whole.push(tab);
      write(tab, grid);
    };
    const reads = t.workbook.reads;
    t.workbook.tabs.set('Members', [[...t.workbook.tabs.get('Members')![0]!]]);
    t.run();
    // The config tabs, the target, the Sync Report once for {{lastSuccess}}, and Jobs before Last Run.
    expect(t.workbook.reads - reads).toBe(7);
    expect(whole).toEqual(['Members']);
    expect(t.workbook.text('Sync Log').length).toBeGreaterThan(log);
    expect(report(t.workbook).map((r) => r[5])).toEqual(['Status', 'OK', 'OK']);
  });

  it('keeps rows another run added to the Sync Report meanwhile, and edits made to the Jobs tab', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')]);
    const inner = t.workbook.write.bind(t.workbook);
    let once = true;
    t.workbook.write = (tab, grid) => {
      if (tab === 'Members' && once) {
        once = false;
        // meanwhile: a skipped run reports, and the coordinator adds a job and edits a cell
        const report = t.workbook.tabs.get('Sync Report') ?? [[...HEADERS.report]];
        t.workbook.tabs.set('Sync Report', [...report, ['other', '', '', 'Hourly', '', 'Skipped', 0, 0, 0, 0, 0, 0, 0, 'another run']]);
        const jobs = t.workbook.tabs.get('Jobs')!;
        t.workbook.tabs.set('Jobs', [jobs[0]!, ['New job', false, 'Pull', 'iMIS', '$/X', 'X', '', '', '', 'Manual', '', ''], ...jobs.slice(1).map((r) => r.map((c, i) => (i === 9 ? 'Daily' : c)))]);
      }
      inner(tab, grid);
    };
    t.run();
    expect(report(t.workbook).map((r) => r[5])).toEqual(['Status', 'Skipped', 'OK']);
    const jobs = t.workbook.text('Jobs');
    expect(jobs.map((r) => [r[0], r[9], r[11]!.slice(0, 3)])).toEqual([
      ['Name', 'Schedule', 'Las'],
      ['New job', 'Manual', ''],
      ['Members', 'Daily', 'OK:'],
    ]);
  });

  it('a pull may write only into a tab a pull wrote before, or one without rows: never over a coordinator’s own rows', () => {
    const own: Grid = [['Email', 'First'], ['a@example.org', 'Ann']];
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Sign-ups')], { 'Sign-ups': own });
    const out = t.run();
    expect(out.exitCode).toBe(2);
    expect(out.problems.map(describeProblem)).toEqual([
      'Jobs row 2, Target: the tab "Sign-ups" already holds 1 row that no pull wrote, and the pull would replace them; name a new tab (it is created), or empty this one first',
    ]);
    expect(t.ems.requests).toHaveLength(0);
    expect(t.workbook.tabs.get('Sign-ups')).toEqual(own);

    // A tab with only its header row is empty: the pull fills it, and may write it again from then on.
    const headerOnly = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')], { Members: [['ID', 'Notes']] });
    expect(headerOnly.run().exitCode).toBe(0);
    expect(headerOnly.store.get('pull:tabs')).toBe('["members"]');
    expect(headerOnly.run().exitCode).toBe(0);
  });

  it('an API failure fails that job only, with iMIS’s words, and leaves its tab exactly as it was', () => {
    const before: Grid = [['ID', 'Mine'], ['1', 'keep']];
    const t = setup(
      [jobRow('Broken', 'iMIS', '$/No Such Query', 'Members'), jobRow('Events', 'Old iMIS', '$/ContactManagement/DefaultSystem/Queries/Advanced/Events', 'Events', 'Merge', 'EventCode')],
      { Members: before },
    );
    t.store.set('pull:tabs', '["members"]');
    const out = t.run();
    expect(out.exitCode).toBe(1);
    expect(out.results[0]).toMatchObject({ status: 'Failed', read: 0 });
    expect(out.results[0]!.message).toBe(
      'iMIS could not find the query "$/No Such Query". Check Source in the Jobs tab (the IQA path as shown in iMIS, starting with $/). The tab was left as it was.',
    );
    expect(out.results[1]!.status).toBe('OK');
    expect(t.workbook.tabs.get('Members')).toEqual(before);
  });

  it('retries through 429s and 500s and still counts every request', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')]);
    t.ems.faults.queue({ status: 429, times: 1, pathPrefix: '/api/query', retryAfterSeconds: 2 });
    t.ems.faults.queue({ status: 500, times: 2, pathPrefix: '/api/query' });
    const out = t.run();
    expect(out.results[0]).toMatchObject({ status: 'OK', read: 1234, requests: 7 });
    expect(t.clock.sleeps[0]).toBe(2000);
  });

  it('renews an expired token in the middle of a run', () => {
    const t = setup([jobRow('A', 'iMIS', '$/Sheets Sync Demo/Active Members', 'A'), jobRow('B', 'iMIS', '$/Sheets Sync Demo/Active Members', 'B')]);
    t.ems.faults.queue({ status: 401, times: 1, pathPrefix: '/api/query' });
    const out = t.run();
    expect(out.results.map((r) => r.status)).toEqual(['OK', 'OK']);
    expect(t.ems.requests.filter((r) => r.path.toLowerCase().startsWith('/token'))).toHaveLength(2);
  });

  it('stops the run on a pull whose tab holds its key column twice, before asking iMIS anything, and leaves the tab as it was', () => {
    const tab = [['ID', 'Name', 'id'], ['1', 'Ann', '9']];
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')], { Members: tab });
    const out = t.run();
    expect(out.exitCode).toBe(2);
    expect(out.results).toEqual([expect.objectContaining({ job: '', status: 'Failed', requests: 0 })]);
    expect(out.results[0]!.message).toContain('Members row 1, ID: the header "ID" appears twice (columns A and C); keep one');
    expect(t.ems.requests).toHaveLength(0);
    expect(t.workbook.tabs.get('Members')).toEqual(tab);
  });

  it('a second run at the same time is Skipped', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')]);
    const held: Lock = { tryAcquire: () => false, release: () => undefined };
    const out = t.run({}, held);
    expect(out.results).toHaveLength(1);
    expect(out.results[0]).toMatchObject({ status: 'Skipped', requests: 0 });
    expect(t.ems.requests).toHaveLength(0);
  });

  it('stops between pages at the time budget: Partial, tab untouched', () => {
    // every request takes a second; the budget runs out after the second page
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members'), jobRow('Later', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Later')], {}, 1000);
    const out = t.run({ budgetMs: 2_500 });
    expect(out.results.map((r) => r.status)).toEqual(['Partial', 'Partial']);
    expect(out.results[0]!.message).toBe(
      'stopped at the time budget after 1,000 of 1,234 rows; the tab was left as it was and the pull starts again next run',
    );
    expect(out.results[1]!.message).toBe('Not started: the run used up its time budget; it runs next time.');
    expect(t.workbook.tabs.has('Members')).toBe(false);
    expect(out.exitCode).toBe(1);
  });

  it('preview writes no data tab and leaves Last Run alone', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')]);
    const out = t.run({ preview: true });
    expect(out.results[0]).toMatchObject({ status: 'Preview', created: 1234 });
    expect(out.exitCode).toBe(0);
    expect(t.workbook.tabs.has('Members')).toBe(false);
    expect(t.workbook.text('Jobs')[1]![10]).toBe('');
    expect(t.workbook.text('Sync Log')[1]![5]).toBe('Would create');
  });

  it('never keeps more than the newest 5,000 report rows: past that, the oldest go down to 4,500 at once', () => {
    const old: Grid = [[...HEADERS.report]];
    for (let i = 0; i < 5000; i++) old.push(['old', '', '', 'CLI', 'X', 'OK', 0, 0, 0, 0, 0, 0, 0, `row ${i}`]);
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members')], { 'Sync Report': old });
    t.run();
    const rows = report(t.workbook);
    expect(rows).toHaveLength(4501);
    expect(rows[1]![13]).toBe('row 501');
    expect(rows[4500]![4]).toBe('Members');
  });

  it('fills {{lastSuccess}} from the Sync Report', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Members by Type', 'Members', 'Replace', 'ID', '{{lastSuccess}}')]);
    t.run();
    t.clock.advance(3_600_000);
    t.run();
    const queries = t.ems.requests.filter((r) => r.path.startsWith('/api/query') && r.path.endsWith('Offset=0')).map((r) => decodeURIComponent(r.path));
    expect(queries[0]).toContain('Parameter=&');
    expect(queries[1]).toContain('Parameter=2026-11-23T15:00:00Z');
  });
});

describe('configuration problems stop the run before any request', () => {
  const cases: [string, () => ReturnType<typeof setup>, string][] = [
    ['an unknown connection', () => setup([jobRow('Members', 'iMS', '$/Q', 'Members')]), 'Jobs row 2, Connection: no connection named "iMS" (did you mean "iMIS"?)'],
    ['an IQA path without $/', () => setup([jobRow('Members', 'iMIS', 'Marketing/Q', 'Members')]), 'Jobs row 2, Source:'],
    [
      'duplicate job names',
      () => setup([jobRow('Members', 'iMIS', '$/Q', 'A'), jobRow('Members', 'iMIS', '$/Q', 'B')]),
      'Jobs row 3, Name: another job is already called "Members" (row 2)',
    ],
    [
      'a URL that is not https',
      () => {
        const t = setup([jobRow('Members', 'iMIS', '$/Q', 'Members')]);
        t.workbook.tabs.set('Connections', [[...HEADERS.connections], ['iMIS', 'iMIS', 'http://imis.example.org/', 'sync.user', '', '']]);
        return t;
      },
      'Connections row 2, URL:',
    ],
    [
      "a problem in the Mappings of a job that is on",
      () => setup([jobRow('Members', 'iMIS', '$/Q', 'Members')], { Mappings: [[...HEADERS.mappings], ['Members', 'Email', '', false, '']] }),
      'Mappings row 2, Field: the field name is required',
    ],
    [
      'a missing header',
      () => {
        const t = setup([jobRow('Members', 'iMIS', '$/Q', 'Members')]);
        t.workbook.tabs.set('Jobs', t.workbook.tabs.get('Jobs')!.map((r) => r.filter((_, i) => i !== 3)));
        return t;
      },
      'Jobs row 1, Connection: the column "Connection" is missing from the header row',
    ],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      const t = make();
      const out = t.run();
      expect(out.exitCode).toBe(2);
      expect(t.http.requests).toHaveLength(0);
      expect(out.results[0]!.status).toBe('Failed');
      expect(out.results[0]!.message).toContain(message);
      expect(report(t.workbook)[1]![13]).toContain(message);
    });
  }

  it('a missing password names the connection and how to set it', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Q', 'Members')]);
    const out = runSync(
      { workbook: t.workbook, store: t.store, http: t.http, clock: t.clock, log: t.log, secrets: secrets({}), connectors: createConnectors, timeZone: 'UTC' },
      { trigger: 'CLI', jobs: [], preview: false, budgetMs: 1000 },
    );
    expect(out.exitCode).toBe(2);
    expect(out.problems.map((p) => `${p.tab} ${p.row} ${p.column}`)).toEqual(['Connections 2 Name']);
    expect(out.results[0]!.message).toContain('no password is set for "iMIS" (set the secret for iMIS)');
    expect(t.http.requests).toHaveLength(0);
  });
});

describe('a saved secret is bound to its connection', () => {
  it('fails the jobs of a connection whose password was saved for another URL, sending nothing, and runs the others', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members'), jobRow('Events', 'Old iMIS', '$/ContactManagement/DefaultSystem/Queries/Advanced/Events', 'Events', 'Merge', 'EventCode')]);
    const out = runWith(t, { secrets: secrets({ iMIS: { state: 'changed', what: 'the URL' }, 'Old iMIS': 'demo-password' }) });
    expect(out.exitCode).toBe(1);
    expect(out.problems).toEqual([]);
    expect(out.results[0]).toMatchObject({
      job: 'Members',
      status: 'Failed',
      code: 'auth',
      requests: 0,
      message:
        'The password for "iMIS" was saved before the URL changed, so it was not used and nothing was sent. Enter the password again (set the secret for iMIS). The tab was left as it was.',
    });
    expect(t.ems.requests).toHaveLength(0);
    expect(out.results[1]).toMatchObject({ job: 'Events', status: 'OK', read: 7 });
    expect(t.log.lines.some((l) => l.includes('    at '))).toBe(false);
  });

  it('calls an EveryAction secret an API key', () => {
    const t = setup([jobRow('Changes', 'EveryAction', 'Changed people', 'EA People', 'Merge', 'VANID')]);
    const out = runWith(t, { secrets: secrets({ EveryAction: { state: 'changed', what: 'the application name' } }) });
    expect(out.results[0]).toMatchObject({ status: 'Failed', code: 'auth', requests: 0 });
    expect(out.results[0]!.message).toMatch(/^The API key for "EveryAction" was saved before the application name changed, so it was not used and nothing was sent\. Enter the API key again/);
    expect(t.http.requests).toHaveLength(0);
  });
});

describe('a job that fails as a whole', () => {
  it('carries the code of the SyncError it failed on, and logs a stack trace only for a bug', () => {
    const t = setup([jobRow('Offline', 'iMIS', '$/Q', 'A'), jobRow('Buggy', 'Old iMIS', '$/Q', 'B')]);
    const connectors: ConnectorFactory = (connection) => ({
      pull: {
        read: () => {
          if (connection.name === 'iMIS') throw new SyncError('network', 'iMIS could not be reached; check the URL in the Connections tab.');
          throw new TypeError("Cannot read properties of undefined (reading 'Items')");
        },
      },
    });
    const out = runWith(t, { connectors });
    expect(out.results.map((r) => [r.job, r.status, r.code])).toEqual([
      ['Offline', 'Failed', 'network'],
      ['Buggy', 'Failed', undefined],
    ]);
    const traces = t.log.lines.filter((l) => l.includes('\n    at '));
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatch(/^Buggy: TypeError/);
  });
});

describe('a draft blocks nothing', () => {
  it('runs the jobs that are on when a turned-off job has a setup problem, and reports it as a note', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members'), off(jobRow('Draft', 'iMIS', 'Marketing/Q', 'Draft'))], {
      Mappings: [[...HEADERS.mappings], ['Draft', 'Email', '', false, '']],
    });
    const out = t.run();
    expect(out.exitCode).toBe(0);
    expect(out.results.map((r) => [r.job, r.status])).toEqual([['Members', 'OK']]);
    expect(out.problems).toEqual([]);
    expect(out.notes.map((n) => `${n.tab} ${n.row} ${n.column}`)).toEqual(['Jobs 3 Source', 'Mappings 2 Field']);
    expect(t.log.lines).toContain('Fix before use (nothing that runs now needs it): Jobs row 3, Source: the IQA path must start with "$/", e.g. $/Marketing/Lists/Active Members');
    expect(report(t.workbook).slice(1).map((r) => r[col(t.workbook, 'Job')])).toEqual(['Members']);
  });

  it('still refuses to run a turned-off job named on purpose, with its notes alongside', () => {
    const t = setup([jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members'), off(jobRow('Draft', 'iMIS', 'Marketing/Q', 'Draft'))]);
    const out = t.run({ jobs: ['Draft'] });
    expect(out.exitCode).toBe(2);
    expect(out.problems.map((p) => p.message)).toEqual(['job "Draft" is turned off (Enabled is not TRUE)']);
    expect(out.notes).toHaveLength(1);
    expect(t.http.requests).toHaveLength(0);
  });
});

describe('resuming a run whose jobs changed meanwhile', () => {
  const jobs = () => [
    jobRow('Members', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Members'),
    off(jobRow('Turned off', 'iMIS', '$/Sheets Sync Demo/Active Members', 'Off')),
    jobRow('Events', 'Old iMIS', '$/ContactManagement/DefaultSystem/Queries/Advanced/Events', 'Events', 'Merge', 'EventCode'),
  ];
  const left = ['Members', 'Turned off', 'Renamed', 'Events'];

  it('reports a job turned off, renamed or removed since as Skipped and runs the rest', () => {
    const t = setup(jobs());
    const out = t.run({ jobs: left, runId: 'run-1', resuming: true });
    expect(out.exitCode).toBe(0);
    expect(out.results.map((r) => [r.job, r.status, r.requests])).toEqual([
      ['Turned off', 'Skipped', 0],
      ['Renamed', 'Skipped', 0],
      ['Members', 'OK', 4],
      ['Events', 'OK', 2],
    ]);
    expect(out.results[0]!.message).toBe('Not run: this job was turned off after the run started.');
    expect(out.results[1]!.message).toBe('Not run: this job was renamed or removed after the run started.');
    expect(out.remaining).toEqual([]);
    const rows = report(t.workbook).slice(1);
    expect(rows.map((r) => [r[col(t.workbook, 'Run')], r[col(t.workbook, 'Job')], r[col(t.workbook, 'Status')]])).toEqual([
      ['run-1', 'Turned off', 'Skipped'],
      ['run-1', 'Renamed', 'Skipped'],
      ['run-1', 'Members', 'OK'],
      ['run-1', 'Events', 'OK'],
    ]);
    // It did not run, so its Last Run and Last Result stay as they were.
    expect(t.workbook.text('Jobs')[2]!.slice(10)).toEqual(['', '']);
  });

  it('runs nothing when every job left has gone', () => {
    const t = setup(jobs());
    const out = t.run({ jobs: ['Turned off', 'Renamed'], runId: 'run-1', resuming: true });
    expect(out.results.map((r) => r.status)).toEqual(['Skipped', 'Skipped']);
    expect(t.http.requests).toHaveLength(0);
  });

  it('still stops on the same names when a person asked for them', () => {
    const t = setup(jobs());
    const out = t.run({ jobs: left });
    expect(out.exitCode).toBe(2);
    expect(out.problems.map((p) => p.message)).toEqual(['job "Turned off" is turned off (Enabled is not TRUE)', 'no job named "Renamed"']);
    expect(t.http.requests).toHaveLength(0);
  });
});
