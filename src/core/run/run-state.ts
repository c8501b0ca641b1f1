// The run state in one place (DESIGN §10.4): what one run leaves for the next, kept through the
// KeyValueStore port (document properties in Apps Script, a JSON file beside the CSV tabs) and
// checked with zod on every read, so a damaged or foreign value is never trusted:
// - the lease and the checkpoints of paused runs (machine.ts), changed only by its transitions,
//   under the mutex;
// - the schedule's slots (which Daily or Weekly slot each job last ran for), its owner and heartbeat;
// - the alert memory (which jobs' failures were already emailed);
// - which tabs pulls have written (pulled-tabs.ts).
// Each part has its own key: they are written at different moments, and a part one run damages
// does not take the others with it.

import { z } from 'zod';
import type { Clock, KeyValueStore, Lock } from '../ports';
import type { JobResult } from '../results';
import { EMPTY_RECORD, phaseOf, runRecordSchema, transition, type Checkpoint, type CheckpointDraft, type Lease, type RunEvent, type RunRecord, type Transition } from './machine';

const KEY = {
  run: 'run:state',
  pulledTabs: 'pull:tabs',
  alerts: 'alerts:state',
  owner: 'schedule:owner',
  beat: 'schedule:beat',
  slot: (job: string) => `schedule:slot:${job.toLowerCase()}`,
};

const alertMemorySchema = z.object({
  /** Jobs (by name; '' for the sync as a whole) already alerted about, not yet OK again. */
  told: z.array(z.string()),
  /** Why the last alert could not be sent; '' when it was. */
  problem: z.string().default(''),
});
export type AlertMemory = z.infer<typeof alertMemorySchema>;

const slotSchema = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
const tabsSchema = z.array(z.string());

/** Statuses that email the schedule's owner (DESIGN §10.4). */
const ALERTING: ReadonlySet<string> = new Set(['Failed', 'Held']);
/** An owner whose trigger has not run for this long has lost it (left, removed it, lost access). */
const SILENT_MS = 3 * 3600_000;

export interface RunStateOptions {
  /** Held around each lease transition (Apps Script's document lock). */
  mutex?: Lock;
  /** This execution's id: only it may pause or finish the run it began. */
  execution?: string;
  /** The caller's own lock already keeps every other execution out (see RunEvent begin.takeOver). */
  guarded?: boolean;
  clock?: Pick<Clock, 'now'>;
}

const NO_MUTEX: Lock = { tryAcquire: () => true, release: () => undefined };

export class RunState {
  readonly execution: string;
  private readonly mutex: Lock;
  private readonly now: () => number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: RunStateOptions = {},
  ) {
    this.mutex = options.mutex ?? NO_MUTEX;
    this.execution = options.execution ?? `${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 8).toString(36)}`;
    this.now = () => (options.clock ?? { now: () => new Date() }).now().getTime();
  }

  private read<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const text = this.store.get(key);
    if (!text) return fallback;
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : fallback;
    } catch {
      return fallback;
    }
  }

  // ── The run: lease and checkpoints ──────────────────────────────────────────────────────────

  record(): RunRecord {
    return this.read(KEY.run, runRecordSchema, EMPTY_RECORD);
  }

  phase() {
    return phaseOf(this.record(), this.now());
  }

  /** The run working right now, if any (not one paused between slices, not one that died). */
  liveLease(): Lease | null {
    const p = this.phase();
    return p.state === 'running' ? p.lease : null;
  }

  /** The paused run with this id; without one, the oldest paused run that is not a preview. */
  checkpoint(runId?: string): Checkpoint | null {
    return this.record().checkpoints.find((c) => (runId === undefined ? !c.preview : c.runId === runId)) ?? null;
  }

  /**
   * Applies one transition under the mutex. A begin that cannot have the mutex is refused as busy;
   * a pause or finish goes ahead without it, because the lease already keeps others out and the
   * run must not be left holding it.
   */
  private apply(event: RunEvent): Transition {
    let result: Transition = { ok: false, refusal: 'busy' };
    const run = () => {
      result = transition(this.record(), event);
      if (!result.ok) return;
      const { lease, checkpoints } = result.record;
      if (lease === null && checkpoints.length === 0) this.store.delete(KEY.run);
      else this.store.set(KEY.run, JSON.stringify(result.record));
    };
    if (this.mutex.tryAcquire()) {
      try {
        run();
      } finally {
        this.mutex.release();
      }
    } else if (event.type !== 'begin') run();
    return result;
  }

  /** Takes the lease for this run (carrying on from `fromSlice` when given); false when refused. */
  begin(runId: string, startedAt: string, fromSlice?: number): boolean {
    return this.apply({ type: 'begin', runId, execution: this.execution, now: this.now(), startedAt, fromSlice, takeOver: this.options.guarded }).ok;
  }

  /** The slice stopped at its budget: the checkpoint saved (numbered), the lease paused. */
  pause(runId: string, next: CheckpointDraft): Checkpoint | null {
    const t = this.apply({ type: 'pause', runId, execution: this.execution, now: this.now(), next });
    return t.ok ? t.checkpoint : null;
  }

  /** The run is over (finished, or ended by a crash): its checkpoint removed, its lease let go. */
  finish(runId: string): void {
    this.apply({ type: 'finish', runId, execution: this.execution, now: this.now() });
  }

  // ── The schedule ───────────────────────────────────────────────────────────────────────────

  /** The slot a scheduled run last ran this job for, or null. */
  lastSlot(job: string): string | null {
    const v = this.store.get(KEY.slot(job));
    return v !== null && slotSchema.safeParse(v).success ? v : null;
  }

  /** Taken before the job runs: a job that fails or pauses has had its turn for this slot. */
  takeSlot(job: string, slot: string): void {
    this.store.set(KEY.slot(job), slot);
  }

  /** Who turned the hourly sync on ('' when nobody has). */
  scheduleOwner(): string {
    return this.store.get(KEY.owner) ?? '';
  }

  setScheduleOwner(owner: string | null): void {
    if (owner === null) this.store.delete(KEY.owner);
    else this.store.set(KEY.owner, owner);
  }

  /** The hourly run notes that it ran, so other editors can tell a working schedule from a dead one. */
  heartbeat(): void {
    this.store.set(KEY.beat, String(this.now()));
  }

  /** Whether the owner's trigger has run lately. */
  ownerAlive(): boolean {
    const beat = Number(this.store.get(KEY.beat) ?? '0');
    return Number.isFinite(beat) && this.now() - beat < SILENT_MS;
  }

  // ── Alert memory ───────────────────────────────────────────────────────────────────────────

  alertMemory(): AlertMemory {
    return this.read(KEY.alerts, alertMemorySchema, { told: [], problem: '' });
  }

  /**
   * After any run (a person's included): each job that ended OK may be alerted about again, and so
   * may the sync as a whole ('') once a run got as far as running a job without failing as a whole.
   */
  rearmAlerts(results: readonly JobResult[]): void {
    const ok = new Set(results.filter((r) => r.job !== '' && r.status === 'OK').map((r) => r.job));
    const ranJobs = results.some((r) => r.job !== '' && r.status !== 'Skipped' && r.status !== 'Preview');
    if (ranJobs && !results.some((r) => r.job === '' && ALERTING.has(r.status))) ok.add('');
    if (ok.size === 0) return;
    const m = this.alertMemory();
    const told = m.told.filter((j) => !ok.has(j));
    if (told.length !== m.told.length) this.store.set(KEY.alerts, JSON.stringify({ ...m, told }));
  }

  /** The Failed or Held results nobody has been told about yet, one per job (the run's last word on it). */
  untold(results: readonly JobResult[]): JobResult[] {
    const { told } = this.alertMemory();
    return [...new Map(results.filter((r) => ALERTING.has(r.status) && !told.includes(r.job)).map((r) => [r.job, r])).values()];
  }

  /** The alert about these jobs went out: no other until each has ended OK again. */
  alerted(jobs: readonly string[]): void {
    const m = this.alertMemory();
    this.store.set(KEY.alerts, JSON.stringify({ told: [...new Set([...m.told, ...jobs])], problem: '' }));
  }

  /** The alert could not be sent: why, for the sidebar; the jobs stay untold, so the next run tries again. */
  alertNotSent(problem: string): void {
    this.store.set(KEY.alerts, JSON.stringify({ ...this.alertMemory(), problem }));
  }

  // ── Pulled tabs ────────────────────────────────────────────────────────────────────────────

  /** The tabs (lower case) pulls have written. */
  pulledTabs(): string[] {
    return this.read(KEY.pulledTabs, tabsSchema, []);
  }

  rememberPulledTab(tab: string): void {
    const tabs = this.pulledTabs();
    if (tabs.includes(tab.toLowerCase())) return;
    this.store.set(KEY.pulledTabs, JSON.stringify([...tabs, tab.toLowerCase()]));
  }
}
