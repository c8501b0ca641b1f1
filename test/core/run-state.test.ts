// The run state machine and its store: which execution may begin, pause and finish a run, how a
// paused run is carried on exactly once, and that a damaged value is never trusted.

import { describe, expect, it } from 'vitest';
import { decideHourly, switchState } from '../../src/core/run/hourly-switch';
import { FORGET_PREVIEW_MS, LEASE_MS, phaseOf, transition, type CheckpointDraft, type RunRecord } from '../../src/core/run/machine';
import { RunState } from '../../src/core/run/run-state';
import type { JobResult } from '../../src/core/results';
import { MemoryStore } from '../helpers/fakes';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const draft = (runId: string, jobs: string[], preview = false): CheckpointDraft => ({ runId, jobs, total: 3, preview, trigger: 'Hourly', scheduled: true });
const empty: RunRecord = { lease: null, checkpoints: [] };

function ok(t: ReturnType<typeof transition>): RunRecord {
  if (!t.ok) throw new Error(`refused: ${t.refusal}`);
  return t.record;
}

describe('the run state machine', () => {
  it('idle → running → paused → running (carried on) → idle', () => {
    let r = ok(transition(empty, { type: 'begin', runId: 'r1', execution: 'a', now: T0, startedAt: 'S' }));
    expect(phaseOf(r, T0)).toMatchObject({ state: 'running', lease: { runId: 'r1', execution: 'a' } });
    r = ok(transition(r, { type: 'pause', runId: 'r1', execution: 'a', now: T0 + 1000, next: draft('r1', ['B', 'C']) }));
    expect(phaseOf(r, T0 + 1000)).toMatchObject({ state: 'paused', checkpoint: { runId: 'r1', jobs: ['B', 'C'], slice: 1 } });
    // Another execution carries it on from slice 1; the run keeps its start time.
    r = ok(transition(r, { type: 'begin', runId: 'r1', execution: 'b', now: T0 + 5000, startedAt: 'later', fromSlice: 1 }));
    expect(r.lease).toMatchObject({ runId: 'r1', execution: 'b', startedAt: 'S', active: true });
    r = ok(transition(r, { type: 'finish', runId: 'r1', execution: 'b', now: T0 + 6000 }));
    expect(r).toEqual(empty);
    expect(phaseOf(r, T0)).toEqual({ state: 'idle' });
  });

  it('refuses a second execution while a run is live, and lets anyone in once the lease is stale', () => {
    const r = ok(transition(empty, { type: 'begin', runId: 'r1', execution: 'a', now: T0, startedAt: 'S' }));
    expect(transition(r, { type: 'begin', runId: 'r2', execution: 'b', now: T0 + LEASE_MS - 1, startedAt: 'S' })).toEqual({ ok: false, refusal: 'busy' });
    expect(phaseOf(r, T0 + LEASE_MS)).toMatchObject({ state: 'stale' });
    expect(transition(r, { type: 'begin', runId: 'r2', execution: 'b', now: T0 + LEASE_MS, startedAt: 'S' }).ok).toBe(true);
    // The command line's lock file already proves the holder is gone.
    expect(transition(r, { type: 'begin', runId: 'r2', execution: 'b', now: T0 + 1, startedAt: 'S', takeOver: true }).ok).toBe(true);
  });

  it('carries a paused run on only from the slice that was read: never twice', () => {
    let r = ok(transition(empty, { type: 'begin', runId: 'r1', execution: 'a', now: T0, startedAt: 'S' }));
    r = ok(transition(r, { type: 'pause', runId: 'r1', execution: 'a', now: T0, next: draft('r1', ['B']) }));
    const carried = ok(transition(r, { type: 'begin', runId: 'r1', execution: 'b', now: T0, startedAt: 'S', fromSlice: 1 }));
    const paused = ok(transition(carried, { type: 'pause', runId: 'r1', execution: 'b', now: T0, next: draft('r1', ['B']) }));
    // A third execution that read slice 1 before b carried it on is refused.
    expect(transition(paused, { type: 'begin', runId: 'r1', execution: 'c', now: T0, startedAt: 'S', fromSlice: 1 })).toEqual({ ok: false, refusal: 'carried-on' });
    const finished = ok(transition(carried, { type: 'finish', runId: 'r1', execution: 'b', now: T0 }));
    expect(transition(finished, { type: 'begin', runId: 'r1', execution: 'c', now: T0, startedAt: 'S', fromSlice: 1 })).toEqual({ ok: false, refusal: 'carried-on' });
  });

  it('a run finishing leaves other runs’ checkpoints, and forgets a preview nobody carried on for a day', () => {
    let r = ok(transition(empty, { type: 'begin', runId: 'p', execution: 'a', now: T0, startedAt: 'S' }));
    r = ok(transition(r, { type: 'pause', runId: 'p', execution: 'a', now: T0, next: draft('p', ['X'], true) }));
    r = ok(transition(r, { type: 'begin', runId: 'r', execution: 'b', now: T0 + 1, startedAt: 'S' }));
    r = ok(transition(r, { type: 'pause', runId: 'r', execution: 'b', now: T0 + 2, next: draft('r', ['Y']) }));
    expect(r.checkpoints.map((c) => c.runId)).toEqual(['p', 'r']);
    // The oldest paused run that is not a preview is what Sync now carries on.
    expect(phaseOf(r, T0 + 3)).toMatchObject({ state: 'paused', checkpoint: { runId: 'r' } });
    const soon = ok(transition(ok(transition(r, { type: 'begin', runId: 'r', execution: 'c', now: T0 + 3, startedAt: 'S', fromSlice: 1 })), { type: 'finish', runId: 'r', execution: 'c', now: T0 + 4 }));
    expect(soon.checkpoints.map((c) => c.runId)).toEqual(['p']);
    const dayLater = ok(transition(ok(transition(r, { type: 'begin', runId: 'r', execution: 'c', now: T0 + FORGET_PREVIEW_MS + 10, startedAt: 'S', fromSlice: 1 })), { type: 'finish', runId: 'r', execution: 'c', now: T0 + FORGET_PREVIEW_MS + 10 }));
    expect(dayLater.checkpoints).toEqual([]);
  });

  it('an execution that lost its lease (it ran past LEASE_MS) does not end the run that took over', () => {
    let r = ok(transition(empty, { type: 'begin', runId: 'r1', execution: 'a', now: T0, startedAt: 'S' }));
    r = ok(transition(r, { type: 'begin', runId: 'r2', execution: 'b', now: T0 + LEASE_MS, startedAt: 'S' }));
    r = ok(transition(r, { type: 'finish', runId: 'r1', execution: 'a', now: T0 + LEASE_MS + 1 }));
    expect(r.lease).toMatchObject({ runId: 'r2', execution: 'b', active: true });
  });
});

describe('RunState over the KeyValueStore port', () => {
  const clock = (ms: number) => ({ now: () => new Date(ms) });

  it('two executions: the second is refused while the first runs; it carries the run on once paused', () => {
    const store = new MemoryStore();
    const a = new RunState(store, { execution: 'a', clock: clock(T0) });
    const b = new RunState(store, { execution: 'b', clock: clock(T0 + 1000) });
    expect(a.begin('r1', 'S')).toBe(true);
    expect(b.begin('r2', 'S')).toBe(false);
    expect(b.liveLease()).toMatchObject({ runId: 'r1' });
    const cp = a.pause('r1', draft('r1', ['B']))!;
    expect(b.liveLease()).toBeNull();
    expect(b.checkpoint()).toEqual(cp);
    expect(b.begin('r1', 'S', cp.slice)).toBe(true);
    b.finish('r1');
    expect(store.get('run:state')).toBeNull();
  });

  it('a begin waits for the mutex: refused when it cannot be had; a finish goes ahead without it', () => {
    const store = new MemoryStore();
    const busy = { tryAcquire: () => false, release: () => undefined };
    const s = new RunState(store, { execution: 'a', mutex: busy, clock: clock(T0) });
    expect(s.begin('r1', 'S')).toBe(false);
    new RunState(store, { execution: 'a', clock: clock(T0) }).begin('r1', 'S');
    s.finish('r1');
    expect(store.get('run:state')).toBeNull();
  });

  it('a damaged or foreign value is not trusted: the run state reads as empty', () => {
    const store = new MemoryStore();
    const s = new RunState(store, { execution: 'a', clock: clock(T0) });
    for (const bad of ['{', '[]', JSON.stringify({ lease: { runId: 1 }, checkpoints: [] }), JSON.stringify({ lease: null, checkpoints: [{ runId: 'x' }] })]) {
      store.set('run:state', bad);
      expect(s.record()).toEqual(empty);
      expect(s.checkpoint()).toBeNull();
    }
    store.set('schedule:slot:events', 'yesterday');
    expect(s.lastSlot('Events')).toBeNull();
    store.set('pull:tabs', '{"members":true}');
    expect(s.pulledTabs()).toEqual([]);
  });

  it('keeps the alert memory: told once, re-armed by an OK, the sync as a whole by a run that ran a job', () => {
    const s = new RunState(new MemoryStore());
    const r = (job: string, status: JobResult['status']) => ({ job, status }) as JobResult;
    expect(s.untold([r('A', 'Failed'), r('B', 'Held'), r('C', 'OK'), r('A', 'Failed')]).map((x) => x.job)).toEqual(['A', 'B']);
    s.alerted(['A', 'B', '']);
    expect(s.untold([r('A', 'Failed'), r('', 'Failed')])).toEqual([]);
    s.rearmAlerts([r('A', 'OK'), r('B', 'Skipped')]);
    expect(s.alertMemory().told).toEqual(['B']);
    s.alertNotSent('no quota');
    expect(s.alertMemory()).toEqual({ told: ['B'], problem: 'no quota' });
  });
});

describe('the hourly switch', () => {
  const facts = { me: 'me@example.org', owner: '', ownerAlive: false, mine: 0 };
  it('turns on once, names its owner, and leaves another editor’s live schedule alone', () => {
    expect(decideHourly(true, facts)).toMatchObject({ action: 'create', owner: 'me@example.org' });
    expect(decideHourly(true, { ...facts, mine: 1 })).toMatchObject({ action: 'none', message: 'Hourly sync is already on.' });
    const theirs = { ...facts, owner: 'them@example.org', ownerAlive: true };
    expect(decideHourly(true, theirs)).toMatchObject({ action: 'none' });
    expect(decideHourly(false, theirs)).toMatchObject({ action: 'none', message: 'Hourly sync runs as them@example.org; only them@example.org can turn it off.' });
    expect(switchState(theirs)).toEqual({ on: true, owner: 'them@example.org', me: 'me@example.org' });
    // Silent for three hours: it has lost its owner, and may be taken over.
    expect(decideHourly(true, { ...theirs, ownerAlive: false })).toMatchObject({ action: 'create' });
    expect(switchState({ ...theirs, ownerAlive: false })).toMatchObject({ on: false });
  });
});
