// A fake google.script.run for the sidebar page, installed in the browser before the page's own
// script runs (page.addInitScript(installFakeGoogle, config)). It implements SidebarServer on an
// in-page copy of the state, answers asynchronously like the real thing, refuses arguments the
// real runtime refuses (Dates, functions), records every call, and lets a test make the next call
// of a function fail or hold its answers until released.
//
// This function is serialised into the page: it must not use anything from this module's scope.

import type { AlertSettings, JobResultSummary, Refusal, RunStep, SidebarSchedule, SidebarServer, SidebarState } from '../../src/gas/sidebar-api';

export interface FakeConfig {
  state: SidebarState;
  /** Milliseconds before each answer. */
  delayMs: number;
  /** How many continueRun calls a run takes before it is done. */
  runSteps: number;
}

export interface FakeCall {
  name: string;
  args: unknown[];
}

/** What the test reaches through `window.__fake`. */
export interface FakeControl {
  calls: FakeCall[];
  /** The next call of `name` fails with an Error carrying `message`, as Google's own failures do. */
  failNext(name: string, message: string): void;
  /** The next call of `name` answers this Refusal, as a server function that could not do it does. */
  refuseNext(name: string, refusal: Refusal): void;
  /** The next call of `name` answers this value instead of the fake's own answer. */
  answerNext(name: string, value: unknown): void;
  /** Answers of `name` wait until release(name). */
  hold(name: string): void;
  /** Lets the oldest held call of `name` answer; false when none is waiting. */
  release(name: string): boolean;
  waiting(name: string): number;
  state: SidebarState;
}

export function installFakeGoogle(config: FakeConfig): void {
  type Handler = (value: unknown) => void;
  const state: SidebarState = JSON.parse(JSON.stringify(config.state));
  const calls: FakeCall[] = [];
  const failures = new Map<string, string>();
  const answers = new Map<string, unknown>();
  const held = new Set<string>();
  const queue: { name: string; settle: () => void }[] = [];
  let alerts: string[] = [];
  const runs = new Map<string, { job: string; preview: boolean; step: number }>();
  let tokens = 0;

  const job = (name: string) => state.jobs.find((j) => j.name === name);
  const connection = (name: string) => {
    const c = state.connections.find((x) => x.name === name);
    if (!c) throw new Error(`Exception: There is no connection called "${name}".`);
    return c;
  };
  const resultFor = (name: string, preview: boolean): JobResultSummary => ({
    job: name,
    status: preview ? 'Preview' : 'OK',
    read: 3000,
    created: 2,
    updated: 5,
    unchanged: 2993,
    skipped: 0,
    failed: 0,
    message: preview ? 'Nothing was sent.' : '',
  });

  const impl: SidebarServer = {
    sidebarState: () => state,
    setSecret(name, secret) {
      const c = connection(name);
      if (typeof secret !== 'string' || !secret) return { ok: false, message: 'The password is empty.' };
      c.hasSecret = true;
      // As the real server's config check does: the secret it asked for is there now.
      state.problems = state.problems.filter((p) => !p.includes(`is set for "${name}"`));
      return { ok: true, message: `Saved. Only Sheets Sync can read it.` };
    },
    testConnection(name) {
      const c = connection(name);
      c.status = 'OK 2026-11-23 14:05';
      return { ok: true, message: `Signed in to ${name}.` };
    },
    startRun(name, preview): RunStep {
      const token = `run-${++tokens}`;
      runs.set(token, { job: name, preview, step: 0 });
      return { done: false, token, fraction: null, message: `Starting ${name || 'all enabled jobs'}…`, results: [] };
    },
    continueRun(token): RunStep {
      const run = runs.get(token);
      if (!run) throw new Error('Exception: That run has ended.');
      run.step++;
      const label = run.job || 'Members';
      if (run.step < config.runSteps) {
        return {
          done: false,
          token,
          fraction: run.step / config.runSteps,
          message: `${label}: read ${(run.step * 1000).toLocaleString('en-US')} of 3,000 rows`,
          results: [],
        };
      }
      runs.delete(token);
      const names = run.job ? [run.job] : state.jobs.filter((j) => j.enabled).map((j) => j.name);
      const results = names.map((n) => resultFor(n, run.preview));
      if (!run.preview) {
        for (const n of names) {
          const j = job(n);
          if (j) {
            j.lastRun = '2026-11-23 14:10';
            j.lastResult = 'OK';
          }
        }
      }
      return { done: true, token: '', fraction: 1, message: 'Done.', results };
    },
    setHourly(on): SidebarSchedule {
      const s = state.schedule;
      // Only the trigger's owner can delete it; anyone else gets the schedule back unchanged.
      if (!on && s.on && s.owner && s.owner !== s.me) return s;
      state.schedule = { on, owner: on ? s.owner || s.me : '', me: s.me };
      return state.schedule;
    },
    setUpTabsFromSidebar() {
      if (state.tabsSetUp) return { message: 'The tabs were already set up; dropdowns and checkboxes are in place.' };
      state.tabsSetUp = true;
      state.problems = ['Connections row 2, Name: no password is set for "iMIS" (open Extensions → Sheets Sync → Open sidebar and enter it there)'];
      state.connections = [
        { name: 'iMIS', system: 'iMIS', status: '', hasSecret: false },
        { name: 'EveryAction', system: 'EveryAction', status: '', hasSecret: false },
      ];
      state.jobs = [
        { name: 'Active Members', action: 'Pull', connection: 'iMIS', enabled: true, schedule: 'Hourly', lastRun: '', lastResult: '', target: 'Members' },
        { name: 'Petition Signers', action: 'Push', connection: 'EveryAction', enabled: false, schedule: 'Hourly', lastRun: '', lastResult: '', target: 'People' },
      ];
      return { message: 'Set up: created Connections; created Jobs; created Mappings; created Constants.' };
    },
    // The forms: a few of config parsing's rules, enough to show problems tied to fields.
    connectionForm(name) {
      const c = connection(name);
      const url = c.system === 'iMIS' ? `https://${c.name.toLowerCase().replace(/\W+/g, '')}.example.org/` : '';
      return { original: c.name, name: c.name, system: c.system, url, username: 'sync.user', mode: '', secret: '' };
    },
    jobForm(name) {
      const j = job(name);
      if (!j) throw new Error(`Exception: There is no job called "${name}".`);
      return { original: j.name, name: j.name, enabled: j.enabled, action: j.action, connection: j.connection, source: '', target: j.target, match: '', mode: '', parameters: '', schedule: j.schedule };
    },
    saveConnection(form) {
      const problems: { field: string; message: string }[] = [];
      const taken = state.connections.find((c) => c.name.toLowerCase() === form.name.trim().toLowerCase() && c.name !== form.original);
      if (!form.name.trim()) problems.push({ field: 'name', message: 'give the connection a name' });
      else if (taken) problems.push({ field: 'name', message: `another connection is already called "${taken.name}" (row 2)` });
      if (form.system === 'iMIS' && !/^https:\/\//.test(form.url.trim())) {
        problems.push({ field: 'url', message: form.url.trim() ? `"${form.url.trim()}" is not a web address; it should look like https://myorg.imiscloud.com/` : 'the web address is required, e.g. https://myorg.imiscloud.com/' });
      }
      if (!form.username.trim()) problems.push({ field: 'username', message: form.system === 'EveryAction' ? 'the EveryAction application name is required' : 'the iMIS user name is required' });
      if (problems.length) return { ok: false, problems };
      const before = state.connections.find((c) => c.name === form.original);
      const saved = { name: form.name.trim(), system: form.system, status: before?.status ?? '', hasSecret: before?.hasSecret ?? false };
      if (before) state.connections[state.connections.indexOf(before)] = saved;
      else state.connections.push(saved);
      const row = state.connections.indexOf(saved) + 2;
      const message = `The connection "${saved.name}" is saved in row ${row} of the Connections tab.`;
      if (!form.secret) return { ok: true, message };
      saved.hasSecret = true;
      saved.status = 'OK 2026-11-23 14:05';
      return { ok: true, message, secret: { ok: true, message: 'Saved.' }, test: { ok: true, message: `Signed in to ${saved.name}.` } };
    },
    saveJob(form) {
      const problems: { field: string; message: string }[] = [];
      const taken = state.jobs.find((j) => j.name.toLowerCase() === form.name.trim().toLowerCase() && j.name !== form.original);
      if (!form.name.trim()) problems.push({ field: 'name', message: 'give the job a name' });
      else if (taken) problems.push({ field: 'name', message: `another job is already called "${taken.name}" (row 2)` });
      if (!state.connections.some((c) => c.name === form.connection)) problems.push({ field: 'connection', message: `there is no connection named "${form.connection}"` });
      if (!form.source.trim()) problems.push({ field: 'source', message: 'name the tab whose rows are sent' });
      if (problems.length) return { ok: false, problems };
      const before = state.jobs.find((j) => j.name === form.original);
      const saved = { name: form.name.trim(), action: form.action, connection: form.connection, enabled: form.enabled, schedule: form.schedule, lastRun: before?.lastRun ?? '', lastResult: before?.lastResult ?? '', target: form.target };
      if (before) state.jobs[state.jobs.indexOf(before)] = saved;
      else state.jobs.push(saved);
      return { ok: true, message: `The job "${saved.name}" is saved in row ${state.jobs.indexOf(saved) + 2} of the Jobs tab.` };
    },
    refreshFieldPickers: () => ({ rulesSet: 0 }),
    alertSettings: () => ({ addresses: [...alerts], owner: state.schedule.owner, problem: '' }),
    setAlertAddresses(list) {
      if (!Array.isArray(list)) throw new Error('Exception: Invalid argument');
      const bad = list.find((a) => !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(String(a).trim()));
      if (bad !== undefined) return { refused: true, code: 'data', message: `The addresses were not saved: "${bad}" is not an email address; write plain addresses such as name@example.org, separated by commas.` } as unknown as AlertSettings;
      if (list.length > 10) return { refused: true, code: 'data', message: 'The addresses were not saved: at most 10 addresses can be saved.' } as unknown as AlertSettings;
      alerts = list.map((a) => String(a).trim());
      return { addresses: [...alerts], owner: state.schedule.owner, problem: '' };
    },
    fieldNames(name) {
      const target = job(name)?.target;
      if (target === 'Contact') return ['ID', 'FirstName', 'LastName', 'Email', 'Phone', 'Organization'];
      return [];
    },
  };

  /** What google.script.run accepts: primitives, arrays and plain objects of them. */
  const plain = (v: unknown): boolean => {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return true;
    if (Array.isArray(v)) return v.every(plain);
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v as object).every(plain);
    return false;
  };

  function runner(success?: Handler, failure?: Handler): Record<string, unknown> {
    const r: Record<string, unknown> = {
      withSuccessHandler: (f: Handler) => runner(f, failure),
      withFailureHandler: (f: Handler) => runner(success, f),
      withUserObject: () => r,
    };
    for (const name of Object.keys(impl) as (keyof SidebarServer)[]) {
      r[name] = (...args: unknown[]) => {
        if (!args.every(plain)) throw new TypeError(`Failed due to illegal value in property: ${args.findIndex((a) => !plain(a))}`);
        calls.push({ name, args: JSON.parse(JSON.stringify(args)) });
        const settle = () => {
          const failure_ = failures.get(name);
          if (failure_ !== undefined) {
            failures.delete(name);
            failure?.(new Error(failure_));
            return;
          }
          if (answers.has(name)) {
            const answer = answers.get(name);
            answers.delete(name);
            success?.(JSON.parse(JSON.stringify(answer)));
            return;
          }
          let value: unknown;
          try {
            value = (impl[name] as (...a: unknown[]) => unknown)(...args);
          } catch (error) {
            failure?.(error);
            return;
          }
          success?.(value === undefined ? null : JSON.parse(JSON.stringify(value)));
        };
        setTimeout(() => {
          if (held.has(name)) queue.push({ name, settle });
          else settle();
        }, config.delayMs);
      };
    }
    return r;
  }

  const control: FakeControl = {
    calls,
    failNext: (name, message) => void failures.set(name, message),
    refuseNext: (name, refusal) => void answers.set(name, refusal),
    answerNext: (name, value) => void answers.set(name, value),
    hold: (name) => void held.add(name),
    release(name) {
      const i = queue.findIndex((q) => q.name === name);
      if (i < 0) return false;
      const [item] = queue.splice(i, 1);
      item?.settle();
      return true;
    },
    waiting: (name) => queue.filter((q) => q.name === name).length,
    state,
  };
  const g = globalThis as unknown as { google: unknown; __fake: FakeControl };
  g.google = { script: { run: runner() } };
  g.__fake = control;
}
