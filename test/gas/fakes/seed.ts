// Config tabs for a fake world: the Connections, Jobs, Mappings and Constants a coordinator would
// have typed, pointing at the in-process simulators.

import { HEADERS, TAB } from '../../../src/core/config/types';
import type { GasWorld } from './world';
import { URLS } from './world';

export const IMIS_CONNECTION = ['iMIS', 'iMIS', URLS.imis, 'sync.user', 'EMS', ''];
export const IMIS_2017_CONNECTION = ['Old iMIS', 'iMIS', URLS.imis2017, 'sync.user', '2017', ''];
export const EVERYACTION_CONNECTION = ['EveryAction', 'EveryAction', URLS.everyAction, 'SheetsSyncDemo', 'MyCampaign', ''];

export const PASSWORDS = { iMIS: 'demo-password', 'Old iMIS': 'demo-password', EveryAction: 'demo-api-key' } as const;

export interface JobSpec {
  name: string;
  enabled?: boolean;
  action?: 'Pull' | 'Push';
  connection?: string;
  source: string;
  target: string;
  match?: string;
  mode?: string;
  parameters?: string;
  schedule?: string;
}

/** A Jobs row in the order of HEADERS.jobs. */
export function jobRow(j: JobSpec): unknown[] {
  return [j.name, j.enabled ?? true, j.action ?? 'Pull', j.connection ?? 'iMIS', j.source, j.target, j.match ?? '', j.mode ?? '', j.parameters ?? '', j.schedule ?? 'Hourly', '', ''];
}

export interface ConfigSpec {
  connections?: unknown[][];
  jobs: JobSpec[];
  /** [job, column, field, required?, transform?] */
  mappings?: unknown[][];
  /** [job, field, value] */
  constants?: unknown[][];
}

/** Writes the four config tabs (replacing them if present). */
export function seedConfig(world: GasWorld, c: ConfigSpec): void {
  for (const tab of [TAB.connections, TAB.jobs, TAB.mappings, TAB.constants]) if (world.doc.find(tab)) world.doc.remove(tab);
  world.addSheet(TAB.connections, [[...HEADERS.connections], ...(c.connections ?? [IMIS_CONNECTION])]);
  world.addSheet(TAB.jobs, [[...HEADERS.jobs], ...c.jobs.map(jobRow)]);
  world.addSheet(TAB.mappings, [[...HEADERS.mappings], ...(c.mappings ?? []).map((m) => [m[0], m[1], m[2], m[3] ?? false, m[4] ?? ''])]);
  world.addSheet(TAB.constants, [[...HEADERS.constants], ...(c.constants ?? [])]);
}

/** Sets connection passwords / API keys the way the sidebar does (setSecret). */
export function setSecrets(world: GasWorld, secrets: Record<string, string> = { iMIS: PASSWORDS.iMIS }): void {
  for (const [name, secret] of Object.entries(secrets)) {
    const out = world.sidebar<{ ok: boolean; message: string }>('setSecret', name, secret);
    if (!out.ok) throw new Error(`setSecret(${name}) failed: ${out.message}`);
  }
}

/** A tab of people to push: header [Email, First, Last, ...extra], n rows. */
export function peopleTab(n: number, prefix = 'signup', extra: { header: string; value: (i: number) => unknown }[] = []): unknown[][] {
  const rows: unknown[][] = [['Email', 'First', 'Last', ...extra.map((e) => e.header)]];
  for (let i = 0; i < n; i++) rows.push([`${prefix}.${i}@example.org`, 'Person', `Number ${i}`, ...extra.map((e) => e.value(i))]);
  return rows;
}

/** Mappings for peopleTab into iMIS contacts. */
export function contactMappings(job: string): unknown[][] {
  return [
    [job, 'Email', 'Email', true, 'email'],
    [job, 'First', 'FirstName', false, ''],
    [job, 'Last', 'LastName', false, ''],
  ];
}
