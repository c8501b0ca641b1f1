// A workbook wired to in-process simulators (iMIS EMS at /imis/, iMIS 2017 at /imis2017/,
// EveryAction at /everyaction/v4/ with its file host), and a function to run the engine over it:
// the setup most end-to-end engine tests share.

import { createConnectors } from '../../src/connectors';
import { HEADERS } from '../../src/core/config/types';
import { runSync, type RunOptions } from '../../src/core/engine';
import type { Grid, Lock } from '../../src/core/ports';
import { EveryActionSimulator, type EveryActionSimulatorOptions } from '../../src/simulators/everyaction';
import { ImisSimulator } from '../../src/simulators/imis';
import { inProcessHttp } from '../../src/simulators/router';
import { FakeClock, memoryLog, MemoryStore, MemoryWorkbook, secrets } from './fakes';

export const CONNECTIONS: Grid = [
  [...HEADERS.connections],
  ['iMIS', 'iMIS', 'http://127.0.0.1/imis/', 'sync.user', 'EMS', ''],
  ['Old iMIS', 'iMIS', 'http://127.0.0.1/imis2017/', 'sync.user', '2017', ''],
  ['EveryAction', 'EveryAction', 'http://127.0.0.1/everyaction/v4/', 'SheetsSyncDemo', 'MyCampaign', ''],
];

/** A Jobs-tab row; unspecified columns blank. */
export function jobRow(j: { name: string; action?: string; connection?: string; source: string; target: string; match?: string; mode?: string; parameters?: string }): unknown[] {
  return [j.name, true, j.action ?? 'Pull', j.connection ?? 'iMIS', j.source, j.target, j.match ?? '', j.mode ?? '', j.parameters ?? '', 'Hourly', '', ''];
}

export function imisRun(jobs: unknown[][], tabs: Record<string, Grid> = {}, latencyMs = 0, eaOptions: EveryActionSimulatorOptions = {}) {
  const clock = new FakeClock();
  const ems = new ImisSimulator({ now: () => clock.now().getTime() });
  const old = new ImisSimulator({ mode: '2017', now: () => clock.now().getTime() });
  const slow = (handle: typeof ems.handle): typeof ems.handle => (req) => {
    clock.advance(latencyMs);
    return handle(req);
  };
  const ea = new EveryActionSimulator({ now: () => clock.now().getTime(), filesBaseUrl: 'http://127.0.0.1/everyaction-files/', apiBaseUrl: 'http://127.0.0.1/everyaction/v4/', ...eaOptions });
  const http = inProcessHttp({ '/imis/': slow(ems.handle), '/imis2017/': slow(old.handle), '/everyaction/v4/': slow(ea.handle), '/everyaction-files/': ea.files });
  const workbook = new MemoryWorkbook({ Connections: CONNECTIONS, Jobs: [[...HEADERS.jobs], ...(jobs as Grid)], ...tabs });
  const log = memoryLog();
  const store = new MemoryStore();
  const run = (options: Partial<RunOptions> = {}, lock?: Lock, wb = workbook) =>
    runSync(
      { workbook: wb, store, http, clock, log, secrets: secrets({ iMIS: 'demo-password', 'Old iMIS': 'demo-password', EveryAction: 'demo-api-key' }), connectors: createConnectors, timeZone: 'UTC', lock, random: () => 0.5 },
      { trigger: 'CLI', jobs: [], preview: false, budgetMs: 270_000, ...options },
    );
  return { clock, ems, old, ea, http, workbook, log, store, run };
}
