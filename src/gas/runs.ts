// Runs inside Apps Script: one execution at a time per spreadsheet. The document lock guards a
// lease that names the run *and the execution* working on it, and when it last moved, so a
// crashed run cannot block for more than LEASE_MS and two executions can never carry on the same
// run at once (a second continueRun, or Sync now, while one is in flight). Runs are cut into
// slices by the time budget, each leaving a checkpoint of the jobs still to run, kept per run, so
// the next slice (the sidebar's next call, Sync now again, or the next hourly run) carries on
// where it stopped, and no run (a preview, say) touches another's checkpoint. Whatever happens, a
// slice lets go of its lease and leaves a Sync Report row.

import { createConnectors } from '../connectors';
import { isoSeconds, runId as makeRunId } from '../core/dates';
import { DEFAULT_BUDGET_MS, runSync, type RunOutcome } from '../core/engine';
import { failureSentence } from '../core/errors';
import { RunReport } from '../core/report';
import type { Lock, Log } from '../core/ports';
import type { JobResult, Trigger } from '../core/results';
import { rearmAlerts } from './alerts';
import { urlFetchHttp } from './http';
import { documentSecrets } from './secrets';
import { documentStore, gasClock } from './services';
import type { SliceProgress } from './sidebar-api';
import { SheetsWorkbook } from './workbook';

/** A lease not renewed for this long belongs to a run that died. */
export const LEASE_MS = 10 * 60 * 1000;
/** The sidebar asks for short slices so it can show progress between them. */
export const SIDEBAR_SLICE_MS = 30 * 1000;

const LEASE = 'run:lease';
const CHECKPOINTS = 'run:checkpoints';

interface Lease {
  runId: string;
  /** The execution working on the run; only it may renew, pause or drop the lease. */
  execution: string;
  startedAt: string;
  renewedAt: number;
  /** False between slices: a paused run blocks nobody; whoever starts next carries it on. */
  active: boolean;
}

export interface Checkpoint {
  runId: string;
  /** Jobs still to run, in order. */
  jobs: string[];
  /** Every job of the run, for progress. */
  total: number;
  preview: boolean;
  trigger: Trigger;
  /** Counts the slices; a resume goes ahead only from the slice it read, never one already carried on. */
  slice: number;
  /** When the slice ended (ms): a preview nobody carried on is forgotten after a day. */
  savedAt: number;
}

const FORGET_PREVIEW_MS = 24 * 3600_000;

let executionId: string | null = null;
/** This execution's own id. The bundle is loaded afresh for every execution, so it lives here. */
function thisExecution(): string {
  executionId ??= `${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 8).toString(36)}`;
  return executionId;
}

function read<T>(key: string): T | null {
  const v = documentStore.get(key);
  return v ? (JSON.parse(v) as T) : null;
}

function checkpoints(): Checkpoint[] {
  return read<Checkpoint[]>(CHECKPOINTS) ?? [];
}

/** The paused run with this id; without one, the oldest paused run that is not a preview. */
export function checkpoint(runId?: string): Checkpoint | null {
  return checkpoints().find((c) => (runId === undefined ? !c.preview : c.runId === runId)) ?? null;
}

/** Runs fn while holding the document lock; false (fn not run) when the lock cannot be had. */
function locked(fn: () => void): boolean {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(5000)) return false;
  try {
    fn();
    return true;
  } finally {
    lock.releaseLock();
  }
}

/**
 * Takes the lease for this run and this execution; false when another execution holds it (the
 * same run included), or when the slice this resume read has already been carried on.
 */
function takeLease(runId: string, fromSlice: number | undefined): boolean {
  let taken = false;
  locked(() => {
    const now = Date.now();
    const lease = read<Lease>(LEASE);
    if (lease && lease.active && lease.execution !== thisExecution() && now - lease.renewedAt < LEASE_MS) return;
    if (fromSlice !== undefined && checkpoint(runId)?.slice !== fromSlice) return;
    const startedAt = lease && lease.runId === runId ? lease.startedAt : isoSeconds(new Date(now));
    documentStore.set(LEASE, JSON.stringify({ runId, execution: thisExecution(), startedAt, renewedAt: now, active: true } satisfies Lease));
    taken = true;
  });
  return taken;
}

/**
 * The end of a slice that held the lease: the run's own checkpoint replaced (or removed when
 * the run is finished), the lease paused or dropped. Other runs' checkpoints are left alone.
 */
function settle(runId: string, next: Omit<Checkpoint, 'slice' | 'savedAt'> | null): Checkpoint | null {
  let saved: Checkpoint | null = null;
  const update = () => {
    const now = Date.now();
    const all = checkpoints();
    const mine = all.find((c) => c.runId === runId);
    // A preview left half way (the sidebar closed) would otherwise stay for good.
    const others = all.filter((c) => c !== mine && !(c.preview && now - (c.savedAt ?? 0) > FORGET_PREVIEW_MS));
    saved = next ? { ...next, slice: (mine?.slice ?? 0) + 1, savedAt: now } : null;
    const list = saved ? [...others, saved] : others;
    if (list.length > 0) documentStore.set(CHECKPOINTS, JSON.stringify(list));
    else documentStore.delete(CHECKPOINTS);
    const lease = read<Lease>(LEASE);
    if (lease && lease.execution === thisExecution()) {
      if (saved) documentStore.set(LEASE, JSON.stringify({ ...lease, renewedAt: now, active: false }));
      else documentStore.delete(LEASE);
    }
  };
  // Settling cannot wait for the lock forever; the lease already keeps other executions out.
  if (!locked(update)) update();
  return saved;
}

/** The run working right now, if any (not one paused between slices, not one that died). */
export function liveLease(): Lease | null {
  const lease = read<Lease>(LEASE);
  return lease && lease.active && Date.now() - lease.renewedAt < LEASE_MS ? lease : null;
}

export interface SliceOptions {
  jobs: string[];
  preview: boolean;
  trigger: Trigger;
  budgetMs?: number;
  /** A shorter slice for progress (the sidebar): see RunOptions.sliceMs. */
  sliceMs?: number;
  /** Carry on this paused run, from the slice its checkpoint was read at. */
  resume?: Checkpoint;
  /** Only jobs due by their Schedule (the hourly trigger). */
  scheduled?: boolean;
  log?: Log;
}

export interface SliceOutcome extends RunOutcome {
  /** The checkpoint left for the next slice, or null when the run is finished. */
  next: Checkpoint | null;
  /** The last progress the engine reported with a fraction during the slice, if any. */
  progress?: SliceProgress | null;
}

/** A Log that passes everything on and remembers the last report carrying a fraction. */
function capturing(log: Log): { log: Log; last: () => SliceProgress | null } {
  let last: SliceProgress | null = null;
  return {
    log: {
      progress(message, fraction) {
        if (typeof fraction === 'number' && Number.isFinite(fraction)) last = { message, fraction: Math.min(1, Math.max(0, fraction)) };
        log.progress(message, fraction);
      },
      warn: (message) => log.warn(message),
    },
    last: () => last,
  };
}

function newRunId(): string {
  return `${makeRunId(new Date())}-${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

/** One slice of a run: the engine with Apps Script adapters, then the run's checkpoint and lease settled. */
export function runSlice(o: SliceOptions): SliceOutcome {
  const runId = o.resume?.runId ?? newRunId();
  let held = false;
  const lock: Lock = { tryAcquire: () => (held = takeLease(runId, o.resume?.slice)), release: () => undefined };
  let outcome: RunOutcome;
  const seen = capturing(o.log ?? { progress: (m) => console.log(m), warn: (m) => console.warn(m) });
  try {
    const spreadsheet = SpreadsheetApp.getActive();
    outcome = runSync(
      {
        workbook: new SheetsWorkbook(spreadsheet),
        store: documentStore,
        http: urlFetchHttp,
        clock: gasClock,
        log: seen.log,
        secrets: documentSecrets,
        connectors: createConnectors,
        timeZone: spreadsheet.getSpreadsheetTimeZone(),
        lock,
      },
      {
        trigger: o.trigger,
        jobs: o.resume?.jobs ?? o.jobs,
        preview: o.resume?.preview ?? o.preview,
        budgetMs: o.budgetMs ?? DEFAULT_BUDGET_MS,
        sliceMs: o.sliceMs,
        runId,
        resuming: o.resume !== undefined,
        scheduled: o.scheduled,
        // A checkpoint does not say the run was scheduled, only that the hourly trigger started it.
        brake: o.scheduled === true || (o.resume !== undefined && o.trigger === 'Hourly'),
      },
    );
  } catch (e) {
    // The engine reports every job itself; reaching here means the report could not be written
    // or the store refused (a quota). End the run: the next one starts afresh.
    return { ...crashed(runId, o.trigger, e, held), next: null };
  }
  if (!held) return { ...outcome, next: o.resume ?? null };
  // A job that ended OK, whoever ran it, may be alerted about again (alerts.ts); never fatal.
  try {
    rearmAlerts(outcome.results);
  } catch (e) {
    console.warn(`Alerts: ${e instanceof Error ? e.message : String(e)}`);
  }
  const progress = seen.last();
  try {
    const total = o.resume?.total ?? Math.max(outcome.results.length, outcome.remaining.length);
    const next =
      outcome.remaining.length > 0 ? settle(runId, { runId, jobs: outcome.remaining, total, preview: o.resume?.preview ?? o.preview, trigger: o.resume?.trigger ?? o.trigger }) : settle(runId, null);
    return { ...outcome, next, progress };
  } catch (e) {
    return { ...crashed(runId, o.trigger, e, held), next: null };
  }
}

/** Continues the run a checkpoint describes. */
export function resume(cp: Checkpoint, sliceMs?: number, log?: Log, trigger?: Trigger): SliceOutcome {
  return runSlice({ jobs: cp.jobs, preview: cp.preview, trigger: trigger ?? cp.trigger, resume: cp, sliceMs, log });
}

/** A slice that threw: its run ended and its lease let go (when it held one), one Sync Report row, and the outcome. */
function crashed(runId: string, trigger: Trigger, e: unknown, held: boolean): RunOutcome {
  const message = `The sync stopped unexpectedly: ${failureSentence(e)}`;
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  if (held) {
    try {
      settle(runId, null);
    } catch {
      // Whatever the store refused, the lease must not stay behind for ten minutes.
      try {
        const lease = read<Lease>(LEASE);
        if (lease && lease.execution === thisExecution()) documentStore.delete(LEASE);
      } catch {
        /* the property store itself failed; the lease expires on its own */
      }
    }
  }
  const result = reportProblem(trigger, message, runId);
  return { runId, results: [result], problems: [], notes: [], exitCode: 1, remaining: [] };
}

/**
 * Failed trigger runs show nobody an error, so a run that cannot even start (authorization
 * withdrawn, say) or that broke writes that into the Sync Report itself.
 */
export function reportProblem(trigger: Trigger, message: string, runId?: string): JobResult {
  const now = new Date();
  const result: JobResult = { job: '', status: 'Failed', started: now, finished: now, requests: 0, message, log: [], read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
  try {
    new RunReport(new SheetsWorkbook(SpreadsheetApp.getActive()), runId ?? makeRunId(now), trigger).record('', result);
  } catch (e) {
    // Nowhere left to say it but the execution log.
    console.error(`Could not write the Sync Report: ${e instanceof Error ? e.message : String(e)}`);
  }
  return result;
}
