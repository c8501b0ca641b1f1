// Runs inside Apps Script: the shared slice runner (core/run/slice.ts) with Apps Script's
// adapters. The run state (lease, checkpoints, slots, alert memory) lives in core/run; here it is
// only given the document lock as its mutex and this execution's id, so two executions can never
// carry on the same run at once. Runs are cut into slices by the time budget; the next slice (the
// sidebar's next call, Sync now again, or the next hourly run) carries on from the checkpoint.

import { createConnectors } from '../connectors';
import { DEFAULT_BUDGET_MS } from '../core/engine';
import { failureSentence } from '../core/errors';
import type { Checkpoint } from '../core/run/machine';
import { RunState } from '../core/run/run-state';
import { reportProblem as reportIn, runSlice as runCoreSlice, type SliceOutcome as CoreOutcome } from '../core/run/slice';
import type { Lock, Log } from '../core/ports';
import { zeroCounts, type JobResult, type Trigger } from '../core/results';
import { urlFetchHttp } from './http';
import { documentSecrets } from './secrets';
import { documentStore, gasClock } from './services';
import type { SliceProgress } from './sidebar-api';
import { SheetsWorkbook } from './workbook';

export type { Checkpoint } from '../core/run/machine';
/** The sidebar asks for short slices so it can show progress between them. */
export const SIDEBAR_SLICE_MS = 30 * 1000;

let executionId: string | null = null;
/** This execution's own id. The bundle is loaded afresh for every execution, so it lives here. */
function thisExecution(): string {
  executionId ??= `${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 8).toString(36)}`;
  return executionId;
}

const documentLock: Lock = {
  tryAcquire: () => LockService.getDocumentLock().tryLock(5000),
  release: () => LockService.getDocumentLock().releaseLock(),
};

/** The document's run state, as this execution sees it. */
export function runState(): RunState {
  return new RunState(documentStore, { mutex: documentLock, execution: thisExecution(), clock: gasClock });
}

/** The paused run with this id; without one, the oldest paused run that is not a preview. */
export function checkpoint(runId?: string): Checkpoint | null {
  return runState().checkpoint(runId);
}

/** The run working right now, if any (not one paused between slices, not one that died). */
export function liveLease() {
  return runState().liveLease();
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

export interface SliceOutcome extends CoreOutcome {
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

/** One slice of a run with the Apps Script adapters. */
export function runSlice(o: SliceOptions): SliceOutcome {
  const seen = capturing(o.log ?? { progress: (m) => console.log(m), warn: (m) => console.warn(m) });
  let workbook: SheetsWorkbook | null = null;
  let timeZone = 'Etc/UTC';
  try {
    const spreadsheet = SpreadsheetApp.getActive();
    workbook = new SheetsWorkbook(spreadsheet);
    timeZone = spreadsheet.getSpreadsheetTimeZone();
  } catch (e) {
    // Without the spreadsheet there is nowhere to run; say so where the trigger's failures go.
    return { ...reportCrash(o.trigger, e), next: null };
  }
  const out = runCoreSlice(
    {
      workbook,
      store: documentStore,
      state: runState(),
      http: urlFetchHttp,
      clock: gasClock,
      log: seen.log,
      secrets: documentSecrets,
      connectors: createConnectors,
      timeZone,
    },
    { ...o, budgetMs: o.budgetMs ?? DEFAULT_BUDGET_MS },
  );
  return { ...out, progress: seen.last() };
}

/** Continues the run a checkpoint describes; `trigger` is who carries it on (the checkpoint's own trigger when unsaid). */
export function resume(cp: Checkpoint, sliceMs?: number, log?: Log, trigger?: Trigger): SliceOutcome {
  return runSlice({ jobs: cp.jobs, preview: cp.preview, trigger: trigger ?? 'Manual', resume: cp, sliceMs, log });
}

function reportCrash(trigger: Trigger, e: unknown) {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  const result = reportProblem(trigger, `The sync stopped unexpectedly: ${failureSentence(e)}`);
  return { runId: '', results: [result], problems: [], notes: [], exitCode: 1 as const, remaining: [] };
}

/**
 * Failed trigger runs show nobody an error, so a run that cannot even start (authorization
 * withdrawn, say) or that broke writes that into the Sync Report itself.
 */
export function reportProblem(trigger: Trigger, message: string, runId?: string): JobResult {
  let workbook: SheetsWorkbook;
  try {
    workbook = new SheetsWorkbook(SpreadsheetApp.getActive());
  } catch (e) {
    console.error(`Could not write the Sync Report: ${e instanceof Error ? e.message : String(e)}`);
    const now = new Date();
    return { job: '', status: 'Failed', started: now, finished: now, requests: 0, message, log: [], ...zeroCounts() };
  }
  return reportIn(workbook, trigger, message, runId, (m) => console.error(m));
}
