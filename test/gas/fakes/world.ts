// A fake Apps Script world around the built add-on (dist/Code.js). Like Apps Script, every
// execution starts fresh: a new node:vm context holding only the fake services, the bundle loaded
// into it, one entry point called. What persists between executions is the document: its tabs,
// document properties, triggers, lock, and the simulators answering UrlFetchApp. Globals Apps
// Script lacks (require, process, setTimeout, fetch, Buffer, URL, …) are traps that record access.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import vm from 'node:vm';
import { EveryActionSimulator, type EveryActionSimulatorOptions } from '../../../src/simulators/everyaction';
import { ImisSimulator, type ImisSimulatorOptions } from '../../../src/simulators/imis';
import { CallLog } from './calls';
import { FakeClock } from './clock';
import type { AuthMode, Execution, LogLine, SheetOp } from './execution';
import { fakeLockService, newLockStates, type LockStates } from './lock';
import { fakeMailApp, newMailState, type MailState } from './mail';
import { fakeConsole, fakeHtmlService, fakeLogger, fakeSession, fakeUtilities } from './misc';
import { fakePropertiesService, newPropertyStores, type PropertyStores } from './properties';
import { isDate, plain, Realm } from './realm';
import { fakeScriptApp, newScriptState, type ScriptState } from './script';
import { fakeSpreadsheetApp, newUiLog, SpreadsheetState, type SheetState, type UiLog } from './spreadsheet';
import { FakeInternet, fakeUrlFetchApp } from './urlfetch';

/** Globals Apps Script's V8 does not provide; touching one at run time is a bug the bundle would ship. */
export const MISSING_GLOBALS = [
  'require', 'process', 'setTimeout', 'setInterval', 'clearTimeout', 'setImmediate', 'queueMicrotask', 'fetch', 'Buffer',
  'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'module', 'global', 'atob', 'btoa', 'structuredClone', 'crypto',
] as const;

/** Where the simulators answer; any host will do (routing is by path), these read well in reports. */
export const URLS = {
  imis: 'https://imis.example.org/imis/',
  imis2017: 'https://imis.example.org/imis2017/',
  everyAction: 'https://api.everyaction.example.org/everyaction/v4/',
  everyActionFiles: 'https://files.everyaction.example.org/everyaction-files/',
} as const;

export const COORDINATOR = 'coordinator@example.org';

export interface WorldOptions {
  /** Project root holding dist/Code.js and dist/*.html; default the current directory. */
  root?: string;
  /** Start time of the fake clock (ms or ISO text); default 2026-11-23T15:00:00Z. */
  start?: number | string;
  /** The spreadsheet's time zone; default America/New_York. */
  timeZone?: string;
  /** The user who runs executions unless told otherwise. */
  user?: string;
  imis?: ImisSimulatorOptions;
  everyAction?: EveryActionSimulatorOptions;
  /** HTML files of the project by name (without .html); default every dist/*.html. */
  files?: Record<string, string>;
}

export interface RunOptions {
  args?: unknown[];
  /** Email of the user running it (the trigger's owner for a trigger); default world.user. */
  as?: string;
  /** Run as a trigger would: no UI. */
  trigger?: boolean;
  authMode?: AuthMode;
  /** The event object, for triggers and simple triggers. */
  event?: Record<string, unknown>;
}

const compiled = new Map<string, { mtimeMs: number; script: vm.Script; code: string }>();

/** The bundle compiled once per file version; each execution runs it in its own context. */
export function loadBundle(path: string): { script: vm.Script; code: string } {
  const mtimeMs = statSync(path).mtimeMs;
  const hit = compiled.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit;
  const code = readFileSync(path, 'utf8');
  const entry = { mtimeMs, code, script: new vm.Script(code, { filename: 'Code.js' }) };
  compiled.set(path, entry);
  return entry;
}

class RunningExecution implements Execution {
  readonly calls = new CallLog();
  readonly sheetOps: SheetOp[] = [];
  readonly logs: LogLine[] = [];
  readonly services = new Set<string>();
  readonly touched: string[] = [];
  /** Services touched while the bundle was loading (before the entry point was called). */
  readonly servicesAtLoad = new Set<string>();
  running = false;
  loading = true;
  result?: unknown;
  error?: unknown;
  realm!: Realm;

  constructor(
    private readonly world: GasWorld,
    readonly id: number,
    readonly fn: string,
    readonly user: string,
    readonly trigger: boolean,
    readonly authMode: AuthMode,
  ) {}

  called(kind: string): void {
    if (this.authMode === 'NONE' && !/^(SpreadsheetApp\.getUi|Ui\.|Menu\.)/.test(kind)) {
      throw this.realm.exception(`You do not have permission to call ${kind}. (AuthMode.NONE: the add-on is not enabled in this document.)`);
    }
    this.calls.add(kind);
    this.world.calls.add(kind);
  }
}

export type ExecutionRecord = RunningExecution;

export class GasWorld {
  readonly root: string;
  readonly clock: FakeClock;
  readonly doc: SpreadsheetState;
  readonly props: PropertyStores = newPropertyStores();
  readonly locks: LockStates = newLockStates();
  readonly script: ScriptState = newScriptState();
  readonly ui: UiLog = newUiLog();
  readonly internet = new FakeInternet();
  /** Every email sent (MailApp), and each user's daily recipient quota. */
  readonly mail: MailState = newMailState();
  readonly files: Map<string, string>;
  readonly imis: ImisSimulator;
  readonly imis2017: ImisSimulator;
  readonly everyAction: EveryActionSimulator;
  /** Every service call of every execution. */
  readonly calls = new CallLog();
  readonly executions: ExecutionRecord[] = [];
  user: string;
  scriptTimeZone = 'America/New_York';
  private readonly bundlePath: string;

  constructor(o: WorldOptions = {}) {
    this.root = resolve(o.root ?? '.');
    this.bundlePath = join(this.root, 'dist/Code.js');
    this.clock = new FakeClock(o.start === undefined ? undefined : typeof o.start === 'number' ? o.start : Date.parse(o.start));
    this.doc = new SpreadsheetState(undefined, undefined, o.timeZone);
    this.user = o.user ?? COORDINATOR;
    const now = () => this.clock.now();
    this.imis = new ImisSimulator({ ...o.imis, mode: 'EMS', now });
    this.imis2017 = new ImisSimulator({ ...o.imis, mode: '2017', now });
    this.everyAction = new EveryActionSimulator({ filesBaseUrl: URLS.everyActionFiles, apiBaseUrl: URLS.everyAction, ...o.everyAction, now });
    this.internet.mount('/imis/', this.imis.handle);
    this.internet.mount('/imis2017/', this.imis2017.handle);
    this.internet.mount('/everyaction/v4/', this.everyAction.handle);
    this.internet.mount('/everyaction-files/', this.everyAction.files);
    this.files = new Map(Object.entries(o.files ?? htmlFilesIn(join(this.root, 'dist'))));
  }

  /** The bundle's source text. */
  get code(): string {
    return loadBundle(this.bundlePath).code;
  }

  /** A tab of the spreadsheet (throws when missing). */
  sheet(name: string): SheetState {
    return this.doc.sheet(name);
  }

  /** Adds a tab holding these cells (typed as a person would have them). */
  addSheet(name: string, grid: readonly (readonly unknown[])[] = []): SheetState {
    return this.doc.add(name, grid);
  }

  /** Runs one entry point in a fresh execution; never throws (see .error). */
  run(fn: string, o: RunOptions = {}): ExecutionRecord {
    // The script's own Date methods (getDate, new Date(y, m, d)) work in the script's time zone,
    // as in Apps Script; node:vm contexts share the process's zone, so it is set for the execution.
    const zone = process.env.TZ;
    process.env.TZ = this.scriptTimeZone;
    try {
      return this.execute(fn, o);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  }

  private execute(fn: string, o: RunOptions): ExecutionRecord {
    const exec = new RunningExecution(this, this.executions.length + 1, fn, o.as ?? this.user, o.trigger === true, o.authMode ?? 'FULL');
    this.executions.push(exec);
    const sandbox: Record<string, unknown> = {};
    for (const name of MISSING_GLOBALS) {
      Object.defineProperty(sandbox, name, {
        get: () => {
          exec.touched.push(name);
          return undefined;
        },
        configurable: true,
      });
    }
    const context = vm.createContext(sandbox, { name: `execution ${exec.id}: ${fn}` });
    exec.realm = new Realm(context, () => this.clock.now());
    const isFunction = (name: string) => typeof sandbox[name] === 'function';
    const services: Record<string, unknown> = {
      SpreadsheetApp: fakeSpreadsheetApp(exec, this.doc, this.ui, isFunction),
      UrlFetchApp: fakeUrlFetchApp(exec, this.internet, this.clock),
      PropertiesService: fakePropertiesService(exec, this.props),
      LockService: fakeLockService(exec, this.locks, this.clock),
      ScriptApp: fakeScriptApp(exec, this.script),
      HtmlService: fakeHtmlService(exec, this.files),
      Session: fakeSession(exec, this.scriptTimeZone, this.root),
      MailApp: fakeMailApp(exec, this.mail, this.clock, this.root),
      Utilities: fakeUtilities(exec, this.clock),
      Logger: fakeLogger(exec),
      console: fakeConsole(exec),
    };
    for (const [name, service] of Object.entries(services)) {
      Object.defineProperty(sandbox, name, {
        get: () => {
          exec.services.add(name);
          if (exec.loading) exec.servicesAtLoad.add(name);
          return service;
        },
        configurable: true,
      });
    }
    try {
      loadBundle(this.bundlePath).script.runInContext(context);
      exec.loading = false;
      const entry = sandbox[fn];
      if (typeof entry !== 'function') throw exec.realm.exception(`Script function not found: ${fn}`);
      exec.running = true;
      const event = o.event ? exec.realm.object(o.event) : undefined;
      exec.result = (entry as (...a: unknown[]) => unknown).apply(undefined, o.args ?? (event ? [event] : []));
    } catch (e) {
      exec.error = e;
    } finally {
      exec.loading = false;
      exec.running = false;
      // Apps Script releases an execution's locks when it ends.
      for (const lock of this.locks.all()) if (lock.holder === exec.id) lock.holder = null;
    }
    return exec;
  }

  /** Runs an entry point as the user from the menu; returns its value, throws its error. */
  call(fn: string, ...args: unknown[]): unknown {
    const exec = this.run(fn, { args });
    if (exec.error !== undefined) throw exec.error;
    return exec.result;
  }

  /** Runs as another editor. */
  callAs(user: string, fn: string, ...args: unknown[]): unknown {
    const exec = this.run(fn, { args, as: user });
    if (exec.error !== undefined) throw exec.error;
    return exec.result;
  }

  /**
   * A google.script.run call from the sidebar: arguments and the return value must be plain
   * data (a Date or function fails the call), and arrive as plain copies.
   */
  sidebar<T = unknown>(fn: string, ...args: unknown[]): T {
    args.forEach((a, i) => wire(a, `argument ${i + 1} of ${fn}`));
    const exec = this.run(fn, { args });
    if (exec.error !== undefined) throw exec.error;
    return wire(exec.result, `the value ${fn} returned`) as T;
  }

  /** Runs a handler as a time-driven trigger of `owner` (default: the owner of a trigger for it). */
  trigger(fn = 'hourlySync', o: { as?: string } = {}): ExecutionRecord {
    const t = this.script.triggers.find((x) => x.handler === fn && (o.as === undefined || x.owner === o.as));
    const owner = o.as ?? t?.owner ?? this.user;
    const at = this.clock.date();
    const event = { authMode: 'FULL', triggerUid: t?.id ?? 'trigger-test', year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, hour: at.getUTCHours() };
    return this.run(fn, { as: owner, trigger: true, event });
  }

  /** Fires every installed time-driven trigger once, as its owner. */
  fireTriggers(): ExecutionRecord[] {
    return this.script.triggers.filter((t) => t.kind === 'CLOCK').map((t) => this.trigger(t.handler, { as: t.owner }));
  }
}

function htmlFilesIn(dir: string): Record<string, string> {
  try {
    return Object.fromEntries(
      readdirSync(dir)
        .filter((f) => f.endsWith('.html'))
        .map((f) => [f.slice(0, -5), readFileSync(join(dir, f), 'utf8')]),
    );
  } catch {
    return {};
  }
}

/** google.script.run's rules for what crosses between page and server. */
function wire(v: unknown, what: string): unknown {
  if (v === undefined || v === null) return null;
  if (isDate(v)) throw new Error(`google.script.run cannot pass a Date (${what})`);
  if (typeof v === 'function') throw new Error(`google.script.run cannot pass a function (${what})`);
  if (Array.isArray(v)) return v.map((x) => wire(x, what));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = wire(x, what);
    return out;
  }
  return plain(v);
}
