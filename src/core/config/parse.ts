// Turns the Connections, Jobs, Mappings and Constants tabs into the typed Config, or into a list
// of problems a coordinator can fix: each names the tab, row and column, in plain words. Every
// cell passes through a zod schema at this border; every row is checked even after a bad one, so
// one run shows everything that needs fixing. A problem stops the run only when it touches a job
// that is turned on (DESIGN §10.2): one in a turned-off job or an unused connection is a note, so
// drafting a new job never stops the hourly sync. Secrets are looked up here but a missing one
// only matters for the jobs about to run, which is why selectJobs (not parseConfig) reports it.

import { z } from 'zod';
import type { Cell, Grid, SecretBinding, Secrets } from '../ports';
import { cellBoolean, cellText, duplicateHeaderProblems, headerKey, readTable, type TableRow } from '../cells';
import { scanTokens, type Token } from '../tokens';
import { sheetTabNameProblem } from './tab-names';
import {
  HEADERS,
  LISTS_TAB,
  REQUIRED_HEADERS,
  STATE_TAB,
  TAB,
  TRANSFORMS,
  type Config,
  type ConfigProblem,
  type Connection,
  type Constant,
  type EveryActionPushJob,
  type Job,
  type Mapping,
  type System,
  type Transform,
} from './types';

export interface ConfigTabs {
  connections: Grid | null;
  jobs: Grid | null;
  mappings: Grid | null;
  constants: Grid | null;
}

/**
 * `problems` stop the run (ok is false when there are any); `notes` are problems in turned-off
 * jobs and in connections no turned-on job uses: reported, but they stop nothing.
 */
export type ParseConfigResult = { ok: true; config: Config; notes: ConfigProblem[] } | { ok: false; problems: ConfigProblem[]; notes: ConfigProblem[] };

/** A job a resumed run was to carry on with, but which is no longer a job that is turned on. */
export interface DroppedJob {
  name: string;
  /** True when the job is still there but turned off; false when no job has the name any more. */
  turnedOff: boolean;
}
export type SelectJobsResult = { ok: true; jobs: Job[]; dropped: DroppedJob[] } | { ok: false; problems: ConfigProblem[] };

export const DEFAULT_EVERYACTION_URL = 'https://api.securevan.com/v4/';

/**
 * The EveryAction People fields a push may send (DESIGN §5), besides `CustomField:<id>`.
 * A Mappings or Constants Field of an EveryAction push is one of these, whatever its case.
 */
export const EVERYACTION_PEOPLE_FIELDS = [
  'VANID',
  'FirstName',
  'MiddleName',
  'LastName',
  'Email',
  'Phone',
  'OptIn',
  'AddressLine1',
  'AddressLine2',
  'City',
  'StateOrProvince',
  'ZipOrPostalCode',
  'CountryCode',
  'DateOfBirth',
  'Employer',
  'Occupation',
] as const;

/** A custom field is sent as `CustomField:<id>`; this reads the id back (null for other fields). */
export function customFieldId(field: string): number | null {
  const m = /^CustomField:(\d+)$/.exec(field);
  return m ? Number(m[1]) : null;
}

/** The tabs the add-on writes, reads as configuration or keeps for itself, and why a job may not use them as data. */
const OWN_TABS: readonly { tab: string; why: string }[] = [
  ...Object.values(TAB).map((tab) => ({ tab, why: "is one of the add-on's own tabs" })),
  { tab: STATE_TAB, why: "is the add-on's hidden tab where it keeps the state of its runs" },
  { tab: LISTS_TAB, why: 'holds the dropdown choices of the setup tabs' },
];

// ---------------------------------------------------------------------------------------------
// Cell schemas. Each turns one cell into a typed value or into issues whose message is already
// the text the coordinator reads; the column is added by parseFields.

const anyCell = z.custom<Cell>();
const text = anyCell.transform((cell) => cellText(cell));

function required(message: string) {
  return text.pipe(z.string().min(1, { error: message }));
}

/** "A", "A or B", "A, B or C". */
function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Case, doubled spaces and spaces around "+" do not matter in a dropdown value. */
function choiceKey(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').replace(/\s*\+\s*/g, '+');
}

function canonical<T extends string>(input: unknown, values: readonly T[]): unknown {
  if (typeof input !== 'string') return input;
  return values.find((v) => choiceKey(v) === choiceKey(input)) ?? input;
}

/**
 * One of a fixed list, whatever the case; blank means `fallback` when there is one.
 * `what` names the cell in the message ("Mode for a pull").
 */
function choice<const T extends readonly [string, ...string[]]>(values: T, what: string, fallback?: T[number]) {
  const hint = fallback === undefined ? orList(values) : `${orList(values)} (blank means ${fallback})`;
  return text.pipe(
    z.preprocess(
      (s) => (s === '' && fallback !== undefined ? fallback : canonical(s, values)),
      z.enum(values, {
        error: (issue) => (issue.input === '' ? `choose ${hint}` : `"${String(issue.input)}" is not a valid ${what}; use ${hint}`),
      }),
    ),
  );
}

/** Like choice, but blank means "none" (null). */
function optionalChoice<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return text.pipe(
    z.preprocess(
      (s) => (s === '' ? null : canonical(s, values)),
      z
        .enum(values, { error: (issue) => `"${String(issue.input)}" is not a valid ${what}; use ${orList(values)}, or leave it blank` })
        .nullable(),
    ),
  );
}

/** A checkbox, or text a person would write for one. */
const flag = anyCell.transform((cell, ctx) => {
  const value = cellBoolean(cell);
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${cellText(cell)}" is not TRUE or FALSE; tick the checkbox or write TRUE or FALSE` });
    return z.NEVER;
  }
  return value;
});

// Regex, not the URL class: core also runs in Apps Script, which has none.
const WEB_ADDRESS = /^(https?):\/\/(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::(\d{1,5}))?(\/[^\s?#]*)?$/i;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * A site or API base address, normalised to end with exactly one "/" (any virtual directory
 * such as /imis/ is kept). Plain http:// is allowed only on this computer (the simulators).
 */
function webAddress(example: string, blank?: string) {
  return text.transform((s, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (s === '') return blank ?? fail(`the web address is required, e.g. ${example}`);
    // Checked first, and never quoting the cell: the part before "@" is a password a coordinator
    // pasted, and any message here reaches the log, the terminal and the Sync Report. A base
    // address of iMIS or EveryAction never holds "@" for any other reason.
    if (s.includes('@')) return fail('the address holds a user name and password; remove them (the password goes in the sidebar, never in a cell)');
    if (/[?#]/.test(s)) return fail(`give the site's base address only, without "?" or "#" parts, e.g. ${example}`);
    const m = WEB_ADDRESS.exec(s);
    if (!m) return fail(`"${s}" is not a web address; it should look like ${example}`);
    const scheme = m[1]!.toLowerCase();
    const host = m[2]!.toLowerCase();
    const port = m[3];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return fail(`"${s}" has an impossible port number (${port})`);
    if (scheme === 'http' && !isLoopback(host)) {
      return fail(`the address must start with https:// (plain http:// is only allowed for this computer, e.g. http://localhost:8080/)`);
    }
    const path = (m[4] ?? '').replace(/\/+$/, '') + '/';
    return `${scheme}://${host}${port === undefined ? '' : `:${port}`}${path}`;
  });
}

function tabName(blankMessage: string) {
  return required(blankMessage).transform((s, ctx) => {
    const unusable = sheetTabNameProblem(s);
    if (unusable !== null) {
      ctx.addIssue({ code: 'custom', message: unusable });
      return z.NEVER;
    }
    const own = OWN_TABS.find((t) => t.tab.toLowerCase() === s.toLowerCase());
    if (!own) return s;
    ctx.addIssue({ code: 'custom', message: `"${s}" ${own.why}; use a tab of your own` });
    return z.NEVER;
  });
}

const iqaPath = required('the IQA path is required, e.g. $/Marketing/Lists/Active Members').refine((s) => s === '' || /^\$\/./.test(s), {
  error: 'the IQA path must start with "$/", e.g. $/Marketing/Lists/Active Members',
});

const businessObject = required(`say where the rows go: Contact, or a panel's business object name`).transform((s, ctx) => {
  if (s.toLowerCase() === 'contact') return 'Contact';
  if (/^[A-Za-z0-9_]+$/.test(s)) return s;
  ctx.addIssue({
    code: 'custom',
    message: `"${s}" is not a business object name; use Contact, or a panel's business object name (letters, digits and _ only, e.g. Volunteer_Interests)`,
  });
  return z.NEVER;
});

const PEOPLE_FIELD_LIST = `${EVERYACTION_PEOPLE_FIELDS.join(', ')} or CustomField:<id> (e.g. CustomField:101)`;

/** The canonical People field a coordinator meant ("firstname" → FirstName, "customfield: 0101" → CustomField:101), or why not. */
function peopleField(name: string): { field: string } | { problem: string } {
  const known = EVERYACTION_PEOPLE_FIELDS.find((f) => f.toLowerCase() === name.toLowerCase());
  if (known) return { field: known };
  const custom = /^custom\s*field\s*(?::\s*(.*))?$/i.exec(name);
  if (custom) {
    const id = custom[1] ?? '';
    if (/^\d+$/.test(id) && Number(id) > 0) return { field: `CustomField:${Number(id)}` };
    return { problem: `"${name}" needs the custom field's number after the colon (a whole number above 0), e.g. CustomField:101` };
  }
  const guess = closestName(name, EVERYACTION_PEOPLE_FIELDS);
  return {
    problem: `"${name}" is not an EveryAction People field${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; use ${PEOPLE_FIELD_LIST}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Tokens (DESIGN §4). Which ones make sense depends on where the text is.

type TokenKind = Token['kind'];
const ALL_TOKENS: readonly TokenKind[] = ['today', 'now', 'job', 'sheet', 'row', 'run', 'lastSuccess', 'column', 'clear'];
/** A pull's Parameters are worked out once per run, not per row, and never blank a field. */
const PULL_PARAMETER_TOKENS: readonly TokenKind[] = ['today', 'now', 'job', 'sheet', 'run', 'lastSuccess'];
/** A pull has no other cells of "the same row" to read from. */
const PULL_CONSTANT_TOKENS: readonly TokenKind[] = ALL_TOKENS.filter((t) => t !== 'column');

interface TokenPlace {
  allowed: readonly TokenKind[];
  /** "a pull's Parameters" */
  where: string;
}

const tokenName = (kind: TokenKind) => (kind === 'column' ? '{{column:Header}}' : `{{${kind}}}`);
const tokenText = (t: Token) => (t.kind === 'column' ? `{{column:${t.header}}}` : `{{${t.kind}}}`);

function withTokens(place: TokenPlace) {
  return text.superRefine((s, ctx) => {
    const { tokens, unknown } = scanTokens(s);
    const known = place.allowed.map(tokenName).join(', ');
    for (const u of unknown) ctx.addIssue({ code: 'custom', message: `unknown token ${u}; known tokens are ${known}` });
    const reported = new Set<TokenKind>();
    for (const t of tokens) {
      if (place.allowed.includes(t.kind) || reported.has(t.kind)) continue;
      reported.add(t.kind);
      ctx.addIssue({ code: 'custom', message: `${tokenText(t)} cannot be used in ${place.where}; the tokens that work there are ${known}` });
    }
    if (/\{\{|\}\}/.test(s.replace(/\{\{[^{}]*\}\}/g, ''))) {
      ctx.addIssue({ code: 'custom', message: 'a token is missing a brace; tokens look like {{today}}, with two braces on each side' });
    }
  });
}

function parametersIn(place: TokenPlace) {
  return withTokens(place).transform((s) => (s === '' ? [] : s.split('|').map((p) => p.trim())));
}

/** Tokens that stand for a moment, so they can start an EveryAction pull's window. */
const START_DATE_TOKENS: readonly TokenKind[] = ['today', 'now', 'lastSuccess'];

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** yyyy-mm-dd, an ISO date-time (optionally with seconds, fraction and Z or offset), or {{today}}, {{now}}, {{lastSuccess}}. */
function isStartDate(s: string): boolean {
  if (/^\{\{[^{}]*\}\}$/.test(s)) {
    const [token] = scanTokens(s).tokens;
    return token !== undefined && START_DATE_TOKENS.includes(token.kind);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/i.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((n) => (n === undefined ? 0 : Number(n))) as number[];
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysIn(year!, month!) &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHours! <= 14 &&
    offsetMinutes! <= 59
  );
}

// ---------------------------------------------------------------------------------------------
// Collecting problems.

type Fields = Record<string, z.ZodType>;
type Parsed<S extends Fields> = { [K in keyof S]: z.output<S[K]> | undefined };

/**
 * Whose setup a problem is in, which decides whether it stops the run: a job's (its Jobs row,
 * Mappings and Constants rows) when the job counts as turned on; a connection's (lower-case name)
 * when a job that counts as turned on names it; the workbook's (a missing tab or header, a
 * duplicate name, a row naming no job) always, since no one job can be blamed for it.
 */
type Owner = { job: { enabled: boolean } } | { connection: string } | 'workbook';

/** A problem, and where to ask (once everything is read) whose it is. */
interface Finding {
  problem: ConfigProblem;
  from: { readonly owner: Owner };
}

const WORKBOOK = { owner: 'workbook' } as const;

/** Where problems of one row go. */
class RowCheck {
  private readonly before: number;
  /** Whose row this is: set as soon as the row says (its Name, its Job), read only at the end. */
  owner: Owner = 'workbook';
  constructor(
    readonly tab: string,
    readonly row: number,
    private readonly problems: Finding[],
  ) {
    this.before = problems.length;
  }
  add(column: string | null, message: string): void {
    this.problems.push({ problem: { tab: this.tab, row: this.row, column, message }, from: this });
  }
  get clean(): boolean {
    return this.problems.length === this.before;
  }
  /** Each cell through its schema; a cell that fails is undefined and its issues are problems. */
  fields<S extends Fields>(shape: S, cells: Record<string, Cell>): Parsed<S> {
    const out: Record<string, unknown> = {};
    for (const column of Object.keys(shape)) {
      const result = shape[column]!.safeParse(cells[column] ?? null);
      if (result.success) out[column] = result.data;
      else for (const issue of result.error.issues) this.add(column, issue.message);
    }
    return out as Parsed<S>;
  }
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate a typo most likely meant, compared case-insensitively; undefined when none is close. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const want = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const have = candidate.toLowerCase();
    const distance = levenshtein(want, have);
    const limit = Math.max(1, Math.floor(Math.max(want.length, have.length) / 3));
    const score = distance <= limit ? distance : want.length >= 3 && (have.startsWith(want) || want.startsWith(have)) ? limit + 1 : Infinity;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function noSuch(what: string, name: string, candidates: Iterable<string>): string {
  const guess = closestName(name, candidates);
  return `no ${what} named "${name}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`;
}

/** Rows of a config tab, or nothing (and why) when the tab or its headers are missing or doubled. */
function tableOf<R extends string, O extends string>(
  grid: Grid | null,
  tab: string,
  needed: boolean,
  requiredHeaders: readonly R[],
  optionalHeaders: readonly O[],
  problems: Finding[],
): { rows: TableRow<R | O>[]; usable: boolean } {
  if (grid === null) {
    if (needed) problems.push({ problem: { tab, row: null, column: null, message: `the tab "${tab}" is missing` }, from: WORKBOOK });
    return { rows: [], usable: !needed };
  }
  const table = readTable(grid, tab, requiredHeaders, optionalHeaders);
  problems.push(...table.problems.map((problem) => ({ problem, from: WORKBOOK })));
  // Columns the add-on writes (Status, Last Run, Last Result) are not parsed as setup, but a
  // second copy would still leave it guessing which one to read and write.
  const asked = new Set([...requiredHeaders, ...optionalHeaders].map(headerKey));
  const written = (COLUMN_ORDER[tab] ?? []).filter((h) => !asked.has(headerKey(h)));
  problems.push(...duplicateHeaderProblems(grid[0] ?? [], tab, written).map((problem) => ({ problem, from: WORKBOOK })));
  // Rows are checked only when every required column is there; otherwise each row would
  // repeat the missing-column problem in another form.
  return table.problems.length === 0 ? { rows: table.rows, usable: true } : { rows: [], usable: false };
}

// ---------------------------------------------------------------------------------------------
// Connections

interface ConnectionEntry {
  name: string;
  row: number;
  /** Known when the System cell is good, so jobs using the connection can still be checked. */
  system: System | undefined;
  /** Undefined when the row has problems: jobs using it are checked but not built. */
  connection: Connection | undefined;
}

const connectionFields = {
  Name: required('give the connection a name'),
  System: choice(['iMIS', 'EveryAction'], 'System'),
};

const IMIS_CONNECTION_FIELDS = {
  URL: webAddress('https://myorg.imiscloud.com/'),
  Username: required('the iMIS user name is required'),
  Mode: choice(['EMS', '2017'], 'Mode for iMIS', 'EMS'),
};
const EVERYACTION_CONNECTION_FIELDS = {
  URL: webAddress(DEFAULT_EVERYACTION_URL, DEFAULT_EVERYACTION_URL),
  Username: required('the EveryAction application name is required'),
  Mode: choice(['MyCampaign', 'VoterFile'], 'Mode for EveryAction', 'MyCampaign'),
};
/** With no known System, the address can still be checked for what holds for both systems. */
const ANY_CONNECTION_FIELDS = { URL: webAddress('https://myorg.imiscloud.com/', '') };

/**
 * The saved secret of a connection, looked up with the URL, user name and mode as parsed here, so
 * one saved for other values is never handed out: the connection then has no secret, and says
 * what changed (the engine fails its jobs without sending anything).
 */
function secretFor(binding: SecretBinding, secrets: Secrets): Pick<Connection, 'secret' | 'secretHowTo' | 'secretChanged'> {
  const found = secrets.get(binding);
  const secretHowTo = secrets.howToSet(binding.name);
  if (found.state === 'set') return { secret: found.value, secretHowTo };
  if (found.state === 'changed') return { secret: '', secretHowTo, secretChanged: found.what };
  return { secret: '', secretHowTo };
}

function parseConnections(rows: TableRow<string>[], secrets: Secrets, problems: Finding[]): Map<string, ConnectionEntry> {
  const byName = new Map<string, ConnectionEntry>();
  for (const { row, cells } of rows) {
    const check = new RowCheck(TAB.connections, row, problems);
    const base = check.fields(connectionFields, cells);
    // A row without a name can be used by no job, so, like an unused connection, it blocks nothing.
    check.owner = { connection: base.Name?.toLowerCase() ?? '' };
    let entry: ConnectionEntry | undefined;
    if (base.Name !== undefined) {
      const earlier = byName.get(base.Name.toLowerCase());
      if (earlier) {
        check.owner = 'workbook';
        check.add('Name', `another connection is already called "${earlier.name}" (row ${earlier.row})`);
      } else byName.set(base.Name.toLowerCase(), (entry = { name: base.Name, row, system: base.System, connection: undefined }));
    }
    if (base.System === undefined) {
      check.fields(ANY_CONNECTION_FIELDS, cells);
      continue;
    }
    const imis = base.System === 'iMIS' ? check.fields(IMIS_CONNECTION_FIELDS, cells) : undefined;
    const everyAction = base.System === 'EveryAction' ? check.fields(EVERYACTION_CONNECTION_FIELDS, cells) : undefined;
    if (!entry || !check.clean) continue;
    if (imis) {
      const bound = { name: entry.name, url: imis.URL!, username: imis.Username!, mode: imis.Mode! };
      entry.connection = { ...bound, ...secretFor(bound, secrets), system: 'iMIS', row };
    }
    if (everyAction) {
      const bound = { name: entry.name, url: everyAction.URL!, username: everyAction.Username!, mode: everyAction.Mode! };
      entry.connection = { ...bound, ...secretFor(bound, secrets), system: 'EveryAction', row };
    }
  }
  return byName;
}

// ---------------------------------------------------------------------------------------------
// Jobs

interface JobEntry {
  name: string;
  row: number;
  /** False only when Enabled is clearly FALSE: a job whose Enabled cell is unreadable counts as turned on. */
  enabled: boolean;
  action: 'Pull' | 'Push' | undefined;
  /** Known when the job's connection is known, so its Mappings and Constants can be checked. */
  system: System | undefined;
  /** Undefined when the job's own row has problems. */
  job: Job | undefined;
  /** Set when a mapping or constant of this job has a problem. */
  broken: boolean;
  /** Fields (canonical) of this job's good Mappings and Constants rows. */
  mapped: Set<string>;
  constant: Set<string>;
  /** An EveryAction push's Match and Mode, when those cells are good: they ask for certain fields. */
  everyActionPush?: { match: EveryActionPushJob['match'] | undefined; mode: EveryActionPushJob['mode'] | undefined };
}

const jobFields = {
  Name: required('give the job a name'),
  Enabled: flag,
  Action: choice(['Pull', 'Push'], 'Action'),
  Connection: required('name the connection this job uses (a Name from the Connections tab)'),
  Schedule: choice(['Hourly', 'Daily', 'Manual'], 'Schedule', 'Hourly'),
};

const PARAMETERS = {
  Pull: parametersIn({ allowed: PULL_PARAMETER_TOKENS, where: "a pull's Parameters" }),
  Push: parametersIn({ allowed: ALL_TOKENS, where: "a push's Parameters" }),
  unknown: parametersIn({ allowed: ALL_TOKENS, where: 'Parameters' }),
};

/** The columns a job of each system and action adds to the common ones. */
const IMIS_JOB_FIELDS = {
  Pull: {
    Source: iqaPath,
    Target: tabName('name the tab the query is copied into'),
    Match: text,
    Mode: choice(['Replace', 'Merge'], 'Mode for a pull', 'Replace'),
  },
  Push: {
    Source: tabName('name the tab whose rows are sent'),
    Target: businessObject,
    Match: choice(['Email', 'Email+Name', 'ID'], 'Match for a push to iMIS', 'Email'),
    Mode: choice(['Upsert', 'Update only', 'Create only'], 'Mode for a push to iMIS', 'Upsert'),
  },
} as const;

/** Blank or `value` (any case) gives `value`; anything else is `message`. */
function only<const T extends string>(value: T, message: string) {
  return text.transform((s, ctx): T => {
    if (s === '' || choiceKey(s) === choiceKey(value)) return value;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

const EVERYACTION_JOB_FIELDS = {
  Pull: {
    Source: text.transform((s, ctx): 'Changed people' => {
      if (choiceKey(s) === 'changed people') return 'Changed people';
      ctx.addIssue({ code: 'custom', message: 'EveryAction pulls read "Changed people"' });
      return z.NEVER;
    }),
    Target: tabName('name the tab the changed people are copied into'),
    Match: only('VANID', 'EveryAction pulls are always merged by VANID'),
    Mode: only('Merge', 'an EveryAction pull only holds what changed, so it is always merged (Mode Merge or blank)'),
  },
  Push: {
    Source: tabName('name the tab whose rows are sent'),
    Target: only('People', 'EveryAction jobs push to People'),
    Match: choice(['Auto', 'VANID'], 'Match for an EveryAction push', 'Auto'),
    Mode: choice(['Liberal', 'Conservative'], 'Mode for an EveryAction push', 'Liberal'),
  },
} as const;

/** An EveryAction pull's Parameters: nothing, or the first start date. Blank values are dropped. */
function startDateParameters(parameters: string[], check: RowCheck): string[] | undefined {
  const given = parameters.filter((p) => p !== '');
  if (given.length > 1) {
    check.add('Parameters', 'an EveryAction pull takes one value at most: the first start date, e.g. 2026-10-01');
    return undefined;
  }
  if (given.length === 1 && !isStartDate(given[0]!)) {
    check.add('Parameters', 'the first start date must look like 2026-10-01');
    return undefined;
  }
  return given;
}

/** What every job has, once its common columns are known to be good. */
type JobCommon = Omit<Job, 'action' | 'system' | 'source' | 'target' | 'mode' | 'parameters'> & { parameters: string[] };

interface JobRow {
  action: 'Pull' | 'Push';
  cells: Record<string, Cell>;
  check: RowCheck;
  /** Undefined when a common cell (or the connection) has a problem: check the row, build nothing. */
  common: JobCommon | undefined;
  /** The Parameters cell, when its tokens are good. */
  parameters: string[] | undefined;
  /** Undefined when the job's name is blank or taken. */
  entry: JobEntry | undefined;
}

/**
 * Each system checks and builds its own jobs. A builder that returns undefined has reported
 * why on `check`.
 */
const JOB_BUILDERS: Record<System, (row: JobRow) => Job | undefined> = {
  iMIS({ action, cells, check, common }) {
    if (action === 'Pull') {
      const f = check.fields(IMIS_JOB_FIELDS.Pull, cells);
      if (!common || !check.clean) return undefined;
      return { ...common, action, system: 'iMIS', source: f.Source!, target: f.Target!, key: f.Match || 'ID', mode: f.Mode! };
    }
    const f = check.fields(IMIS_JOB_FIELDS.Push, cells);
    if (!common || !check.clean) return undefined;
    return { ...common, action, system: 'iMIS', source: f.Source!, target: f.Target!, match: f.Match!, mode: f.Mode! };
  },
  EveryAction({ action, cells, check, common, parameters, entry }) {
    if (action === 'Pull') {
      const f = check.fields(EVERYACTION_JOB_FIELDS.Pull, cells);
      const startDate = parameters === undefined ? undefined : startDateParameters(parameters, check);
      if (!common || !startDate || !check.clean) return undefined;
      return { ...common, action, system: 'EveryAction', source: f.Source!, target: f.Target!, key: f.Match!, mode: f.Mode!, parameters: startDate };
    }
    const f = check.fields(EVERYACTION_JOB_FIELDS.Push, cells);
    if (entry) entry.everyActionPush = { match: f.Match, mode: f.Mode };
    if (!common || !check.clean) return undefined;
    return { ...common, action, system: 'EveryAction', source: f.Source!, target: f.Target!, match: f.Match!, mode: f.Mode! };
  },
};

function parseJobs(
  rows: TableRow<string>[],
  connections: Map<string, ConnectionEntry>,
  connectionsKnown: boolean,
  problems: Finding[],
  /** Filled with the (lower-case) connection names that jobs counting as turned on use. */
  usedConnections: Set<string>,
): Map<string, JobEntry> {
  const byName = new Map<string, JobEntry>();
  const connectionNames = [...connections.values()].map((c) => c.name);
  for (const { row, cells } of rows) {
    const check = new RowCheck(TAB.jobs, row, problems);
    const base = check.fields(jobFields, cells);
    const { Parameters: parameters } = check.fields({ Parameters: PARAMETERS[base.Action ?? 'unknown'] }, cells);
    const enabled = base.Enabled !== false;
    if (enabled && base.Connection !== undefined) usedConnections.add(base.Connection.toLowerCase());
    check.owner = { job: { enabled } };

    let entry: JobEntry | undefined;
    if (base.Name !== undefined) {
      const earlier = byName.get(base.Name.toLowerCase());
      if (earlier) {
        check.owner = 'workbook';
        check.add('Name', `another job is already called "${earlier.name}" (row ${earlier.row})`);
      } else {
        entry = { name: base.Name, row, enabled, action: base.Action, system: undefined, job: undefined, broken: false, mapped: new Set(), constant: new Set() };
        byName.set(base.Name.toLowerCase(), entry);
        check.owner = { job: entry };
      }
    }

    let connection: ConnectionEntry | undefined;
    if (base.Connection !== undefined && connectionsKnown) {
      connection = connections.get(base.Connection.toLowerCase());
      if (!connection) check.add('Connection', noSuch('connection', base.Connection, connectionNames));
    }
    // A connection with problems of its own is reported on its row; its jobs are still checked
    // but cannot be built until it is fixed.
    const system = connection?.system;
    if (entry) entry.system = system;
    if (!system || !base.Action) continue;
    const conn = connection?.connection;

    const common: JobCommon | undefined =
      conn && check.clean && entry && base.Enabled !== undefined && base.Schedule !== undefined && parameters !== undefined
        ? { name: entry.name, enabled: base.Enabled, connection: conn, schedule: base.Schedule, mappings: [], constants: [], parameters, row }
        : undefined;
    const job = JOB_BUILDERS[system]({ action: base.Action, cells, check, common, parameters, entry });
    if (entry && job && check.clean) entry.job = job;
  }
  return byName;
}

// ---------------------------------------------------------------------------------------------
// Mappings and Constants

function jobOf(name: string, jobs: Map<string, JobEntry>, jobsKnown: boolean, check: RowCheck): JobEntry | undefined {
  const entry = jobs.get(name.toLowerCase());
  if (!entry && jobsKnown) check.add('Job', noSuch('job', name, [...jobs.values()].map((j) => j.name)));
  return entry;
}

const mappingFields = {
  Job: required('name the job this mapping belongs to'),
  Column: required('the column header is required'),
  Field: required('the field name is required'),
  Required: flag,
  Transform: optionalChoice(TRANSFORMS as unknown as readonly [Transform, ...Transform[]], 'Transform'),
};

/** The Field of a Mappings or Constants row, canonical where the job's target knows its fields. */
function targetField(field: string | undefined, entry: JobEntry | undefined, check: RowCheck): string | undefined {
  if (field === undefined || entry?.system !== 'EveryAction' || entry.action !== 'Push') return field;
  const known = peopleField(field);
  if ('field' in known) return known.field;
  check.add('Field', known.problem);
  return undefined;
}

function parseMappings(rows: TableRow<string>[], jobs: Map<string, JobEntry>, jobsKnown: boolean, problems: Finding[]): void {
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const check = new RowCheck(TAB.mappings, row, problems);
    const f = check.fields(mappingFields, cells);
    const entry = f.Job === undefined ? undefined : jobOf(f.Job, jobs, jobsKnown, check);
    if (entry) check.owner = { job: entry };
    const field = targetField(f.Field, entry, check);
    if (entry && f.Column !== undefined) {
      const key = `${entry.name.toLowerCase()}\n${f.Column.toLowerCase()}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) check.add('Column', `job "${entry.name}" already maps the column "${f.Column}" (row ${earlier})`);
      else seen.set(key, row);
    }
    if (!entry) continue;
    if (!check.clean) {
      entry.broken = true;
      continue;
    }
    const mapping: Mapping = { column: f.Column!, field: field!, required: f.Required!, transform: f.Transform ?? null, row };
    entry.mapped.add(mapping.field.toLowerCase());
    entry.job?.mappings.push(mapping);
  }
}

const CONSTANT_VALUES = {
  Pull: withTokens({ allowed: PULL_CONSTANT_TOKENS, where: "a pull job's Constants (there is no row being sent to read other cells from)" }),
  Push: withTokens({ allowed: ALL_TOKENS, where: 'Constants' }),
};

const constantFields = {
  Job: required('name the job this constant belongs to'),
  Field: required('the field name is required'),
};

function parseConstants(rows: TableRow<string>[], jobs: Map<string, JobEntry>, jobsKnown: boolean, problems: Finding[]): void {
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const check = new RowCheck(TAB.constants, row, problems);
    const f = check.fields(constantFields, cells);
    const entry = f.Job === undefined ? undefined : jobOf(f.Job, jobs, jobsKnown, check);
    if (entry) check.owner = { job: entry };
    // Until the job's Action is known, any known token is given the benefit of the doubt.
    const field = targetField(f.Field, entry, check);
    const { Value: value } = check.fields({ Value: CONSTANT_VALUES[entry?.action ?? 'Push'] }, cells);
    if (entry && field !== undefined) {
      const key = `${entry.name.toLowerCase()}\n${field.toLowerCase()}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) check.add('Field', `job "${entry.name}" already has a constant for the field "${f.Field}" (row ${earlier})`);
      else seen.set(key, row);
    }
    if (!entry) continue;
    if (!check.clean) {
      entry.broken = true;
      continue;
    }
    const constant: Constant = { field: field!, value: value!, row };
    entry.constant.add(constant.field.toLowerCase());
    entry.job?.constants.push(constant);
  }
}

/**
 * What an EveryAction push's Match and Mode ask of its Mappings and Constants. Checked only when
 * those tabs could be read and the job's own rows there are good, so a misspelt field is reported
 * once, where it is.
 */
function checkEveryActionNeeds(jobs: Map<string, JobEntry>, mappingsKnown: boolean, constantsKnown: boolean, problems: Finding[]): void {
  for (const entry of jobs.values()) {
    const needs = entry.everyActionPush;
    if (!needs || entry.broken) continue;
    const check = new RowCheck(TAB.jobs, entry.row, problems);
    check.owner = { job: entry };
    if (needs.match === 'VANID' && mappingsKnown && !entry.mapped.has('vanid')) check.add('Match', 'Match is VANID but no mapping sends VANID');
    const optIn = entry.mapped.has('optin') || entry.constant.has('optin');
    if (needs.mode === 'Conservative' && mappingsKnown && constantsKnown && !optIn) {
      check.add('Mode', 'Conservative sends only opted-in rows, so map a column to OptIn');
    }
    if (!check.clean) entry.broken = true;
  }
}

const TAB_ORDER: readonly string[] = [TAB.connections, TAB.jobs, TAB.mappings, TAB.constants];
const COLUMN_ORDER: Record<string, readonly string[]> = {
  [TAB.connections]: HEADERS.connections,
  [TAB.jobs]: HEADERS.jobs,
  [TAB.mappings]: HEADERS.mappings,
  [TAB.constants]: HEADERS.constants,
};

/** Tab by tab, row by row, left to right: the order a coordinator fixes them in. */
function inReadingOrder(problems: ConfigProblem[]): ConfigProblem[] {
  const column = (p: ConfigProblem) => (p.column === null ? -1 : (COLUMN_ORDER[p.tab]?.indexOf(p.column) ?? -1));
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => TAB_ORDER.indexOf(a.p.tab) - TAB_ORDER.indexOf(b.p.tab) || (a.p.row ?? 0) - (b.p.row ?? 0) || column(a.p) - column(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

// ---------------------------------------------------------------------------------------------

/**
 * The typed configuration of every job whose setup is good, or the problems that stop the run;
 * either way the notes (problems that stop nothing, see Owner). Connections and Jobs must exist;
 * Mappings and Constants may be absent. A missing secret is stored as '' (see selectJobs).
 */
export function parseConfig(tabs: ConfigTabs, secrets: Secrets): ParseConfigResult {
  const found: Finding[] = [];
  const connectionsTab = tableOf(tabs.connections, TAB.connections, true, REQUIRED_HEADERS.connections, ['Mode'], found);
  const jobsTab = tableOf(tabs.jobs, TAB.jobs, true, REQUIRED_HEADERS.jobs, ['Match', 'Mode', 'Parameters', 'Schedule'], found);
  const mappingsTab = tableOf(tabs.mappings, TAB.mappings, false, REQUIRED_HEADERS.mappings, ['Required', 'Transform'], found);
  const constantsTab = tableOf(tabs.constants, TAB.constants, false, REQUIRED_HEADERS.constants, [], found);

  const usedConnections = new Set<string>();
  const connections = parseConnections(connectionsTab.rows, secrets, found);
  const jobs = parseJobs(jobsTab.rows, connections, connectionsTab.usable, found, usedConnections);
  parseMappings(mappingsTab.rows, jobs, jobsTab.usable, found);
  parseConstants(constantsTab.rows, jobs, jobsTab.usable, found);
  checkEveryActionNeeds(jobs, mappingsTab.usable, constantsTab.usable, found);

  const blocks = ({ owner }: Finding['from']) =>
    owner === 'workbook' || ('job' in owner ? owner.job.enabled : usedConnections.has(owner.connection));
  const problems = inReadingOrder(found.filter((f) => blocks(f.from)).map((f) => f.problem));
  const notes = inReadingOrder(found.filter((f) => !blocks(f.from)).map((f) => f.problem));
  if (problems.length > 0) return { ok: false, problems, notes };
  const built = (j: JobEntry) => j.job !== undefined && !j.broken;
  return {
    ok: true,
    notes,
    config: {
      connections: [...connections.values()].flatMap((c) => (c.connection ? [c.connection] : [])),
      jobs: [...jobs.values()].flatMap((j) => (built(j) ? [j.job!] : [])),
      drafts: [...jobs.values()].filter((j) => !j.enabled && !built(j)).map((j) => ({ name: j.name, row: j.row })),
    },
  };
}

export interface SelectOptions {
  /**
   * The names come from the checkpoint of a run that stopped at its time budget: a job turned
   * off, renamed or removed since is left out (see `dropped`) rather than being an error.
   */
  resuming?: boolean;
}

/**
 * The jobs to run, in Jobs-tab order: the named ones (case-insensitive; each must exist and be
 * turned on, unless resuming) or, with no names, every enabled job. Fails when a connection they
 * use has no secret, since nothing could be sent anyway; a secret saved for another URL is the
 * engine's to report, job by job (as `auth`), so it stops only the jobs that use it.
 */
export function selectJobs(config: Config, names: string[], options: SelectOptions = {}): SelectJobsResult {
  const problems: ConfigProblem[] = [];
  const dropped: DroppedJob[] = [];
  const wanted = [...new Map(names.map((n) => n.trim()).filter((n) => n !== '').map((n) => [n.toLowerCase(), n])).values()];
  let selected: Job[];
  if (wanted.length === 0) {
    selected = config.jobs.filter((j) => j.enabled);
  } else {
    const picked = new Set<Job>();
    const named = (name: string) => (j: { name: string }) => j.name.toLowerCase() === name.toLowerCase();
    for (const name of wanted) {
      const job = config.jobs.find(named(name));
      if (job?.enabled) {
        picked.add(job);
        continue;
      }
      // Turned off, whether its setup is good or still a draft with problems (reported as notes).
      const off = job ?? config.drafts.find(named(name));
      if (off && options.resuming) dropped.push({ name: off.name, turnedOff: true });
      else if (off) problems.push({ tab: TAB.jobs, row: off.row, column: 'Enabled', message: `job "${off.name}" is turned off (Enabled is not TRUE)` });
      else if (options.resuming) dropped.push({ name, turnedOff: false });
      else problems.push({ tab: TAB.jobs, row: null, column: null, message: noSuch('job', name, [...config.jobs, ...config.drafts].map((j) => j.name)) });
    }
    selected = config.jobs.filter((j) => picked.has(j));
  }

  const checked = new Set<string>();
  for (const { connection } of selected) {
    if (checked.has(connection.name.toLowerCase())) continue;
    checked.add(connection.name.toLowerCase());
    if (connection.secret !== '' || connection.secretChanged !== undefined) continue;
    const what = connection.system === 'iMIS' ? 'password' : 'API key';
    const how = connection.secretHowTo ?? 'enter it in the add-on sidebar';
    problems.push({ tab: TAB.connections, row: connection.row, column: 'Name', message: `no ${what} is set for "${connection.name}" (${how})` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, jobs: selected, dropped };
}
