// The server side of the sidebar (see sidebar-api.ts): what the page shows, saving a secret
// (write-only: it never comes back), testing a connection (result also written to Status), runs in
// slices with progress, the hourly switch, and field names for Mappings.

import { createConnectors } from '../connectors';
import { budgetFrom } from '../core/budget';
import { cellText } from '../core/cells';
import { parseConfig, selectJobs, type ConfigTabs } from '../core/config/parse';
import { checkPushSource } from '../core/push/runner';
import { describeProblem, TAB, type Config } from '../core/config/types';
import { isoSeconds } from '../core/dates';
import { CountingHttp } from '../core/http';
import type { Grid } from '../core/ports';
import { formatCount, type JobResult } from '../core/results';
import { urlFetchHttp } from './http';
import { checkpoint, liveLease, resume, runSlice, SIDEBAR_SLICE_MS, type SliceOutcome } from './runs';
import { documentSecrets, documentStore, gasClock, SECRET_PREFIX } from './services';
import type { ActionResult, JobResultSummary, RunStep, SidebarState } from './sidebar-api';
import { scheduleState, setHourly as switchHourly } from './triggers';
import { SheetsWorkbook } from './workbook';

function workbook(): SheetsWorkbook {
  return new SheetsWorkbook(SpreadsheetApp.getActive());
}

/** Rows of a tab as header → cell records (empty when the tab is missing). */
function records(grid: Grid | null): Record<string, string>[] {
  if (!grid || grid.length === 0) return [];
  const header = grid[0]!.map((c) => cellText(c).toLowerCase());
  return grid.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, cellText(r[i] ?? null)])));
}

/** The four config tabs, each read once. */
function configTabs(wb: SheetsWorkbook): ConfigTabs {
  return { connections: wb.read(TAB.connections), jobs: wb.read(TAB.jobs), mappings: wb.read(TAB.mappings), constants: wb.read(TAB.constants) };
}

function config(wb = workbook(), tabs = configTabs(wb)): { config: Config | null; problems: string[] } {
  const parsed = parseConfig(tabs, documentSecrets);
  if (!parsed.ok) return { config: null, problems: parsed.problems.map(describeProblem) };
  // What a run would stop on before sending: secrets never set, push tabs missing or lacking columns.
  const selected = selectJobs(parsed.config, []);
  const problems = selected.ok ? selected.jobs.flatMap((j) => (j.action === 'Push' ? checkPushSource(j, wb.read(j.source)) : [])) : selected.problems;
  return { config: parsed.config, problems: problems.map(describeProblem) };
}

export function sidebarState(): SidebarState {
  const wb = workbook();
  const tabs = configTabs(wb);
  const connections = records(tabs.connections)
    .filter((r) => r.name)
    .map((r) => ({ name: r.name!, system: r.system ?? '', status: r.status ?? '', hasSecret: documentSecrets.get(r.name!) !== null }));
  const jobs = records(tabs.jobs)
    .filter((r) => r.name)
    .map((r) => ({
      name: r.name!,
      action: r.action ?? '',
      connection: r.connection ?? '',
      enabled: /^(true|yes|1|x)$/i.test(r.enabled ?? ''),
      schedule: r.schedule || 'Hourly',
      lastRun: r['last run'] ?? '',
      lastResult: r['last result'] ?? '',
      target: r.target ?? '',
    }));
  return { connections, jobs, schedule: scheduleState(), problems: config(wb, tabs).problems };
}

export function setSecret(connection: string, secret: string): ActionResult {
  const known = records(workbook().read(TAB.connections)).find((r) => r.name === connection);
  if (!known) return { ok: false, message: `There is no connection named "${connection}" in the Connections tab.` };
  if (secret.trim() === '') return { ok: false, message: 'Nothing was saved: the field was empty.' };
  // Apps Script keeps at most 9 KB per property; no password or API key comes near that.
  if (encodeURIComponent(secret).length > 8000) return { ok: false, message: 'Nothing was saved: that is far too long to be a password or API key.' };
  PropertiesService.getDocumentProperties().setProperty(SECRET_PREFIX + connection, secret);
  const what = known.system === 'EveryAction' ? 'API key' : 'password';
  return { ok: true, message: `The ${what} for "${connection}" is saved. It is kept with this spreadsheet and never shown again.` };
}

/** Writes the connection's Status cell (adding the Status column if the tab lacks it). */
function writeStatus(connection: string, text: string): void {
  const wb = workbook();
  const grid = wb.read(TAB.connections) ?? [];
  const header = (grid[0] ?? []).map((c) => cellText(c).toLowerCase());
  const row = grid.findIndex((r, i) => i > 0 && cellText(r[header.indexOf('name')] ?? null) === connection);
  if (row < 0) return;
  let col = header.indexOf('status');
  if (col < 0) {
    col = header.length;
    wb.writeBlock(TAB.connections, 1, col + 1, [['Status']]);
  }
  wb.writeBlock(TAB.connections, row + 1, col + 1, [[text]]);
}

export function testConnection(name: string): ActionResult {
  const { config: cfg, problems } = config();
  const connection = cfg?.connections.find((c) => c.name === name);
  if (!connection) {
    const why = problems.find((p) => p.startsWith(`${TAB.connections} `)) ?? `There is no usable connection named "${name}".`;
    return { ok: false, message: why };
  }
  if (!connection.secret) {
    const message = `Set the ${connection.system === 'EveryAction' ? 'API key' : 'password'} for "${name}" first.`;
    writeStatus(name, message);
    return { ok: false, message };
  }
  const io = { http: new CountingHttp(urlFetchHttp), store: documentStore, clock: gasClock, budget: budgetFrom(gasClock, 60_000) };
  try {
    const said = createConnectors(connection, io).test?.() ?? 'connected';
    writeStatus(name, `OK ${isoSeconds(new Date())}`);
    return { ok: true, message: `${said}.` };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    writeStatus(name, message);
    return { ok: false, message };
  }
}

export function fieldNames(jobName: string): string[] {
  const { config: cfg } = config();
  const job = cfg?.jobs.find((j) => j.name === jobName);
  if (!job || job.action !== 'Push') return [];
  const io = { http: new CountingHttp(urlFetchHttp), store: documentStore, clock: gasClock, budget: budgetFrom(gasClock, 60_000) };
  return createConnectors(job.connection, io).fields?.(job) ?? [];
}

function summary(r: JobResult): JobResultSummary {
  return { job: r.job, status: r.status, read: r.read, created: r.created, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped, failed: r.failed, message: r.message };
}

function step(out: SliceOutcome, total: number): RunStep {
  const results = out.results.filter((r) => r.status !== 'Partial' || !out.next).map(summary);
  if (!out.next) {
    return { done: true, token: '', fraction: 1, message: out.results.map((r) => `${r.job || 'Sync'}: ${r.status}`).join('; '), results: out.results.map(summary) };
  }
  const finished = total - out.next.jobs.length;
  const partial = out.results.find((r) => r.status === 'Partial');
  return {
    done: false,
    token: out.next.runId,
    fraction: total > 0 ? finished / total : null,
    message: partial ? `${partial.job}: ${partial.read > 0 ? `${formatCount(partial.read)} rows so far; ` : ''}continuing…` : 'Continuing…',
    results,
  };
}

export function startRun(job: string, preview: boolean): RunStep {
  const lease = liveLease();
  if (lease) {
    return { done: true, token: '', fraction: null, message: `Another sync (started ${lease.startedAt}) is still running; try again in a few minutes.`, results: [] };
  }
  // A run that stopped at its time limit (Sync now, or an hourly run) is carried on first.
  const paused = checkpoint();
  if (!job && !preview && paused && !paused.preview) return step(resume(paused, SIDEBAR_SLICE_MS), paused.total);
  const jobs = job ? [job] : [];
  const out = runSlice({ jobs, preview, trigger: 'Manual', sliceMs: SIDEBAR_SLICE_MS });
  return step(out, out.next?.total ?? out.results.length);
}

export function continueRun(token: string): RunStep {
  const cp = checkpoint();
  if (!cp || cp.runId !== token) return { done: true, token: '', fraction: 1, message: 'This run has already finished.', results: [] };
  const out = resume(cp, SIDEBAR_SLICE_MS);
  return step(out, cp.total);
}

export function setHourly(on: boolean) {
  return switchHourly(on).state;
}
