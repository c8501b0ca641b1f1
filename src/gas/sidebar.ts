// The server side of the sidebar (see sidebar-api.ts): what the page shows, saving a secret
// (write-only: it never comes back; bound to the connection, see secrets.ts), testing a connection
// (result also written to Status), runs in slices with progress, the hourly switch, and field
// names for Mappings, and Set up tabs for a spreadsheet that has none yet. Every function checks
// its arguments first (sidebar-args.ts).

import { createConnectors } from '../connectors';
import { budgetFrom } from '../core/budget';
import { cellText } from '../core/cells';
import { TARGET_CATALOGUES } from '../connectors/catalogues';
import { parseConfig, selectJobs, type ConfigTabs } from '../core/config/parse';
import { checkPushSource } from '../core/push/runner';
import { describeNote, describeProblem, HEADERS, TAB, type Config, type Connection } from '../core/config/types';
import { isoSeconds } from '../core/dates';
import { SyncError } from '../core/errors';
import { nextDue } from '../core/schedule';
import { CountingHttp } from '../core/http';
import type { Grid } from '../core/ports';
import { formatCount, type JobResult } from '../core/results';
import { urlFetchHttp } from './http';
import { checkpoint, liveLease, resume, runSlice, runState, SIDEBAR_SLICE_MS, type SliceOutcome } from './runs';
import { bindingOf, documentSecrets, hasUsableSecret, saveSecret, secretWord } from './secrets';
import { documentStore, gasClock } from './services';
import { alertAddresses, alertProblem, saveAlertAddresses } from './alerts';
import { looksLikeRawError, type ActionResult, type AlertSettings, type JobResultSummary, type Refusal, type RunStep, type Served, type FormServer, type SetUpResult, type SidebarSchedule, type SidebarServer, type SidebarState } from './sidebar-api';
import { SIDEBAR_ARGS } from './sidebar-args';
import { setUpTabs } from './setup';
import { setFieldPickers, type PickerOptions } from './pickers';
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

/**
 * The config as a run would see it: what would stop a run (`problems`), and problems in turned-off
 * jobs and unused connections that stop nothing but need fixing before use (`notes`).
 */
function config(wb = workbook(), tabs = configTabs(wb)): { config: Config | null; problems: string[]; notes: string[] } {
  const parsed = parseConfig(tabs, documentSecrets, TARGET_CATALOGUES);
  const notes = parsed.notes.map(describeNote);
  if (!parsed.ok) return { config: null, problems: parsed.problems.map(describeProblem), notes };
  // What a run would stop on before sending: secrets never set, push tabs missing or lacking columns.
  const selected = selectJobs(parsed.config, []);
  const problems = selected.ok ? selected.jobs.flatMap((j) => (j.action === 'Push' ? checkPushSource(j, wb.read(j.source)) : [])) : selected.problems;
  // A secret saved for another URL, user name or mode is not used: the run would fail those jobs.
  const rebind = selected.ok ? [...new Set(selected.jobs.map((j) => j.connection))].filter((c) => c.secretChanged !== undefined) : [];
  for (const c of rebind) {
    const what = secretWord(c.system);
    problems.push({ tab: TAB.connections, row: c.row, column: 'Name', message: `the ${what} for "${c.name}" was saved before ${c.secretChanged} changed, so it is not used; enter it again` });
  }
  return { config: parsed.config, problems: problems.map(describeProblem), notes };
}

function sidebarStateNow(...args: unknown[]): SidebarState {
  SIDEBAR_ARGS.sidebarState.parse(args);
  const wb = workbook();
  const tabs = configTabs(wb);
  // "Set" only for a secret a run would use: saved for the connection's URL, user name and mode as they are now.
  const connections = records(tabs.connections)
    .filter((r) => r.name)
    .map((r) => ({ name: r.name!, system: r.system ?? '', status: readable(r.status ?? '', STATUS_UNEXPECTED), hasSecret: hasUsableSecret(tabs.connections, r.name!) }));
  const schedule = scheduleState();
  const timeZone = SpreadsheetApp.getActive().getSpreadsheetTimeZone();
  const now = gasClock.now();
  const slots = runState();
  const jobs = records(tabs.jobs)
    .filter((r) => r.name)
    .map((r) => {
      const enabled = /^(true|yes|1|x)$/i.test(r.enabled ?? '');
      const due = schedule.on && enabled ? nextDue(r.schedule || 'Hourly', slots.lastSlot(r.name!), now, timeZone) : null;
      return {
        name: r.name!,
        action: r.action ?? '',
        connection: r.connection ?? '',
        enabled,
        schedule: r.schedule || 'Hourly',
        lastRun: r['last run'] ?? '',
        lastResult: readableResult(r['last result'] ?? ''),
        ...(due ? { nextDue: isoSeconds(due) } : {}),
        target: r.target ?? '',
      };
    });
  const checked = config(wb, tabs);
  const tabsSetUp = tabs.connections !== null && tabs.jobs !== null;
  // Dropdowns on Mappings from what needs no request (a refresh stays fast); live lists come with a connection test.
  pickersQuietly(wb, tabs);
  return { connections, jobs, schedule, problems: [...checked.problems, ...checked.notes], tabsSetUp, timeZone };
}

/** Set up tabs from the sidebar: the same work as the menu item, told to the page instead of a toast. */
function setUpTabsNow(...args: unknown[]): SetUpResult {
  // Takes nothing; anything sent means an altered or out-of-date page (as sidebar-args.ts says it).
  if (args.length > 0) {
    throw new SyncError('data', 'Nothing was set up: the sidebar sent more than Sheets Sync expected; close the sidebar, open it again from Extensions → Sheets Sync → Open sidebar, and try again.');
  }
  return { message: setUpMessage(setUpTabs()) };
}

/** What Set up tabs did, in one sentence (the menu's toast says the same). */
export function setUpMessage(done: string[]): string {
  return done.length > 0 ? `Set up: ${done.join('; ')}.` : 'The tabs were already set up; dropdowns and checkboxes are in place.';
}

/**
 * A fault nothing caught may have left a program's complaint in a cell (Status, Last Result) or
 * a result; the coordinator gets a sentence in its place, and the execution log keeps the detail.
 */
function readable(text: string, instead: string): string {
  return looksLikeRawError(text) ? instead : text;
}

/** A Last Result cell is "<status>: <message>": the status stays, only the message is replaced. */
function readableResult(text: string): string {
  if (!looksLikeRawError(text)) return text;
  const status = /^(OK|Partial|Failed|Skipped|Preview|Held)\b/.exec(text)?.[1];
  return status ? `${status}: ${RESULT_UNEXPECTED}` : RESULT_UNEXPECTED;
}

const LOG_HINT = 'the Apps Script execution log (Extensions → Apps Script → Executions) says what it was.';
const RESULT_UNEXPECTED = `Sheets Sync ran into something it did not expect and stopped there. Run it again; if it happens again, ${LOG_HINT}`;
const STATUS_UNEXPECTED = `The last test ran into something Sheets Sync did not expect. Press Test to try again; if it happens again, ${LOG_HINT}`;

function setSecretNow(...args: unknown[]): ActionResult {
  const checked = SIDEBAR_ARGS.setSecret.check(args);
  if (!checked.ok) return { ok: false, message: checked.message };
  const [connection, secret] = checked.args;
  return saveSecret(workbook().read(TAB.connections), connection, secret);
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

/**
 * The connection a test needs, read from the Connections tab alone: a problem in a job, or in
 * another connection, must not make a connection that is there look missing. Without it, the
 * problem in its own row (or the tab's) says why.
 */
function connectionToTest(wb: SheetsWorkbook, name: string): { connection: Connection } | { why: string } {
  const connections = wb.read(TAB.connections);
  const parsed = parseConfig({ connections, jobs: [[...HEADERS.jobs]], mappings: null, constants: null }, documentSecrets, TARGET_CATALOGUES);
  const connection = parsed.ok ? parsed.config.connections.find((c) => c.name === name) : undefined;
  if (connection) return { connection };
  const nameCol = (connections?.[0] ?? []).findIndex((c) => cellText(c).toLowerCase() === 'name');
  const row = nameCol < 0 ? 0 : (connections ?? []).findIndex((r, i) => i > 0 && cellText(r[nameCol] ?? null).trim() === name.trim()) + 1;
  const found = [...(parsed.ok ? [] : parsed.problems), ...parsed.notes];
  const own = found.find((p) => p.tab === TAB.connections && (p.row === null || (row > 0 && p.row === row)));
  if (own) return { why: `${describeProblem(own)}.` };
  return { why: `There is no usable connection named "${name}".` };
}

function testConnectionNow(...args: unknown[]): ActionResult {
  const checked = SIDEBAR_ARGS.testConnection.check(args);
  if (!checked.ok) return { ok: false, message: checked.message };
  const [name] = checked.args;
  const found = connectionToTest(workbook(), name);
  if ('why' in found) return { ok: false, message: found.why };
  const { connection } = found;
  // Asked of the store itself, so a secret saved for another URL, user name or mode is never sent.
  const secret = documentSecrets.get(bindingOf(connection));
  if (secret.state !== 'set' || !connection.secret) {
    const what = secretWord(connection.system);
    const message =
      secret.state === 'changed'
        ? `The ${what} for "${name}" was saved before ${secret.what} changed, so it is not used; enter it again.`
        : `Set the ${what} for "${name}" first.`;
    writeStatus(name, message);
    return { ok: false, message };
  }
  const io = { http: new CountingHttp(urlFetchHttp), store: documentStore, clock: gasClock, budget: budgetFrom(gasClock, 60_000) };
  try {
    const said = createConnectors(connection, io).test?.() ?? 'connected';
    writeStatus(name, `OK ${isoSeconds(new Date())}`);
    // The connection works: its jobs' dropdowns get the lists only the system can give (same io, so the same sign-in).
    const wb = workbook();
    pickersQuietly(wb, configTabs(wb), { live: { connections: new Set([name]), io, secrets: documentSecrets } });
    return { ok: true, message: `${said}.` };
  } catch (e) {
    // Only a SyncError's message was written for the coordinator; anything else is a fault of
    // Sheets Sync, whose text would mean nothing to them (and ends up in the Status cell).
    if (!(e instanceof SyncError)) {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      writeStatus(name, STATUS_UNEXPECTED);
      return { ok: false, message: STATUS_UNEXPECTED };
    }
    writeStatus(name, e.message);
    return { ok: false, message: e.message, code: e.code };
  }
}

function refreshFieldPickersNow(...args: unknown[]): { rulesSet: number } {
  SIDEBAR_ARGS.refreshFieldPickers.parse(args);
  const wb = workbook();
  const tabs = configTabs(wb);
  const { config: cfg } = config(wb, tabs);
  // Only connections a run could use: a secret saved for them as they are now.
  const usable = new Set((cfg?.connections ?? []).filter((c) => c.secret !== '').map((c) => c.name));
  if (usable.size === 0) return { rulesSet: 0 };
  const io = { http: new CountingHttp(urlFetchHttp), store: documentStore, clock: gasClock, budget: budgetFrom(gasClock, 60_000) };
  return { rulesSet: pickersQuietly(wb, tabs, { live: { connections: usable, io, secrets: documentSecrets } }) };
}

/** The field pickers (pickers.ts), never the reason a refresh or a test fails: a fault is only logged. */
function pickersQuietly(wb: SheetsWorkbook, tabs: ConfigTabs, o: PickerOptions = {}): number {
  try {
    const done = setFieldPickers(wb, tabs, o);
    for (const l of done.left) console.warn(`Field pickers: ${l.job}: ${l.why}`);
    return done.rulesSet;
  } catch (e) {
    console.error(`Field pickers: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 0;
  }
}

function fieldNamesNow(...args: unknown[]): string[] {
  const [jobName] = SIDEBAR_ARGS.fieldNames.parse(args);
  const { config: cfg } = config();
  const job = cfg?.jobs.find((j) => j.name === jobName);
  if (!job || job.action !== 'Push') return [];
  const io = { http: new CountingHttp(urlFetchHttp), store: documentStore, clock: gasClock, budget: budgetFrom(gasClock, 60_000) };
  return createConnectors(job.connection, io).fields?.(job) ?? [];
}

function summary(r: JobResult): JobResultSummary {
  return {
    job: r.job,
    status: r.status,
    read: r.read,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    skipped: r.skipped,
    failed: r.failed,
    message: readable(r.message, RESULT_UNEXPECTED),
    ...(r.code === undefined ? {} : { code: r.code }),
  };
}

function step(out: SliceOutcome, total: number): RunStep {
  const results = out.results.filter((r) => r.status !== 'Partial' || !out.next).map(summary);
  // Another execution holds the run (a second sidebar, Sync now): it carries the run on, not this caller.
  const skipped = out.results.find((r) => r.job === '' && r.status === 'Skipped');
  if (skipped) return { done: true, token: '', fraction: null, message: skipped.message, results: out.results.map(summary) };
  if (!out.next) {
    return { done: true, token: '', fraction: 1, message: out.results.map((r) => `${r.job || 'Sync'}: ${r.status}`).join('; '), results: out.results.map(summary) };
  }
  const finished = total - out.next.jobs.length;
  const partial = out.results.find((r) => r.status === 'Partial');
  // How far the job still under way got (rows sent of rows to send, rows read of rows), as the engine said.
  const progress = partial && out.progress?.message.startsWith(`${partial.job}: `) ? out.progress : null;
  return {
    done: false,
    token: out.next.runId,
    fraction: total > 0 ? Math.min(1, (finished + (progress?.fraction ?? 0)) / total) : null,
    message: progress ? `${progress.message}; continuing…` : partial ? `${partial.job}: ${partial.read > 0 ? `${formatCount(partial.read)} rows so far; ` : ''}continuing…` : 'Continuing…',
    results,
    progress,
  };
}

function startRunNow(...args: unknown[]): RunStep {
  const [job, preview] = SIDEBAR_ARGS.startRun.parse(args);
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

function continueRunNow(...args: unknown[]): RunStep {
  const [token] = SIDEBAR_ARGS.continueRun.parse(args);
  const cp = checkpoint(token);
  if (!cp || cp.runId !== token) return { done: true, token: '', fraction: 1, message: 'This run has already finished.', results: [] };
  const out = resume(cp, SIDEBAR_SLICE_MS);
  return step(out, cp.total);
}

function setHourlyNow(...args: unknown[]): SidebarSchedule {
  const [on] = SIDEBAR_ARGS.setHourly.parse(args);
  return switchHourly(on).state;
}

function alertSettingsNow(...args: unknown[]): AlertSettings {
  SIDEBAR_ARGS.alertSettings.parse(args);
  return { addresses: alertAddresses(), owner: scheduleState().owner, problem: alertProblem() };
}

function setAlertAddressesNow(...args: unknown[]): AlertSettings {
  const [addresses] = SIDEBAR_ARGS.setAlertAddresses.parse(args);
  saveAlertAddresses(addresses);
  return alertSettingsNow();
}

/**
 * Each server function answers its value or a Refusal, never an exception: a SyncError's code and
 * sentence go to the page as they are; anything else is a fault of Sheets Sync, logged with its
 * stack for whoever looks into it, and told to the coordinator in one plain sentence.
 */
export function refusing<T>(fn: (...args: unknown[]) => T): (...args: unknown[]) => T | Refusal {
  return (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof SyncError) return { refused: true, code: e.code, message: e.message };
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      return { refused: true, message: UNEXPECTED };
    }
  };
}

const UNEXPECTED = 'Sheets Sync ran into something it did not expect and stopped there. Try again; if it happens again, the Apps Script execution log (Extensions → Apps Script → Executions) says what it was.';

export const sidebarState = refusing(sidebarStateNow);
export const setSecret = refusing(setSecretNow);
export const testConnection = refusing(testConnectionNow);
export const fieldNames = refusing(fieldNamesNow);
export const startRun = refusing(startRunNow);
export const continueRun = refusing(continueRunNow);
export const setHourly = refusing(setHourlyNow);
export const setUpTabsFromSidebar = refusing(setUpTabsNow);
export const refreshFieldPickers = refusing(refreshFieldPickersNow);
export const alertSettings = refusing(alertSettingsNow);
export const setAlertAddresses = refusing(setAlertAddressesNow);

// The compiler checks that these still answer what the page (sidebar/rpc.ts) expects.
// The forms' functions are checked in forms.ts.
const server: Omit<Served<SidebarServer>, keyof FormServer> = { sidebarState, setSecret, testConnection, startRun, continueRun, setHourly, fieldNames, setUpTabsFromSidebar, refreshFieldPickers, alertSettings, setAlertAddresses };
void server;
