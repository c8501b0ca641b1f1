// One slice of a run, the same in Apps Script and on the command line: the engine, with the run
// state's lease as its lock, then the run's checkpoint saved (it stopped at its time budget) or
// removed (it finished). A slice that throws still lets go of its lease and leaves a Sync Report
// row, so nothing stays blocked and nothing fails unseen.

import { isoSeconds, runId as makeRunId } from '../dates';
import { runSync, type EngineDeps, type RunOutcome } from '../engine';
import { failureSentence } from '../errors';
import type { Lock, Workbook } from '../ports';
import { RunReport } from '../report';
import { zeroCounts, type JobResult, type Trigger } from '../results';
import type { Checkpoint } from './machine';
import type { RunState } from './run-state';

export interface SliceDeps extends Omit<EngineDeps, 'lock'> {
  state: RunState;
  /** A lock of the caller's own, held for the whole slice (the command line's lock file). */
  guard?: Lock;
}

export interface SliceOptions {
  /** Job names (empty: every enabled job); ignored when carrying on a checkpoint. */
  jobs: string[];
  preview: boolean;
  /** What started this slice (the Sync Report's Trigger). */
  trigger: Trigger;
  budgetMs: number;
  sliceMs?: number;
  /** Carry on this paused run, from the slice its checkpoint was read at. */
  resume?: Checkpoint;
  /** The hourly trigger starting a run: only jobs due by their Schedule, and the brake on. */
  scheduled?: boolean;
  /**
   * Hold unusual changes. Unset: on for a scheduled run, and for a scheduled run the hourly
   * trigger carries on; off whenever a person runs or carries on a run.
   */
  brake?: boolean;
}

export interface SliceOutcome extends RunOutcome {
  /** The checkpoint left for the next slice, or null when the run is finished. */
  next: Checkpoint | null;
}

function newRunId(now: Date, random: () => number = Math.random): string {
  return `${makeRunId(now)}-${Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

export function runSlice(deps: SliceDeps, o: SliceOptions): SliceOutcome {
  const { state, guard } = deps;
  const cp = o.resume;
  const runId = cp?.runId ?? newRunId(deps.clock.now(), deps.random);
  let held = false;
  let guarded = false;
  const lock: Lock = {
    tryAcquire: () => {
      guarded = !guard || guard.tryAcquire();
      held = guarded && state.begin(runId, isoSeconds(deps.clock.now()), cp?.slice);
      return held;
    },
    // The lease outlives the engine: it is paused or let go below, once the checkpoint is known.
    release: () => undefined,
  };
  const scheduled = cp ? cp.scheduled : o.scheduled === true;
  const preview = cp?.preview ?? o.preview;
  try {
    let outcome: RunOutcome;
    try {
      outcome = runSync(
        { ...deps, lock },
        {
          trigger: o.trigger,
          jobs: cp?.jobs ?? o.jobs,
          preview,
          budgetMs: o.budgetMs,
          sliceMs: o.sliceMs,
          runId,
          resuming: cp !== undefined,
          // A carried-on run's jobs were chosen when it began; choosing again would drop those whose slot it took.
          scheduled: cp ? false : o.scheduled,
          brake: o.brake ?? (scheduled && (cp === undefined || o.trigger === 'Hourly')),
        },
      );
    } catch (e) {
      // The engine reports every job itself; reaching here means the report could not be written
      // or the store refused (a quota). The run ends: the next one starts afresh.
      return crashed(deps, runId, o.trigger, e, held);
    }
    if (!held) return { ...outcome, next: cp ?? null };
    try {
      // A job that ended OK, whoever ran it, may be alerted about again.
      state.rearmAlerts(outcome.results);
    } catch (e) {
      deps.log.warn(`Alerts: ${failureSentence(e)}`);
    }
    try {
      const total = cp?.total ?? Math.max(outcome.results.length, outcome.remaining.length);
      const next =
        outcome.remaining.length > 0 ? state.pause(runId, { runId, jobs: outcome.remaining, total, preview, trigger: cp?.trigger ?? o.trigger, scheduled }) : (state.finish(runId), null);
      return { ...outcome, next };
    } catch (e) {
      return crashed(deps, runId, o.trigger, e, held);
    }
  } finally {
    if (guarded) guard?.release();
  }
}

/** A slice that threw: its run ended and its lease let go (when it held one), one Sync Report row. */
function crashed(deps: SliceDeps, runId: string, trigger: Trigger, e: unknown, held: boolean): SliceOutcome {
  deps.log.warn(e instanceof Error ? (e.stack ?? e.message) : String(e));
  if (held) {
    try {
      deps.state.finish(runId);
    } catch {
      // The store itself failed; the lease runs out on its own (LEASE_MS).
    }
  }
  const result = reportProblem(deps.workbook, trigger, `The sync stopped unexpectedly: ${failureSentence(e)}`, runId, deps.log.warn);
  return { runId, results: [result], problems: [], notes: [], exitCode: 1, remaining: [], next: null };
}

/**
 * A run that cannot even start, or that broke, writes that into the Sync Report itself: nobody
 * sees a failed trigger run. Never throws; `warn` gets what could not be written.
 */
export function reportProblem(workbook: Workbook, trigger: Trigger, message: string, runId: string | undefined, warn: (m: string) => void): JobResult {
  const now = new Date();
  const result: JobResult = { job: '', status: 'Failed', started: now, finished: now, requests: 0, message, log: [], ...zeroCounts() };
  try {
    new RunReport(workbook, runId ?? makeRunId(now), trigger).record('', result);
  } catch (e) {
    warn(`Could not write the Sync Report: ${e instanceof Error ? e.message : String(e)}`);
  }
  return result;
}
