// One sync run, whatever started it (the CLI, Sync now, the hourly trigger): read and check the
// config tabs, then run each selected job in Jobs-tab order and record it in the Sync Report.
// A configuration problem touching a job that is turned on stops the run before a single request
// is sent; one in a turned-off job or an unused connection is only logged as a note.

import { budgetFrom } from './budget';
import { cellText } from './cells';
import { OPEN_CATALOGUES } from './config/catalogues';
import { parseConfig, selectJobs, type DroppedJob } from './config/parse';
import { describeNote, describeProblem, TAB, type ConfigProblem, type Connection, type Job } from './config/types';
import { dateInZone, isoSeconds, runId as makeRunId } from './dates';
import { errorCode, failureSentence, logIfBug, SyncError } from './errors';
import { CountingHttp } from './http';
import type { Clock, ConnectorIO, Grid, Http, KeyValueStore, Lock, Log, Secrets, TargetCatalogues, Workbook } from './ports';
import { checkPullTarget, runPull, type PullSource } from './pull';
import { PulledTabs } from './pulled-tabs';
import { checkPushSource, runPush, type PushJob } from './push/runner';
import type { PushTarget } from './push/types';
import { RunReport } from './report';
import { RunState } from './run/run-state';
import { dueSlot } from './schedule';
import { zeroCounts, type JobContext, type JobResult, type JobStatus, type Trigger } from './results';
import type { TokenValues } from './tokens';

// Connector-facing ports; re-exported so existing importers keep working.
export type { ConnectorIO, Transport } from './ports';

/** The capabilities one connection offers; absent ones are not supported by its system. */
export interface ConnectorSet {
  pull?: PullSource;
  push?: (job: PushJob) => PushTarget;
  /** The connection test: a plain sentence on success; throws with a plain message otherwise. */
  test?: () => string;
  /** Field names a push job's target takes, for the sidebar to offer ([] when unknown): its catalogue's, live ones included. */
  fields?: (job: PushJob) => string[];
}

export interface ConnectorFactory {
  (connection: Connection, io: ConnectorIO): ConnectorSet;
  /** The static target catalogues of every system, handed to config parsing (see TargetCatalogue). */
  readonly catalogues?: TargetCatalogues;
}

export interface EngineDeps {
  workbook: Workbook;
  store: KeyValueStore;
  http: Http;
  clock: Clock;
  log: Log;
  secrets: Secrets;
  connectors: ConnectorFactory;
  /** The spreadsheet's IANA time zone, for {{today}}. */
  timeZone: string;
  lock?: Lock;
  random?: () => number;
}

export interface RunOptions {
  trigger: Trigger;
  /** Job names to run; empty = every enabled job. */
  jobs: string[];
  preview: boolean;
  /** Stop between batches after this long (Apps Script allows 6 minutes). */
  budgetMs: number;
  /**
   * A shorter slice (the sidebar's, for progress): no new job starts and no push batch is sent
   * after it, but a pull already reading keeps going to budgetMs, because a pull stopped half way
   * has to start again from its first page.
   */
  sliceMs?: number;
  /** Continue an earlier run that stopped at its budget: its id, so the report reads as one run. */
  runId?: string;
  /**
   * `jobs` come from that earlier run's checkpoint, not from a person: a job turned off, renamed
   * or removed since it started is reported Skipped instead of stopping the run.
   */
  resuming?: boolean;
  /** The hourly trigger: only jobs whose Schedule is due (see schedule.ts). */
  scheduled?: boolean;
  /**
   * Hold unusual changes (DESIGN §10.4). Defaults to `scheduled`; set on its own where nobody is
   * watching but jobs are not chosen by Schedule: the CLI's --brake, a resumed scheduled run.
   */
  brake?: boolean;
}

export interface RunOutcome {
  runId: string;
  results: JobResult[];
  problems: ConfigProblem[];
  /** Problems in turned-off jobs and unused connections: reported (log.warn), but they stopped nothing. */
  notes: ConfigProblem[];
  /** 0 every job OK or Preview; 1 a job or row failed, was held, or did not finish; 2 configuration error. */
  exitCode: 0 | 1 | 2;
  /** Jobs that did not finish (stopped at the budget, or not started), to run next time, in order. */
  remaining: string[];
}

export const DEFAULT_BUDGET_MS = 4.5 * 60 * 1000;
const MAX_PROBLEMS_IN_REPORT = 5;

function problemSummary(problems: ConfigProblem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_IN_REPORT).map(describeProblem);
  const more = problems.length - shown.length;
  return `Nothing was sent because the setup tabs need fixing: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

function notRunMessage(job: DroppedJob): string {
  return job.turnedOff ? 'Not run: this job was turned off after the run started.' : 'Not run: this job was renamed or removed after the run started.';
}

/**
 * A saved secret is bound to the connection as it was when saved (DESIGN §10.2); if the URL,
 * user name or mode changed since, it must not go to the new address, so the job stops here.
 */
function changedSecretError(connection: Connection): SyncError {
  const what = connection.system === 'iMIS' ? 'password' : 'API key';
  const how = connection.secretHowTo ?? 'enter it in the add-on sidebar';
  return new SyncError(
    'auth',
    `The ${what} for "${connection.name}" was saved before ${connection.secretChanged} changed, so it was not used and nothing was sent. Enter the ${what} again (${how}).`,
  );
}

export function runSync(deps: EngineDeps, options: RunOptions): RunOutcome {
  const started = deps.clock.now();
  // A second-resolution time plus a random tail: two runs started in the same second differ.
  const runId = options.runId ?? `${makeRunId(started)}-${Math.floor((deps.random ?? Math.random)() * 36 ** 4).toString(36).padStart(4, '0')}`;
  const report = new RunReport(deps.workbook, runId, options.trigger);
  const single = (job: string, status: JobStatus, message: string): JobResult => {
    const r: JobResult = { job, status, started, finished: deps.clock.now(), requests: 0, message, log: [], ...zeroCounts() };
    report.record(job, r);
    return r;
  };

  // Push source tabs are read once, before anything is sent, and read again only if an earlier
  // job of this run wrote to them (a pull feeding a push).
  const written = new Set<string>();
  const grids = new Map<string, Grid | null>();
  const workbook: Workbook = {
    read: (tab) => deps.workbook.read(tab),
    headerOf: (tab) => deps.workbook.headerOf(tab),
    write: (tab, grid) => {
      written.add(tab);
      deps.workbook.write(tab, grid);
    },
    writeBlock: (tab, row, column, values) => {
      written.add(tab);
      deps.workbook.writeBlock(tab, row, column, values);
    },
  };
  const sourceGrid = (tab: string): Grid | null => {
    if (!grids.has(tab) || written.delete(tab)) grids.set(tab, workbook.read(tab));
    return grids.get(tab)!;
  };

  // A tab that cannot be read at all (a CSV file that is not UTF-8) is a setup problem like any
  // other: the run stops before anything is sent.
  const unreadable: ConfigProblem[] = [];
  const state = new RunState(deps.store);
  const pulledTabs = new PulledTabs(state);
  const readSetup = (tab: string, read: (tab: string) => Grid | null): Grid | null | undefined => {
    try {
      return read(tab);
    } catch (e) {
      if (errorCode(e) !== 'config') throw e;
      unreadable.push({ tab, row: null, column: null, message: (e as Error).message });
      return undefined;
    }
  };
  const readTab = (tab: string) => readSetup(tab, (t) => deps.workbook.read(t)) ?? null;
  const jobsGrid = readTab(TAB.jobs);
  const tabs = { connections: readTab(TAB.connections), jobs: jobsGrid, mappings: readTab(TAB.mappings), constants: readTab(TAB.constants) };
  const parsed = unreadable.length > 0 ? null : parseConfig(tabs, deps.secrets, deps.connectors.catalogues ?? OPEN_CATALOGUES);
  const notes = parsed?.notes ?? [];
  let problems = parsed === null ? unreadable : parsed.ok ? [] : parsed.problems;
  let jobs: Job[] = [];
  /** The Daily and Weekly slots this scheduled run is for, by job name: remembered once the job starts. */
  const slots = new Map<string, string>();
  let dropped: DroppedJob[] = [];
  if (parsed?.ok) {
    const selected = selectJobs(parsed.config, options.jobs, { resuming: options.resuming });
    if (selected.ok) {
      if (options.scheduled) {
        for (const j of selected.jobs) {
          const { due, slot } = dueSlot(j.schedule, state.lastSlot(j.name), started, deps.timeZone);
          if (due) jobs.push(j);
          if (due && slot !== null) slots.set(j.name, slot);
        }
      } else jobs = selected.jobs;
      dropped = selected.dropped;
      problems = jobs.flatMap((j) => {
        if (j.action === 'Pull') {
          // Only the header row: the pull reads the whole tab once its query has come back.
          let rows = 0;
          const header = readSetup(j.target, (t) => {
            const h = deps.workbook.headerOf(t);
            rows = h?.dataRows ?? 0;
            return h === null ? null : [h.header];
          });
          if (header === undefined) return [];
          return [...pulledTabs.problems(j, rows), ...checkPullTarget(j, header)];
        }
        const grid = readSetup(j.source, sourceGrid);
        return grid === undefined ? [] : checkPushSource(j, grid);
      });
      problems.push(...unreadable);
      // Two jobs sharing a tab would report its problem twice.
      problems = problems.filter((p, i) => problems.findIndex((q) => describeProblem(q) === describeProblem(p)) === i);
    } else problems = selected.problems;
  }
  for (const p of problems) deps.log.warn(describeProblem(p));
  for (const n of notes) deps.log.warn(describeNote(n));
  if (problems.length > 0) {
    return { runId, problems, notes, exitCode: 2, remaining: [], results: [single('', 'Failed', problemSummary(problems))] };
  }

  if (deps.lock && !deps.lock.tryAcquire()) {
    return {
      runId,
      problems: [],
      notes,
      exitCode: 1,
      remaining: [],
      results: [single('', 'Skipped', 'Another sync is still running in this spreadsheet; this one did not start.')],
    };
  }
  try {
    const budget = budgetFrom(deps.clock, options.budgetMs);
    const slice = budgetFrom(deps.clock, Math.min(options.sliceMs ?? options.budgetMs, options.budgetMs));
    const http = new CountingHttp(deps.http);
    const connectorCache = new Map<string, ConnectorSet>();
    // Reported, but neither a failure of the run nor a run of the job (Last Run stays as it was).
    const notRun = dropped.map((d) => {
      deps.log.progress(`${d.name}: Skipped (${notRunMessage(d)})`);
      return single(d.name, 'Skipped', notRunMessage(d));
    });
    const results: JobResult[] = [];
    for (const job of jobs) {
      const slot = slots.get(job.name);
      // Taken before the job runs: a job that fails, or stops at the budget and is carried on
      // from its checkpoint, has had its turn for this slot.
      if (slot !== undefined) state.takeSlot(job.name, slot);
      const result = runJob(job);
      report.record(job.name, result);
      results.push(result);
      deps.log.progress(`${job.name}: ${result.status}${result.message ? ` (${result.message})` : ''}`);
    }
    if (!options.preview && results.length > 0) writeLastRun(deps.workbook, results);
    const ok = results.every((r) => r.status === 'OK' || r.status === 'Preview');
    const remaining = results.filter((r) => r.status === 'Partial').map((r) => r.job);
    return { runId, results: [...notRun, ...results], problems: [], notes, exitCode: ok ? 0 : 1, remaining };

    function runJob(job: Job): JobResult {
      const jobStarted = deps.clock.now();
      const before = http.count;
      const base = { job: job.name, started: jobStarted, ...zeroCounts() };
      const finish = (r: Partial<JobResult> & { status: JobStatus; message: string }): JobResult => ({
        ...base,
        log: [],
        ...r,
        requests: http.count - before,
        finished: deps.clock.now(),
      });
      if (slice.expired()) return finish({ status: 'Partial', message: 'Not started: the run used up its time budget; it runs next time.' });
      deps.log.progress(`${job.name}: starting`);
      try {
        if (job.connection.secretChanged !== undefined) throw changedSecretError(job.connection);
        let set = connectorCache.get(job.connection.name);
        if (!set) {
          set = deps.connectors(job.connection, {
            http,
            store: deps.store,
            clock: deps.clock,
            budget,
            random: deps.random,
            onRetry: (status, wait) => {
              const what = status === 0 ? 'could not be reached' : `answered ${status === 429 ? '"slow down" (429)' : `with an error (${status})`}`;
              deps.log.progress(`${job.name}: ${job.connection.system} ${what}; trying again in ${Math.round(wait / 1000)} s`);
            },
          });
          connectorCache.set(job.connection.name, set);
        }
        const tokens: TokenValues = {
          today: dateInZone(jobStarted, deps.timeZone),
          now: isoSeconds(jobStarted),
          job: job.name,
          sheet: job.action === 'Pull' ? job.target : job.source,
          run: runId,
          lastSuccess: report.lastSuccess(job.name),
        };
        const context: JobContext = {
          workbook,
          log: deps.log,
          now: () => deps.clock.now(),
          preview: options.preview,
          tokens,
          // A preview cannot be carried on (it writes nothing to carry on from), so it looks at rows until
          // the run's whole budget, not the sidebar's short slice.
          shouldStop: () => (job.action === 'Push' && !options.preview ? slice.expired() : budget.expired()),
          brake: options.brake ?? options.scheduled === true,
        };
        const cannot = () => finish({ status: 'Failed', message: `${job.connection.system} connections cannot run this kind of job.` });
        if (job.action === 'Push') {
          const grid = sourceGrid(job.source);
          return set.push && grid ? finish(runPush(job, set.push(job), grid, context)) : cannot();
        }
        if (!set.pull) return cannot();
        const out = runPull(job, set.pull, context);
        if (out.status === 'OK' && !options.preview) pulledTabs.remember(job.target);
        return finish(out);
      } catch (e) {
        const code = errorCode(e);
        logIfBug(deps.log, job.name, e);
        const sentence = failureSentence(e);
        const untouched = job.action === 'Pull' ? ' The tab was left as it was.' : '';
        return finish({ status: 'Failed', message: `${sentence}${untouched}`, ...(code === undefined ? {} : { code }) });
      }
    }
  } finally {
    deps.lock?.release();
  }
}

/**
 * Fills the Jobs tab's Last Run and Last Result cells (when those columns exist). The tab is read
 * again first and each job found by its Name, so edits made to the Jobs tab during the run stay,
 * and only those two columns are written.
 */
function writeLastRun(workbook: Workbook, results: JobResult[]): void {
  const grid = workbook.read(TAB.jobs);
  const header = grid?.[0]?.map((c) => cellText(c).toLowerCase()) ?? [];
  const nameCol = header.indexOf('name');
  const cols = [header.indexOf('last run'), header.indexOf('last result')];
  if (!grid || nameCol < 0 || cols.every((c) => c < 0)) return;
  const byName = new Map(results.map((r) => [r.job.toLowerCase(), r]));
  for (const col of cols) {
    if (col < 0) continue;
    const block = grid.slice(1).map((row) => {
      const r = byName.get(cellText(row[nameCol] ?? null).toLowerCase());
      if (!r) return [row[col] ?? ''];
      return [col === cols[0] ? isoSeconds(r.finished) : r.message ? `${r.status}: ${r.message}` : r.status];
    });
    if (block.length > 0) workbook.writeBlock(TAB.jobs, 2, col + 1, block);
  }
}
