// The life of a run, as a small state machine over one stored record: the lease (which run, which
// execution, since when, last moved) and the checkpoints of runs paused between slices. Pure: the
// caller reads the record, applies one named transition, and writes the record back while holding
// its mutex (run-state.ts). Keeping every rule here means Apps Script and the command line pause,
// carry on and give way in exactly the same way.
//
//   idle ──begin──▶ running ──pause──▶ paused ──begin(fromSlice)──▶ running ──finish──▶ idle
//                     │  ▲                                            (a lease not renewed for
//                     └──┴── another execution: refused "busy"        LEASE_MS is "stale": a run
//                                                                     that died; anyone may begin)

import { z } from 'zod';

/** A lease not renewed for this long belongs to a run that died. */
export const LEASE_MS = 10 * 60 * 1000;
/** A preview left half way (the sidebar closed) is forgotten after this long. */
export const FORGET_PREVIEW_MS = 24 * 3600_000;

export const leaseSchema = z.object({
  runId: z.string(),
  /** The execution working on the run; only it may pause or finish it. */
  execution: z.string(),
  startedAt: z.string(),
  renewedAt: z.number(),
  /** False between slices: a paused run blocks nobody; whoever starts next carries it on. */
  active: z.boolean(),
});
export type Lease = z.infer<typeof leaseSchema>;

export const checkpointSchema = z.object({
  runId: z.string(),
  /** Jobs still to run, in order. */
  jobs: z.array(z.string()),
  /** Every job of the run, for progress. */
  total: z.number(),
  preview: z.boolean(),
  trigger: z.enum(['Hourly', 'Manual', 'CLI']),
  /** The hourly trigger chose the jobs by their Schedule: the brake applies when it carries the run on. */
  scheduled: z.boolean().default(false),
  /** Counts the slices; a resume goes ahead only from the slice it read, never one already carried on. */
  slice: z.number(),
  /** When the slice ended (ms). */
  savedAt: z.number(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;
/** What a slice leaves for the next one; the machine numbers it and stamps the time. */
export type CheckpointDraft = Omit<Checkpoint, 'slice' | 'savedAt'>;

export const runRecordSchema = z.object({
  lease: leaseSchema.nullable(),
  checkpoints: z.array(checkpointSchema),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export const EMPTY_RECORD: RunRecord = { lease: null, checkpoints: [] };

export type RunPhase =
  | { state: 'idle' }
  | { state: 'running'; lease: Lease }
  /** The oldest paused run that is not a preview (what Sync now and the hourly run carry on). */
  | { state: 'paused'; checkpoint: Checkpoint }
  /** A lease nobody renewed: its run died; the next begin takes over. */
  | { state: 'stale'; lease: Lease };

export function phaseOf(record: RunRecord, now: number): RunPhase {
  const lease = record.lease;
  if (lease?.active) return now - lease.renewedAt < LEASE_MS ? { state: 'running', lease } : { state: 'stale', lease };
  const paused = record.checkpoints.find((c) => !c.preview);
  return paused ? { state: 'paused', checkpoint: paused } : { state: 'idle' };
}

export type RunEvent =
  /**
   * This execution starts (or, with fromSlice, carries on) the run. `takeOver`: the caller holds a
   * lock that already proves no other execution runs (the command line's lock file), so any
   * active lease was left by one that died.
   */
  | { type: 'begin'; runId: string; execution: string; now: number; startedAt: string; fromSlice?: number; takeOver?: boolean }
  /** The slice stopped at its time budget: the run's checkpoint replaced, the lease paused. */
  | { type: 'pause'; runId: string; execution: string; now: number; next: CheckpointDraft }
  /** The run is done (or ended by a crash): its checkpoint removed, the lease let go. */
  | { type: 'finish'; runId: string; execution: string; now: number };

/** Why a begin was refused: another execution is running, or the slice read was already carried on. */
export type Refusal = 'busy' | 'carried-on';

export type Transition = { ok: true; record: RunRecord; checkpoint: Checkpoint | null } | { ok: false; refusal: Refusal };

export function transition(record: RunRecord, event: RunEvent): Transition {
  const { lease } = record;
  const mine = lease !== null && lease.execution === event.execution;
  switch (event.type) {
    case 'begin': {
      if (!event.takeOver && !mine && phaseOf(record, event.now).state === 'running') return { ok: false, refusal: 'busy' };
      const cp = record.checkpoints.find((c) => c.runId === event.runId) ?? null;
      if (event.fromSlice !== undefined && cp?.slice !== event.fromSlice) return { ok: false, refusal: 'carried-on' };
      const startedAt = lease && lease.runId === event.runId ? lease.startedAt : event.startedAt;
      return { ok: true, checkpoint: cp, record: { ...record, lease: { runId: event.runId, execution: event.execution, startedAt, renewedAt: event.now, active: true } } };
    }
    case 'pause':
    case 'finish': {
      const own = record.checkpoints.find((c) => c.runId === event.runId);
      const others = record.checkpoints.filter((c) => c !== own && !(c.preview && event.now - c.savedAt > FORGET_PREVIEW_MS));
      const saved = event.type === 'pause' ? { ...event.next, slice: (own?.slice ?? 0) + 1, savedAt: event.now } : null;
      // Another execution's lease is left alone: this one lost it (it ran past LEASE_MS) and must not end that run.
      const nextLease = !mine ? lease : saved ? { ...lease!, renewedAt: event.now, active: false } : null;
      return { ok: true, checkpoint: saved, record: { lease: nextLease, checkpoints: saved ? [...others, saved] : others } };
    }
  }
}
