// Runs inside Apps Script: one at a time per spreadsheet (the document lock guards a lease that
// names the run and when it last moved, so a crashed run cannot block for more than LEASE_MS),
// cut into slices by the time budget, with a checkpoint of the jobs still to run so the next slice
// (the sidebar's next call, Sync now again, or the next hourly run) carries on where it stopped.

import { createConnectors } from '../connectors';
import { isoSeconds, runId as makeRunId } from '../core/dates';
import { DEFAULT_BUDGET_MS, runSync, type RunOutcome } from '../core/engine';
import { RunReport } from '../core/report';
import type { Lock, Log } from '../core/ports';
import type { Trigger } from '../core/results';
import { urlFetchHttp } from './http';
import { documentSecrets, documentStore, gasClock } from './services';
import { SheetsWorkbook } from './workbook';

/** A lease not renewed for this long belongs to a run that died. */
export const LEASE_MS = 10 * 60 * 1000;
/** The sidebar asks for short slices so it can show progress between them. */
export const SIDEBAR_SLICE_MS = 30 * 1000;

const LEASE = 'run:lease';
const CHECKPOINT = 'run:checkpoint';

interface Lease {
  runId: string;
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
}

function read<T>(key: string): T | null {
  const v = documentStore.get(key);
  return v ? (JSON.parse(v) as T) : null;
}

export function checkpoint(): Checkpoint | null {
  return read<Checkpoint>(CHECKPOINT);
}

/** Takes (or renews) the lease for this run; false when another live run holds it. */
function takeLease(runId: string): boolean {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(5000)) return false;
  try {
    const now = Date.now();
    const lease = read<Lease>(LEASE);
    if (lease && lease.active && lease.runId !== runId && now - lease.renewedAt < LEASE_MS) return false;
    const startedAt = lease && lease.runId === runId ? lease.startedAt : isoSeconds(new Date(now));
    documentStore.set(LEASE, JSON.stringify({ runId, startedAt, renewedAt: now, active: true }));
    return true;
  } finally {
    lock.releaseLock();
  }
}

function dropLease(runId: string): void {
  const lease = read<Lease>(LEASE);
  if (lease && lease.runId === runId) documentStore.delete(LEASE);
}

function pauseLease(runId: string): void {
  const lease = read<Lease>(LEASE);
  if (lease && lease.runId === runId) documentStore.set(LEASE, JSON.stringify({ ...lease, renewedAt: Date.now(), active: false }));
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
  /** Continue this run (its id); a new run otherwise. */
  runId?: string;
  /** Only jobs due by their Schedule (the hourly trigger). */
  scheduled?: boolean;
  total?: number;
  log?: Log;
}

export interface SliceOutcome extends RunOutcome {
  /** The checkpoint left for the next slice, or null when the run is finished. */
  next: Checkpoint | null;
}

/** One slice of a run: the engine with Apps Script adapters, then the checkpoint and lease updated. */
export function runSlice(o: SliceOptions): SliceOutcome {
  const spreadsheet = SpreadsheetApp.getActive();
  const runId = o.runId ?? `${makeRunId(new Date())}-${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
  const lock: Lock = { tryAcquire: () => takeLease(runId), release: () => undefined };
  const outcome = runSync(
    {
      workbook: new SheetsWorkbook(spreadsheet),
      store: documentStore,
      http: urlFetchHttp,
      clock: gasClock,
      log: o.log ?? { progress: (m) => console.log(m), warn: (m) => console.warn(m) },
      secrets: documentSecrets,
      connectors: createConnectors,
      timeZone: spreadsheet.getSpreadsheetTimeZone(),
      lock,
    },
    { trigger: o.trigger, jobs: o.jobs, preview: o.preview, budgetMs: o.budgetMs ?? DEFAULT_BUDGET_MS, sliceMs: o.sliceMs, runId, scheduled: o.scheduled },
  );
  const skipped = outcome.results.length === 1 && outcome.results[0]!.status === 'Skipped' && outcome.results[0]!.job === '';
  if (skipped) return { ...outcome, next: checkpoint() };
  let next: Checkpoint | null = null;
  if (outcome.remaining.length > 0) {
    next = { runId, jobs: outcome.remaining, total: o.total ?? Math.max(outcome.results.length, outcome.remaining.length), preview: o.preview, trigger: o.trigger };
    documentStore.set(CHECKPOINT, JSON.stringify(next));
    pauseLease(runId);
  } else {
    documentStore.delete(CHECKPOINT);
    dropLease(runId);
  }
  return { ...outcome, next };
}

/** Continues the run a checkpoint describes. */
export function resume(cp: Checkpoint, sliceMs?: number, log?: Log): SliceOutcome {
  return runSlice({ jobs: cp.jobs, preview: cp.preview, trigger: cp.trigger, runId: cp.runId, total: cp.total, sliceMs, log });
}

/**
 * Failed trigger runs show nobody an error, so a run that cannot even start (authorization
 * withdrawn, say) writes that into the Sync Report itself.
 */
export function reportProblem(trigger: Trigger, message: string): void {
  const now = new Date();
  const report = new RunReport(new SheetsWorkbook(SpreadsheetApp.getActive()), makeRunId(now), trigger);
  report.record('', { status: 'Failed', started: now, finished: now, requests: 0, message, log: [], read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
}

