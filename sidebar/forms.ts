// The connection and job forms (DESIGN §10.3): "Add connection" / "Edit" and "Add job" / "Edit"
// open a form in place of the rest of the page (so the view has one primary button), with a label
// for every field, dropdowns for the fixed choices (CHOICES of the starter tabs, narrowed to what
// the chosen system and action take), and a password field for Save & test. The server checks the
// form with config parsing's own rules and writes nothing until it is valid; each problem it names
// is tied to its field (aria-invalid, aria-describedby) and focus goes to the first. Closing the
// form gives focus back to the button that opened it. app.ts calls mountForms once and renderForms
// with every state it shows.

import { ACTIONS, CONNECTION_MODES, JOB_CHOICES, SCHEDULES, SYSTEMS } from '../src/core/config/choices';
import { CHOICES } from '../src/core/starter';
import type { ActionResult, ConnectionForm, FormProblem, JobForm, SaveResult, SidebarState } from '../src/gas/sidebar-api';
import { plainError, said } from './errors';
import { secretLabel } from './format';
import { byId, el, hiddenText, type Child } from './dom';
import { server } from './rpc';

/** The forms' few rules of their own look, on top of styles.css. */
const CSS = `
.form-open { margin-top: 8px; }
.form-open .edit-row { display: flex; gap: 8px; align-items: flex-end; margin-top: 8px; }
.form-open .edit-row .field { flex: 1; margin-bottom: 0; min-width: 0; }
.form-view h2 { margin-top: 0; }
.form-view .hint { margin: 2px 0 4px; color: var(--secondary); }
.form-view .field-error { margin: 4px 0 0; color: var(--error); font-weight: bold; }
.form-view [aria-invalid='true'] { border-color: var(--error); border-width: 2px; }
.form-view .check-row { display: flex; gap: 8px; align-items: center; }
.form-view .check-row input { width: 16px; height: 16px; margin: 0; }
.form-saved { margin: 8px 0 0; }
`;

/** The values each dropdown offers: the starter tabs' CHOICES, narrowed to what the engine takes here. */
function narrowed(column: string, allowed: readonly string[] | null): string[] {
  const all = CHOICES[column] ?? [];
  return allowed ? all.filter((v) => allowed.includes(v)) : [...all];
}

const JOB_MODE_COLUMN = { Pull: 'Pull Mode', Push: 'Push Mode' } as const;

type System = (typeof SYSTEMS)[number];
type Action = (typeof ACTIONS)[number];

const asSystem = (s: string): System | undefined => SYSTEMS.find((x) => x.toLowerCase() === s.trim().toLowerCase());
const asAction = (s: string): Action | undefined => ACTIONS.find((x) => x.toLowerCase() === s.trim().toLowerCase());

// ---------------------------------------------------------------------------------------------
// Fields

interface Field {
  key: string;
  wrap: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement;
  label: HTMLLabelElement;
  hint: HTMLElement;
  error: HTMLElement;
}

let nextId = 0;

function field(key: string, label: string, control: HTMLInputElement | HTMLSelectElement, hint = ''): Field {
  const id = `form-${key}-${++nextId}`;
  control.id = id;
  control.name = key;
  const labelNode = el('label', { for: id }, label);
  const hintNode = el('p', { id: `${id}-hint`, class: 'hint' }, hint);
  hintNode.hidden = hint === '';
  const error = el('p', { id: `${id}-error`, class: 'field-error' });
  error.hidden = true;
  const checkbox = control instanceof HTMLInputElement && control.type === 'checkbox';
  const wrap = checkbox ? el('div', { class: 'field' }, el('div', { class: 'check-row' }, control, labelNode), hintNode, error) : el('div', { class: 'field' }, labelNode, hintNode, control, error);
  const f: Field = { key, wrap, control, label: labelNode, hint: hintNode, error };
  describe(f);
  return f;
}

function setHint(f: Field, text: string): void {
  f.hint.textContent = text;
  f.hint.hidden = text === '';
  describe(f);
}

/** aria-describedby: the hint when there is one, then the error when there is one. */
function describe(f: Field): void {
  const ids = [...(f.hint.hidden ? [] : [f.hint.id]), ...(f.error.hidden ? [] : [f.error.id])];
  if (ids.length > 0) f.control.setAttribute('aria-describedby', ids.join(' '));
  else f.control.removeAttribute('aria-describedby');
}

function setError(f: Field, messages: string[]): void {
  f.error.textContent = messages.map(sentence).join(' ');
  f.error.hidden = messages.length === 0;
  if (messages.length > 0) f.control.setAttribute('aria-invalid', 'true');
  else f.control.removeAttribute('aria-invalid');
  describe(f);
}

/** A parser's message ("the web address is required, e.g. …") as a sentence. */
function sentence(text: string): string {
  const t = said(text.trim());
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}

const textInput = (attrs: Record<string, string> = {}) => el('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs });

/** Fills a dropdown, keeping `value` chosen (a value typed by hand that it does not offer is kept as an option, so its problem can be shown). */
function setOptions(select: HTMLSelectElement, values: readonly string[], value: string, blank?: string): void {
  const canonical = values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
  const options = [...(blank !== undefined ? [el('option', { value: '' }, blank)] : []), ...values.map((v) => el('option', { value: v }, v))];
  if (value.trim() !== '' && !canonical) options.push(el('option', { value }, value));
  select.replaceChildren(...options);
  select.value = canonical ?? (value.trim() !== '' ? value : blank !== undefined ? '' : (values[0] ?? ''));
}

// ---------------------------------------------------------------------------------------------
// The form view

interface OpenForm {
  kind: 'connection' | 'job';
  opener: HTMLElement;
  fields: Map<string, Field>;
  summary: HTMLElement;
  submit: HTMLButtonElement;
}

let host: { refresh: () => Promise<void> } | null = null;
let state: SidebarState | null = null;
let open: OpenForm | null = null;

/** Shows the form in place of the rest of the page; the rest comes back on close. */
function showView(form: HTMLElement): void {
  const view = byId('form-view');
  view.replaceChildren(form);
  view.hidden = false;
  byId('content').hidden = true;
}

function close(focusOpener = true): void {
  const view = byId('form-view');
  view.hidden = true;
  view.replaceChildren();
  byId('content').hidden = false;
  const opener = open?.opener;
  open = null;
  if (focusOpener && opener?.isConnected) opener.focus();
}

function buildForm(kind: OpenForm['kind'], title: string, fields: Field[], submitLabel: string, opener: HTMLElement, onSubmit: () => void): OpenForm {
  const summary = el('div', { class: 'error-box', role: 'alert', tabindex: '-1' });
  summary.hidden = true;
  const submit = el('button', { type: 'submit', class: 'action' }, submitLabel);
  const cancel = el('button', { type: 'button' }, 'Cancel');
  const form = el(
    'form',
    { novalidate: '', 'aria-labelledby': 'form-title' },
    el('h2', { id: 'form-title' }, title),
    el('p', { class: 'secondary' }, 'Saving writes one row of the tab; you can still change it there by hand.'),
    summary,
    ...fields.map((f) => f.wrap),
    el('div', { class: 'buttons' }, submit, cancel),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit();
  });
  cancel.addEventListener('click', () => close());
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
  showView(form);
  const opened: OpenForm = { kind, opener, fields: new Map(fields.map((f) => [f.key, f])), summary, submit };
  open = opened;
  fields[0]?.control.focus();
  return opened;
}

/** Ties each problem to its field and focuses the first; problems of the whole form go above the fields. */
function showProblems(form: OpenForm, problems: FormProblem[]): void {
  const general: string[] = [];
  const byField = new Map<string, string[]>();
  for (const p of problems) {
    if (form.fields.has(p.field)) byField.set(p.field, [...(byField.get(p.field) ?? []), p.message]);
    else general.push(p.message);
  }
  for (const f of form.fields.values()) setError(f, byField.get(f.key) ?? []);
  const count = problems.length - general.length;
  const lead = count > 0 ? `Nothing was saved: ${count === 1 ? 'one field needs' : `${count} fields need`} changing.` : 'Nothing was saved.';
  form.summary.replaceChildren(el('p', {}, el('strong', {}, lead)), ...general.map((g) => el('p', {}, sentence(g))));
  form.summary.hidden = false;
  const first = [...form.fields.values()].find((f) => byField.has(f.key));
  (first?.control ?? form.summary).focus();
}

/** A failed call (Google's failure or a refusal): said above the fields, nothing else changes. */
function showFailure(form: OpenForm, doing: string, error: unknown): void {
  form.summary.replaceChildren(el('p', {}, el('strong', {}, 'Problem: '), `${doing}: ${plainError(error)}`));
  form.summary.hidden = false;
  form.summary.focus();
}

async function submitting(form: OpenForm, doing: string, save: () => Promise<SaveResult>, saved: (r: Extract<SaveResult, { ok: true }>) => Node[]): Promise<void> {
  form.submit.disabled = true;
  try {
    const result = await save();
    if (!result.ok) {
      showProblems(form, result.problems);
      return;
    }
    const opener = form.opener;
    const kind = form.kind;
    close(false);
    await host?.refresh();
    const where = byId(kind === 'connection' ? 'connection-form-status' : 'job-form-status');
    where.replaceChildren(...saved(result));
    // The opener may have been rebuilt by the refresh (an Edit button of a renamed row): fall back to Add.
    (opener.isConnected ? opener : byId(kind === 'connection' ? 'connection-add' : 'job-add')).focus();
  } catch (error) {
    if (open === form) showFailure(form, doing, error);
  } finally {
    form.submit.disabled = false;
  }
}

function resultLine(r: ActionResult, ok: string, bad: string): Node {
  return el('p', { class: r.ok ? 'result' : 'result bad' }, el('strong', {}, r.ok ? ok : bad), said(r.message));
}

// ---------------------------------------------------------------------------------------------
// Connection form

function openConnectionForm(values: ConnectionForm, opener: HTMLElement): void {
  const name = field('name', 'Name', textInput(), 'How jobs refer to this connection.');
  const system = field('system', 'System', el('select'));
  const url = field('url', 'URL', textInput({ inputmode: 'url' }));
  const username = field('username', 'User name', textInput());
  const mode = field('mode', 'Mode', el('select'));
  const secret = field('secret', 'Password', el('input', { type: 'password', autocomplete: 'new-password', spellcheck: 'false', autocapitalize: 'off' }));
  (name.control as HTMLInputElement).value = values.name;
  (url.control as HTMLInputElement).value = values.url;
  (username.control as HTMLInputElement).value = values.username;
  setOptions(system.control as HTMLSelectElement, narrowed('System', SYSTEMS), values.system || SYSTEMS[0]);

  const editing = values.original !== '';
  const form = buildForm('connection', editing ? `Edit connection ${values.original}` : 'Add connection', [name, system, url, username, mode, secret], 'Save', opener, () => void save());

  const fit = (modeValue: string) => {
    const sys = asSystem((system.control as HTMLSelectElement).value);
    // Blank means the engine's default: the first of the system's list.
    setOptions(mode.control as HTMLSelectElement, narrowed('Connection Mode', sys ? CONNECTION_MODES[sys] : null), modeValue || (sys ? CONNECTION_MODES[sys][0] : ''));
    const everyAction = sys === 'EveryAction';
    username.label.textContent = everyAction ? 'Application name' : 'User name';
    setHint(url, everyAction ? 'Blank means https://api.securevan.com/v4/ (most organisations outside the US use https://intlapi.securevan.com/v4/).' : "The address staff log in at, starting https://, e.g. https://myorg.imiscloud.com/.");
    const what = secretLabel(sys ?? '');
    secret.label.textContent = what;
    setHint(secret, 'Optional. Typed here, it is saved with this connection (never shown again) and the connection is tested. Left blank, whatever is saved is kept.');
    submitLabel();
  };
  const submitLabel = () => {
    form.submit.textContent = (secret.control as HTMLInputElement).value === '' ? 'Save' : 'Save & test';
  };
  system.control.addEventListener('change', () => fit(''));
  secret.control.addEventListener('input', submitLabel);
  fit(values.mode);

  const save = () => {
    const input: ConnectionForm = {
      original: values.original,
      name: (name.control as HTMLInputElement).value,
      system: system.control.value,
      url: (url.control as HTMLInputElement).value,
      username: (username.control as HTMLInputElement).value,
      mode: mode.control.value,
      secret: (secret.control as HTMLInputElement).value,
    };
    return submitting(form, 'Could not save the connection', () => server.saveConnection(input), (r) => [
      el('p', { class: 'result' }, el('strong', {}, 'Saved: '), said(r.message)),
      ...(r.secret && !r.secret.ok ? [resultLine(r.secret, '', 'Not saved: ')] : []),
      ...(r.test ? [resultLine(r.test, 'Test OK: ', 'Test failed: ')] : []),
    ]);
  };
}

// ---------------------------------------------------------------------------------------------
// Job form

function openJobForm(values: JobForm, opener: HTMLElement): void {
  const name = field('name', 'Name', textInput());
  const enabledBox = el('input', { type: 'checkbox' });
  const enabled = field('enabled', 'Enabled', enabledBox, 'Only enabled jobs run.');
  const action = field('action', 'Action', el('select'));
  const connection = field('connection', 'Connection', el('select'));
  const source = field('source', 'Source', textInput());
  const target = field('target', 'Target', textInput());
  const match = field('match', 'Match', el('select'));
  const matchText = textInput();
  const mode = field('mode', 'Mode', el('select'));
  const parameters = field('parameters', 'Parameters', textInput(), 'Optional. Values separated by |; tokens such as {{today}} are allowed.');
  const schedule = field('schedule', 'Schedule', el('select'));
  (name.control as HTMLInputElement).value = values.name;
  enabledBox.checked = values.enabled;
  (source.control as HTMLInputElement).value = values.source;
  (target.control as HTMLInputElement).value = values.target;
  (parameters.control as HTMLInputElement).value = values.parameters;
  setOptions(action.control as HTMLSelectElement, narrowed('Action', ACTIONS), values.action || ACTIONS[0]);
  setOptions(schedule.control as HTMLSelectElement, narrowed('Schedule', SCHEDULES), values.schedule || SCHEDULES[0]);
  const names = (state?.connections ?? []).map((c) => c.name);
  setOptions(connection.control as HTMLSelectElement, names, values.connection || (names[0] ?? ''), names.length === 0 ? 'No connections yet' : undefined);

  const editing = values.original !== '';
  const form = buildForm('job', editing ? `Edit job ${values.original}` : 'Add job', [name, enabled, action, connection, source, target, match, mode, parameters, schedule], 'Save', opener, () => void save());

  /** An iMIS pull's Match names its key column (free text); everywhere else it is a fixed choice. */
  let matchIsText = false;
  const fit = (matchValue: string, modeValue: string) => {
    const act = asAction(action.control.value);
    const sys = asSystem(state?.connections.find((c) => c.name === connection.control.value)?.system ?? '');
    const choices = act && sys ? JOB_CHOICES[sys][act] : null;
    const textMatch = act === 'Pull' && sys === 'iMIS';
    if (textMatch !== matchIsText) {
      const keep = matchIsText ? matchText : match.control;
      const put = matchIsText ? match.control : matchText;
      put.id = keep.id;
      put.setAttribute('name', 'match');
      keep.replaceWith(put);
      match.control = put as HTMLInputElement | HTMLSelectElement;
      matchIsText = textMatch;
      describe(match);
    }
    if (textMatch) {
      matchText.value = matchValue;
      setHint(match, 'The column that identifies a row; blank means the query column aliased ID.');
    } else {
      setOptions(match.control as HTMLSelectElement, narrowed('Match', choices ? choices.Match : null), matchValue || (choices?.Match?.[0] ?? ''));
      setHint(match, '');
    }
    setOptions(mode.control as HTMLSelectElement, narrowed(act ? JOB_MODE_COLUMN[act] : 'Push Mode', choices ? choices.Mode : null), modeValue || (choices?.Mode[0] ?? ''));
    const pull = act === 'Pull';
    setHint(source, pull ? (sys === 'EveryAction' ? 'Changed people.' : 'The IQA path, starting $/, e.g. $/Marketing/Lists/Active Members.') : 'The tab whose rows are sent.');
    setHint(target, pull ? 'The tab the rows are copied into (made if missing).' : sys === 'EveryAction' ? 'People.' : "Contact, Activity, or a panel's business object name.");
  };
  const refit = () => fit('', '');
  action.control.addEventListener('change', refit);
  connection.control.addEventListener('change', refit);
  fit(values.match, values.mode);

  const save = () => {
    const input: JobForm = {
      original: values.original,
      name: (name.control as HTMLInputElement).value,
      enabled: enabledBox.checked,
      action: action.control.value,
      connection: connection.control.value,
      source: (source.control as HTMLInputElement).value,
      target: (target.control as HTMLInputElement).value,
      match: match.control.value,
      mode: mode.control.value,
      parameters: (parameters.control as HTMLInputElement).value,
      schedule: schedule.control.value,
    };
    return submitting(form, 'Could not save the job', () => server.saveJob(input), (r) => [el('p', { class: 'result' }, el('strong', {}, 'Saved: '), said(r.message))]);
  };
}

// ---------------------------------------------------------------------------------------------
// Openers: Add, and Edit with a choice of row

const EMPTY_CONNECTION: ConnectionForm = { original: '', name: '', system: '', url: '', username: '', mode: '', secret: '' };
const EMPTY_JOB: JobForm = { original: '', name: '', enabled: false, action: '', connection: '', source: '', target: '', match: '', mode: '', parameters: '', schedule: '' };

interface Opener {
  add: HTMLButtonElement;
  row: HTMLElement;
  select: HTMLSelectElement;
  edit: HTMLButtonElement;
}

function buildOpener(kind: OpenForm['kind']): Opener {
  const noun = kind === 'connection' ? 'connection' : 'job';
  const add = el('button', { type: 'button', id: `${noun}-add` }, `Add ${noun}`);
  const select = el('select', { id: `${noun}-edit-choice` });
  const edit = el('button', { type: 'button', id: `${noun}-edit` }, 'Edit', hiddenText(` the chosen ${noun}`));
  const row = el('div', { class: 'edit-row' }, el('div', { class: 'field' }, el('label', { for: select.id }, kind === 'connection' ? 'Connection to edit' : 'Job to edit'), select), edit);
  const status = el('div', { id: `${noun}-form-status`, class: 'form-saved', role: 'status' });
  byId(`${noun}-form-open`).replaceChildren(el('div', { class: 'buttons' }, add), row, status);
  add.addEventListener('click', () => {
    status.replaceChildren();
    if (kind === 'connection') openConnectionForm(EMPTY_CONNECTION, add);
    else openJobForm(EMPTY_JOB, add);
  });
  edit.addEventListener('click', () => void startEdit(kind, select.value, edit, status));
  return { add, row, select, edit };
}

async function startEdit(kind: OpenForm['kind'], name: string, edit: HTMLButtonElement, status: HTMLElement): Promise<void> {
  if (!name) return;
  status.replaceChildren();
  edit.disabled = true;
  try {
    // The row as the tab has it now: it may have been edited by hand since the page last looked.
    if (kind === 'connection') openConnectionForm(await server.connectionForm(name), edit);
    else openJobForm(await server.jobForm(name), edit);
  } catch (error) {
    status.replaceChildren(el('p', { class: 'error-box' }, el('strong', {}, 'Problem: '), `Could not open ${name}: ${plainError(error)}`));
  } finally {
    edit.disabled = false;
  }
}

let openers: { connection: Opener; job: Opener } | null = null;

/** Once, at start: the Add and Edit controls, and the forms' look. */
export function mountForms(refresh: () => Promise<void>): void {
  host = { refresh };
  document.head.append(el('style', {}, CSS));
  openers = { connection: buildOpener('connection'), job: buildOpener('job') };
}

/** With every state the page shows: the rows Edit can choose from; an open form keeps the view. */
export function renderForms(s: SidebarState): void {
  state = s;
  if (!openers) return;
  const fill = (o: Opener, names: string[]) => {
    const chosen = o.select.value;
    o.select.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
    if (names.includes(chosen)) o.select.value = chosen;
    o.row.hidden = names.length === 0;
  };
  fill(openers.connection, s.connections.map((c) => c.name));
  fill(openers.job, s.jobs.map((j) => j.name));
  if (open) byId('content').hidden = true;
}
