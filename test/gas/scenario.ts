// What the Apps Script scenarios share: worlds that are checked after each test for globals Apps
// Script lacks, the jobs most scenarios run, and small readers of what a run left behind.

import { afterEach, expect } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { DEMO_QUERIES } from '../../src/simulators/imis';
import { GasWorld, seedConfig, setSecrets, type JobSpec, type Stored, type WorldOptions } from './fakes';

export const MEMBERS: JobSpec = { name: 'Members', source: DEMO_QUERIES.activeMembers, target: 'Members', match: 'ID', mode: 'Replace' };
export const SIGNUPS: JobSpec = { name: 'Sign-ups', action: 'Push', source: 'Sign-ups', target: 'Contact', match: 'Email' };
export const EDITOR = 'second.editor@example.org';

/** A world factory for one test file; whatever a scenario does, no execution may touch a global Apps Script lacks. */
export function useWorlds(): (o?: WorldOptions) => GasWorld {
  const worlds: GasWorld[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) {
      for (const e of w.executions) expect(e.touched, `${e.fn} (execution ${e.id}) touched globals Apps Script lacks`).toEqual([]);
    }
  });
  return (o: WorldOptions = {}) => {
    const w = new GasWorld(o);
    worlds.push(w);
    return w;
  };
}

export function report(w: GasWorld): Record<string, Stored>[] {
  return w.doc.find(TAB.report) ? w.sheet(TAB.report).records() : [];
}

/** Tabs written (setValues/setValue/appendRow) by one execution. */
export function writtenTabs(e: { sheetOps: { op: string; sheet: string }[] }): string[] {
  return [...new Set(e.sheetOps.filter((o) => o.op !== 'getValues' && o.op !== 'getValue').map((o) => o.sheet))].sort();
}

export function pullWorld(newWorld: (o?: WorldOptions) => GasWorld, o: WorldOptions = {}): GasWorld {
  const w = newWorld(o);
  seedConfig(w, { jobs: [MEMBERS] });
  setSecrets(w);
  return w;
}

/** The run state's lease and checkpoints as the add-on stored them (core/run/machine.ts). */
export function runRecord(w: GasWorld): { lease: { runId: string; active: boolean } | null; checkpoints: { runId: string; jobs: string[]; preview: boolean; trigger: string; scheduled: boolean }[] } {
  let text = w.props.document.get('state:run:state');
  // A value too large for a property lives in the hidden state tab (src/gas/services.ts).
  if (text?.startsWith('@tab:')) text = String(w.sheet('Sheets Sync State').get(Number(text.slice(5)), 2));
  return text ? JSON.parse(text) : { lease: null, checkpoints: [] };
}

/** Leaves a lease behind as a run in another execution would: `ageMs` since it was last renewed. */
export function plantLease(w: GasWorld, ageMs: number): void {
  w.props.document.set('state:run:state', JSON.stringify({ lease: { runId: 'crashed-run', execution: 'a-dead-execution', startedAt: '2026-11-23T14:00:00Z', renewedAt: w.clock.now() - ageMs, active: true }, checkpoints: [] }));
}
