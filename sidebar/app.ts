// The sidebar page: connections (write-only secrets, Test), jobs (Run now, Preview, Run all, with
// progress while the server works through a run one slice at a time), the hourly sync switch,
// field names for the Mappings tab, and setup problems; on a spreadsheet without the tabs, only
// Set up tabs and then what to do next. Everything comes from the server through
// google.script.run (see rpc.ts); nothing here reads the sheet or keeps a secret.
//
// Views are built once per connection / job name and updated in place on every refresh, so focus,
// typed-in text and the last Test message survive a refresh.

import type { AlertSettings, JobResultSummary, Refusal, RunStep, SidebarConnection, SidebarJob, SidebarSchedule, SidebarState } from '../src/gas/sidebar-api';
import { plainError, said } from './errors';
import { adviceFor, connectionStatus, countsText, jobChip, jobOrder, jobSummary, lastRunText, lastStatus, nextDueText, resultIsProblem, runOutcome, scheduleText, secretLabel, whenText, withLocalTimes } from './format';
import { byId, el, hiddenText, type Child } from './dom';
import { server } from './rpc';
import { mountForms, renderForms } from './forms';

// ---------------------------------------------------------------------------------------------
// Ids for labels and descriptions

let nextId = 0;
const newId = (prefix: string) => `${prefix}-${++nextId}`;

// ---------------------------------------------------------------------------------------------
// Page state

let state: SidebarState | null = null;
/** True while a run (or preview) is going: every button waits until it ends. */
let running = false;
/** Controls whose own server call is in flight. */
const busy = new Set<HTMLElement>();

/**
 * Buttons that cannot be used now say so with aria-disabled rather than `disabled`: a disabled
 * button drops focus, and during a run focus stays where the coordinator left it, visibly. Clicks
 * on them are stopped before any handler (see start()). A job line's disclosure always works.
 */
function syncDisabled(): void {
  for (const button of Array.from(document.querySelectorAll('button'))) {
    if (button.classList.contains('job-toggle')) continue;
    const off = running || busy.has(button) || (button.id === 'fields-show' && !(state?.jobs.length ?? 0));
    if (off) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
  }
  const hourly = byId<HTMLInputElement>('hourly');
  if (running || busy.has(hourly)) hourly.setAttribute('aria-disabled', 'true');
  else hourly.removeAttribute('aria-disabled');
}

// ---------------------------------------------------------------------------------------------
// Messages

function clearNotice(): void {
  byId('notice').replaceChildren();
}

/** A failed server call, in plain words, in the page's alert region. */
function showError(doing: string, error: unknown): void {
  byId('notice').replaceChildren(el('p', { class: 'error-box' }, el('strong', {}, 'Problem: '), `${doing}: ${plainError(error)}`));
}

/** Runs one server action for a control: disables it meanwhile, reports a failure, gives focus back. */
async function act(control: HTMLElement, doing: string, work: () => Promise<void>): Promise<void> {
  clearNotice();
  busy.add(control);
  syncDisabled();
  try {
    await work();
  } catch (error) {
    showError(doing, error);
  } finally {
    busy.delete(control);
    syncDisabled();
    keepFocus(control);
  }
}

/** A control that was disabled while focused loses focus; hand it back unless the user moved on. */
function keepFocus(control: HTMLElement): void {
  const active = document.activeElement;
  if (control.isConnected && (!active || active === document.body || active === control)) control.focus();
}

// ---------------------------------------------------------------------------------------------
// Setup problems

function renderProblems(problems: string[]): void {
  const box = byId('problems');
  byId('problems-list').replaceChildren(...problems.map((p) => el('li', {}, p)));
  box.hidden = problems.length === 0;
}

// ---------------------------------------------------------------------------------------------
// First contact: Set up tabs

async function setUp(): Promise<void> {
  const button = byId<HTMLButtonElement>('set-up');
  await act(button, 'Could not set up the tabs', async () => {
    const answer = await server.setUpTabsFromSidebar();
    byId('next-done').textContent = said(answer.message);
    byId('next').hidden = false;
    await refresh();
    // The button just pressed is gone; the steps that follow are where the coordinator goes on.
    byId('next').focus();
  });
}

// ---------------------------------------------------------------------------------------------
// Connections

interface ConnectionView {
  root: HTMLLIElement;
  heading: HTMLHeadingElement;
  system: HTMLElement;
  status: HTMLElement;
  label: HTMLLabelElement;
  secretState: HTMLElement;
  input: HTMLInputElement;
  save: HTMLButtonElement;
  test: HTMLButtonElement;
  result: HTMLElement;
  data: SidebarConnection;
  /** The message of the last failed Test, shown in `result`; the Status cell then says the same. */
  failedTest: string | null;
}

const connectionViews = new Map<string, ConnectionView>();

function setResult(node: HTMLElement, ok: boolean | null, text: string): void {
  node.className = ok === false ? 'result bad' : 'result';
  node.replaceChildren(...(ok === null ? [text] : [el('strong', {}, ok ? 'OK: ' : 'Failed: '), text]));
}

function createConnectionView(c: SidebarConnection): ConnectionView {
  const id = newId('conn');
  const heading = el('h3');
  const system = el('span');
  const status = el('span', { class: 'status-text' });
  const label = el('label', { for: `${id}-secret` });
  const secretState = el('span', { id: `${id}-secret-state`, class: 'pill' });
  const input = el('input', {
    id: `${id}-secret`,
    type: 'password',
    autocomplete: 'new-password',
    spellcheck: 'false',
    autocapitalize: 'off',
    'aria-describedby': `${id}-secret-state`,
  });
  const save = el('button', { type: 'submit' });
  const test = el('button', { type: 'button' });
  const result = el('p', { class: 'result', id: `${id}-result`, 'aria-live': 'polite' });
  const form = el(
    'form',
    { class: 'secret', novalidate: '' },
    el('div', { class: 'label-row' }, label, secretState),
    input,
    el('div', { class: 'buttons' }, save, test),
  );
  const root = el(
    'li',
    { class: 'card' },
    heading,
    el('p', { class: 'meta' }, el('span', { class: 'secondary' }, 'System: '), system),
    el('p', { class: 'meta' }, el('span', { class: 'secondary' }, 'Status: '), status),
    form,
    result,
  );
  const view: ConnectionView = { root, heading, system, status, label, secretState, input, save, test, result, data: c, failedTest: null };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveSecret(view);
  });
  test.addEventListener('click', () => void testConnection(view));
  return view;
}

function updateConnectionView(v: ConnectionView, c: SidebarConnection): void {
  v.data = c;
  v.heading.textContent = c.name;
  v.system.textContent = c.system || 'Not given';
  const status = connectionStatus(c);
  // The server writes a failed test's message into Status too: say it once, in the result beside Test.
  const repeated = status.good === false && v.failedTest !== null && v.failedTest === status.text;
  v.status.textContent = repeated ? 'Last test failed (the reason is below).' : said(withLocalTimes(status.text, state?.timeZone));
  v.status.className = status.good === false ? 'status-text bad' : status.good ? 'status-text good' : 'status-text';
  const what = secretLabel(c.system);
  v.label.replaceChildren(what, hiddenText(` for ${c.name}`));
  v.secretState.textContent = c.hasSecret ? 'Set' : 'Not set';
  // A missing secret matters only once an enabled job needs it; the example rows have none.
  v.secretState.className = c.hasSecret ? 'pill set' : usedByEnabledJob(c.name) ? 'pill unset' : 'pill idle';
  v.save.replaceChildren('Save', hiddenText(` ${what} for ${c.name}`));
  v.test.replaceChildren('Test', hiddenText(` connection ${c.name}`));
}

function usedByEnabledJob(connection: string): boolean {
  return (state?.jobs ?? []).some((j) => j.enabled && j.connection.trim().toLowerCase() === connection.trim().toLowerCase());
}

async function saveSecret(v: ConnectionView): Promise<void> {
  const name = v.data.name;
  const what = secretLabel(v.data.system);
  const secret = v.input.value;
  if (secret === '') {
    setResult(v.result, null, `Type the ${what} first, then press Save.`);
    v.input.focus();
    return;
  }
  setResult(v.result, null, 'Saving…');
  await act(v.save, `Could not save the ${what} for ${name}`, async () => {
    try {
      const answer = await server.setSecret(name, secret);
      if (answer.ok) {
        v.input.value = '';
        v.failedTest = null;
        updateConnectionView(v, { ...v.data, hasSecret: true });
      }
      setResult(v.result, answer.ok, said(answer.message) || (answer.ok ? 'Saved.' : 'Not saved.'));
      // Setup problems such as "no password is set" are the server's to clear: ask it again.
      if (answer.ok) await refresh();
    } catch (error) {
      setResult(v.result, null, '');
      throw error;
    }
  });
}

async function testConnection(v: ConnectionView): Promise<void> {
  const name = v.data.name;
  if (v.input.value !== '') {
    setResult(v.result, null, `Press Save first: Test uses the saved ${secretLabel(v.data.system)}.`);
    return;
  }
  setResult(v.result, null, `Testing ${name}…`);
  await act(v.test, `Could not test ${name}`, async () => {
    try {
      const answer = await server.testConnection(name);
      const message = said(answer.message) || (answer.ok ? 'Connected.' : 'The test failed.');
      setResult(v.result, answer.ok, message);
      v.failedTest = answer.ok ? null : answer.message;
      const advice = answer.ok ? null : adviceFor(answer.code, v.data.system);
      if (advice) v.result.append(' ', el('span', { class: 'advice' }, advice.text));
    } catch (error) {
      v.failedTest = null;
      setResult(v.result, null, '');
      throw error;
    }
    // The server wrote the outcome into the Status cell: show it.
    await refresh();
  });
}

/** Adds, updates, reorders and removes keyed views without rebuilding the ones that stay. */
function reconcile<T, V extends { root: HTMLElement }>(
  list: HTMLElement,
  items: T[],
  key: (item: T) => string,
  views: Map<string, V>,
  create: (item: T) => V,
  update: (view: V, item: T) => void,
): void {
  const keep = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (keep.has(k)) continue; // duplicate names are a setup problem the server reports
    const i = keep.size;
    keep.add(k);
    let view = views.get(k);
    if (!view) {
      view = create(item);
      views.set(k, view);
    }
    update(view, item);
    if (list.children[i] !== view.root) list.insertBefore(view.root, list.children[i] ?? null);
  }
  for (const [k, view] of views) {
    if (!keep.has(k)) {
      view.root.remove();
      views.delete(k);
    }
  }
}

function renderConnections(connections: SidebarConnection[]): void {
  reconcile(byId('connections'), connections, (c) => c.name, connectionViews, createConnectionView, updateConnectionView);
  byId('connections-empty').hidden = connections.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Jobs and runs

interface JobView {
  root: HTMLLIElement;
  /** The line: a disclosure button holding name, status chip and last run, inside a heading. */
  toggle: HTMLButtonElement;
  name: HTMLElement;
  chip: HTMLElement;
  when: HTMLElement;
  details: HTMLElement;
  summary: HTMLElement;
  enabled: HTMLElement;
  last: HTMLElement;
  /** When the hourly sync runs it next, for a job that runs by itself. */
  due: HTMLElement;
  buttons: HTMLElement;
  run: HTMLButtonElement;
  preview: HTMLButtonElement;
  data: SidebarJob;
}

const jobViews = new Map<string, JobView>();
/** The results the page shows below the jobs, by job: a job's details do not repeat their message. */
const shownResults = new Map<string, JobResultSummary>();
/** The job a run is working on now, whose chip says so. */
let runningJob = '';

function createJobView(job: SidebarJob): JobView {
  const id = newId('job');
  const name = el('span', { class: 'job-name' });
  const chip = el('span', { class: 'chip' });
  const when = el('span', { class: 'job-when' });
  const toggle = el('button', { type: 'button', class: 'job-toggle', 'aria-expanded': 'false', 'aria-controls': `${id}-details` }, name, chip, when);
  const summary = el('p', { class: 'meta secondary' });
  const enabled = el('p', { class: 'meta' });
  const last = el('p', { class: 'meta' });
  const due = el('p', { class: 'meta' });
  const run = el('button', { type: 'button' });
  const preview = el('button', { type: 'button' });
  const buttons = el('div', { class: 'buttons' }, run, preview);
  const details = el('div', { class: 'job-details', id: `${id}-details` }, summary, last, due, enabled, buttons);
  details.hidden = true;
  const root = el('li', { class: 'job' }, el('h3', { class: 'job-head' }, toggle), details);
  const view: JobView = { root, toggle, name, chip, when, details, summary, enabled, last, due, buttons, run, preview, data: job };
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    details.hidden = !open;
  });
  run.addEventListener('click', () => void runJobs(view.data.name, false, run));
  preview.addEventListener('click', () => void runJobs(view.data.name, true, preview));
  return view;
}

/** An enabled job whose connection has no password or key set cannot run: it needs attention. */
function missingSecret(job: SidebarJob): boolean {
  if (!job.enabled) return false;
  const c = connectionViews.get(job.connection)?.data ?? state?.connections.find((x) => x.name.trim().toLowerCase() === job.connection.trim().toLowerCase());
  return c !== undefined && !c.hasSecret;
}

const chipOf = (job: SidebarJob) => jobChip(job, missingSecret(job) && (/everyaction/i.test(connectionViews.get(job.connection)?.data.system ?? '') ? 'API key' : 'password'));

function updateJobView(v: JobView, job: SidebarJob): void {
  v.data = job;
  v.name.textContent = job.name;
  const chip = runningJob === job.name ? { text: 'Running', kind: 'run', attention: false } : chipOf(job);
  v.chip.replaceChildren(hiddenText(', '), chip.text, hiddenText(', '));
  v.chip.className = `chip ${chip.kind}`;
  v.root.classList.toggle('attention', chip.attention);
  const when = whenText(job.lastRun, state?.timeZone);
  v.when.replaceChildren(...(when ? [hiddenText('last run '), when] : []));
  v.summary.textContent = jobSummary(job);
  // The server refuses to run a job that is off, so the details offer nothing that would fail.
  v.enabled.textContent = job.enabled ? '' : 'Off. To run it, tick Enabled in the Jobs tab, then press Refresh.';
  v.enabled.hidden = job.enabled;
  v.buttons.hidden = !job.enabled;
  const shown = withoutShownMessage(job);
  const secretNote = missingSecret(job) && !lastStatus(job.lastResult).match(/^(failed|held|partial)$/i) ? ` Set the ${secretLabel(connectionViews.get(job.connection)?.data.system ?? '')} for ${job.connection} under Connections first.` : '';
  v.last.textContent = said(lastRunText({ lastRun: whenText(job.lastRun, state?.timeZone), lastResult: shown.lastResult })) + secretNote;
  v.due.textContent = nextDueText(job.nextDue, state?.timeZone);
  v.due.hidden = v.due.textContent === '';
  v.run.replaceChildren('Run now', hiddenText(` ${job.name}`));
  v.preview.replaceChildren('Preview', hiddenText(` ${job.name}`));
}

/** The job with its Last Result cut to the status when the results below already give the message. */
function withoutShownMessage(job: SidebarJob): SidebarJob {
  const r = shownResults.get(job.name);
  if (!r?.message || job.lastResult !== `${r.status}: ${r.message}`) return job;
  return { ...job, lastResult: `${r.status} (see Results below)` };
}

function renderJobs(jobs: SidebarJob[]): void {
  // Moving the line that holds focus would drop it; it is given back straight away.
  const focused = document.activeElement instanceof HTMLElement && byId('jobs').contains(document.activeElement) ? document.activeElement : null;
  reconcile(byId('jobs'), jobOrder(jobs, chipOf), (j) => j.name, jobViews, createJobView, updateJobView);
  if (focused?.isConnected && document.activeElement !== focused) focused.focus();
  byId('jobs-empty').hidden = jobs.length > 0;
  const attention = jobs.filter((j) => chipOf(j).attention).length;
  const off = jobs.filter((j) => !j.enabled).length;
  const parts = [`${jobs.length} ${jobs.length === 1 ? 'job' : 'jobs'}`];
  if (attention) parts.push(`${attention} ${attention === 1 ? 'needs' : 'need'} attention (listed first)`);
  if (off) parts.push(`${off} off`);
  byId('jobs-count').textContent = jobs.length ? `${parts.join(' · ')}.` : '';
}

/** Marks the job a run is working on (by the name its progress sentence starts with). */
function markRunning(name: string): void {
  if (name === runningJob) return;
  const before = runningJob;
  runningJob = name;
  for (const n of [before, name]) {
    const v = jobViews.get(n);
    if (v) updateJobView(v, v.data);
  }
}

function jobNamed(message: string): string {
  let found = '';
  for (const name of jobViews.keys()) if (message.startsWith(`${name}:`) && name.length > found.length) found = name;
  return found;
}

function showStep(step: RunStep): void {
  const bar = byId('run-bar');
  const percent = byId('run-percent');
  const fraction = step.fraction;
  if (fraction === null || typeof fraction !== 'number' || !Number.isFinite(fraction)) {
    bar.removeAttribute('aria-valuenow');
    bar.classList.add('indeterminate');
    byId('run-fill').style.width = '';
    percent.textContent = '';
  } else {
    const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
    bar.setAttribute('aria-valuenow', String(pct));
    bar.classList.remove('indeterminate');
    byId('run-fill').style.width = `${pct}%`;
    percent.textContent = `${pct}%`;
  }
  byId('run-message').textContent = said(step.message) || 'Working…';
  markRunning(jobNamed(step.message));
}

function renderResults(title: string, results: JobResultSummary[], preview: boolean): void {
  byId('results-title').textContent = title;
  shownResults.clear();
  if (!preview) for (const r of results) if (r.job) shownResults.set(r.job, r);
  // Problems first, as in the job list; the rest in the order they ran.
  const ordered = [...results.filter((r) => resultIsProblem(r)), ...results.filter((r) => !resultIsProblem(r))];
  const items = ordered.map((r) => {
    const problem = resultIsProblem(r);
    return el(
      'li',
      { class: problem ? 'result-item bad' : 'result-item' },
      el('p', {}, el('strong', {}, r.job || 'Sync'), ' ', el('span', { class: problem ? 'pill bad' : 'pill' }, r.status || 'Unknown')),
      el('p', { class: 'counts' }, countsText(r, preview)),
      ...(r.message ? [el('p', { class: 'secondary' }, said(r.message))] : []),
      ...adviceItems(r),
    );
  });
  byId('results-list').replaceChildren(...(items.length ? items : [el('li', { class: 'secondary' }, 'No job ran.')]));
  byId('run-results').hidden = false;
}

/** The way on after a job failed as a whole, by its code; for refused credentials, a button to the connection's secret field. */
function adviceItems(r: JobResultSummary): Node[] {
  const connectionName = state?.jobs.find((j) => j.name === r.job)?.connection ?? '';
  const view = connectionViews.get(connectionName);
  const advice = adviceFor(r.code, view?.data.system ?? '');
  if (!advice) return [];
  const items: Node[] = [el('p', { class: 'advice' }, advice.text)];
  if (advice.action && view) {
    const go = el('button', { type: 'button' }, advice.action, hiddenText(` for ${connectionName}`));
    go.addEventListener('click', () => {
      view.root.scrollIntoView?.({ block: 'nearest' });
      view.input.focus();
    });
    items.push(el('div', { class: 'buttons' }, go));
  }
  return items;
}

/** Runs one job ('' = every enabled job) or previews it, slice by slice, until the server is done. */
async function runJobs(job: string, preview: boolean, trigger: HTMLButtonElement): Promise<void> {
  if (running) return;
  running = true;
  clearNotice();
  syncDisabled();
  const what = job ? `${preview ? 'Preview of' : 'Running'} ${job}` : `${preview ? 'Preview of' : 'Running'} all enabled jobs`;
  byId('run-title').textContent = what;
  markRunning(job);
  byId('run-head').hidden = false;
  byId('run-bar').hidden = false;
  byId('run-results').hidden = true;
  shownResults.clear();
  showStep({ done: false, token: '', fraction: null, message: 'Starting…', results: [] });
  let finished = false;
  try {
    let step = await server.startRun(job, preview);
    showStep(step);
    while (!step.done) {
      if (!step.token) throw { refused: true, message: 'The server did not say how to carry on with the run.' } satisfies Refusal;
      step = await server.continueRun(step.token);
      showStep(step);
    }
    finished = true;
    if (step.results.length === 0 && step.message) {
      // Nothing ran, and the server said why (another sync is still going, say): that is the outcome.
      byId('run-message').textContent = said(step.message);
    } else {
      byId('run-message').textContent = runOutcome(step.results);
      const title = `${preview ? 'Preview' : 'Results'}: ${job || 'all enabled jobs'}${preview ? ' (nothing was sent)' : ''}`;
      renderResults(title, step.results, preview);
    }
  } catch (error) {
    byId('run-message').textContent = 'The run stopped.';
    showError(job ? `${what} stopped` : 'The run stopped', error);
  } finally {
    byId('run-bar').hidden = true;
    byId('run-head').hidden = true;
    markRunning('');
    running = false;
    syncDisabled();
    keepFocus(trigger);
  }
  // The server wrote Last Run / Last Result (and maybe changed the schedule); show them.
  if (finished) await refresh();
}

// ---------------------------------------------------------------------------------------------
// Hourly sync

function renderSchedule(s: SidebarSchedule, requested?: boolean): void {
  const input = byId<HTMLInputElement>('hourly');
  input.checked = s.on;
  byId('hourly-onoff').textContent = s.on ? 'On' : 'Off';
  byId('hourly-state').replaceChildren(...scheduleText(s, requested).map((line) => el('p', {}, line)));
}

async function toggleHourly(): Promise<void> {
  const input = byId<HTMLInputElement>('hourly');
  const want = input.checked;
  byId('hourly-onoff').textContent = want ? 'On' : 'Off';
  byId('hourly-state').replaceChildren(el('p', {}, want ? 'Turning the hourly sync on…' : 'Turning the hourly sync off…'));
  await act(input, want ? 'Could not turn the hourly sync on' : 'Could not turn the hourly sync off', async () => {
    try {
      const schedule = await server.setHourly(want);
      if (state) state.schedule = schedule;
      renderSchedule(schedule, want);
    } catch (error) {
      if (state) renderSchedule(state.schedule);
      else input.checked = !want;
      throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// "Email me when…": who is emailed when a scheduled run ends a job Failed or Held

function renderAlerts(a: AlertSettings, saved = false): void {
  byId<HTMLInputElement>('alert-addresses').value = a.addresses.join(', ');
  const who = a.owner ? `The hourly sync's owner (${a.owner}) is always emailed` : 'The hourly sync\'s owner is always emailed';
  const lines = [saved ? `Saved. ${who}${a.addresses.length ? ', and these addresses too.' : '.'}` : `${who}; add up to 10 more addresses, separated by commas.`];
  if (a.problem) lines.push(`The last alert could not be sent: ${said(a.problem)}`);
  byId('alerts-state').replaceChildren(...lines.map((line) => el('p', {}, line)));
}

async function loadAlerts(): Promise<void> {
  try {
    renderAlerts(await server.alertSettings());
  } catch {
    // An older server, or a passing failure: the field stays empty, the rest of the page works.
  }
}

async function saveAlerts(): Promise<void> {
  const button = byId<HTMLButtonElement>('alerts-save');
  const addresses = byId<HTMLInputElement>('alert-addresses')
    .value.split(/[\s,;]+/)
    .filter((a) => a !== '');
  await act(button, 'Could not save the addresses', async () => renderAlerts(await server.setAlertAddresses(addresses), true));
}

// ---------------------------------------------------------------------------------------------
// Field names

function renderFieldJobs(jobs: SidebarJob[]): void {
  const select = byId<HTMLSelectElement>('fields-job');
  const chosen = select.value;
  select.replaceChildren(
    ...jobs.map((j) => el('option', { value: j.name }, j.target ? `${j.name} (${j.target})` : j.name)),
  );
  if (jobs.some((j) => j.name === chosen)) select.value = chosen;
  else {
    const firstPush = jobs.find((j) => /^push$/i.test(j.action));
    if (firstPush) select.value = firstPush.name;
  }
}

async function showFieldNames(): Promise<void> {
  const button = byId<HTMLButtonElement>('fields-show');
  const job = byId<HTMLSelectElement>('fields-job').value;
  const out = byId('fields-out');
  if (!job) return;
  const target = state?.jobs.find((j) => j.name === job)?.target ?? '';
  out.replaceChildren(el('p', { class: 'secondary' }, `Looking up the field names for ${job}…`));
  await act(button, `Could not list the field names for ${job}`, async () => {
    try {
      const names = await server.fieldNames(job);
      const where = target ? `${job} (${target})` : job;
      if (!names.length) {
        out.replaceChildren(el('p', {}, `Sheets Sync cannot list the field names for ${where}. See the target's field list in iMIS or EveryAction.`));
        return;
      }
      out.replaceChildren(
        el('p', {}, `${names.length} field ${names.length === 1 ? 'name' : 'names'} for ${where}:`),
        el('ul', { class: 'field-names', 'aria-label': `Field names for ${job}` }, ...names.map((n) => el('li', {}, el('code', {}, n)))),
      );
    } catch (error) {
      out.replaceChildren();
      throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Loading

function render(s: SidebarState): void {
  // Without the tabs nothing else can work, and their absence is not a problem to fix by hand:
  // the page offers Set up tabs alone. (A server too old to say counts as set up.)
  const ready = s.tabsSetUp !== false;
  renderProblems(ready ? s.problems : []);
  renderConnections(s.connections);
  renderJobs(s.jobs);
  renderSchedule(s.schedule);
  renderFieldJobs(s.jobs);
  renderForms(s);
  byId('loading').hidden = true;
  byId('setup').hidden = ready;
  byId('content').hidden = !ready;
  syncDisabled();
}

/** Reads the tabs again through the server. A failure is reported, the old view stays. */
async function refresh(): Promise<void> {
  try {
    state = await server.sidebarState();
    render(state);
    // The Mappings dropdowns' live lists cost requests: fetched behind the page, never holding it
    // up; a failure is the server's to log, the dropdowns simply keep what they had.
    if (state.tabsSetUp !== false) void server.refreshFieldPickers().catch(() => undefined);
  } catch (error) {
    showError(state ? 'Could not read the tabs again' : 'Could not load your connections and jobs', error);
    if (!state) byId('loading').textContent = 'Not loaded. Press Refresh to try again.';
  }
}

function start(): void {
  // A control marked aria-disabled (see syncDisabled) does nothing, whatever listens to it.
  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target.closest('button[aria-disabled="true"], input[aria-disabled="true"]') : null;
      if (target) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );
  byId('run-all').addEventListener('click', (event) => void runJobs('', false, event.currentTarget as HTMLButtonElement));
  byId('hourly').addEventListener('change', () => void toggleHourly());
  byId('fields-show').addEventListener('click', () => void showFieldNames());
  byId('alerts-save').addEventListener('click', () => void saveAlerts());
  void loadAlerts();
  byId('set-up').addEventListener('click', () => void setUp());
  const refreshButton = byId<HTMLButtonElement>('refresh');
  refreshButton.addEventListener('click', () => void act(refreshButton, 'Could not read the tabs again', refresh));
  window.addEventListener('error', (event) => showError('The sidebar hit a problem', event.error ?? event.message));
  window.addEventListener('unhandledrejection', (event) => showError('The sidebar hit a problem', event.reason));
  mountForms(refresh);
  syncDisabled();
  void refresh();
}

start();
