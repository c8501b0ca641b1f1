// The typed configuration the engine runs from, after the Connections, Jobs, Mappings and
// Constants tabs have been validated. Every item remembers its sheet row so later messages
// (and the Sync Log) can point the coordinator at the right place.

export const TAB = {
  connections: 'Connections',
  jobs: 'Jobs',
  mappings: 'Mappings',
  constants: 'Constants',
  report: 'Sync Report',
  log: 'Sync Log',
} as const;

/**
 * The hidden tab where the Apps Script side keeps run state too large for a document property.
 * Kept out of TAB, which lists the tabs a coordinator sees and the add-on reads or writes as such.
 */
export const STATE_TAB = 'Sheets Sync State';

/** The dropdown values of the setup tabs, written by `sheets-sync init` (see starter.ts). */
export const LISTS_TAB = 'Lists';

export const HEADERS = {
  connections: ['Name', 'System', 'URL', 'Username', 'Mode', 'Status'],
  jobs: ['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target', 'Match', 'Mode', 'Parameters', 'Schedule', 'Last Run', 'Last Result'],
  mappings: ['Job', 'Column', 'Field', 'Required', 'Transform'],
  constants: ['Job', 'Field', 'Value'],
  report: ['Run', 'Started', 'Finished', 'Trigger', 'Job', 'Status', 'Read', 'Created', 'Updated', 'Unchanged', 'Skipped', 'Failed', 'Requests', 'Message'],
  log: ['Run', 'Time', 'Job', 'Row', 'Key', 'Outcome', 'Field Changes', 'Message'],
} as const;

/** Headers a config tab cannot do without (the others are optional or written by the add-on). */
export const REQUIRED_HEADERS = {
  connections: ['Name', 'System', 'URL', 'Username'],
  jobs: ['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target'],
  mappings: ['Job', 'Column', 'Field'],
  constants: ['Job', 'Field', 'Value'],
} as const;

/** Headers config parsing reads when they are there (a blank or absent one has a default). */
export const OPTIONAL_HEADERS = {
  connections: ['Mode'],
  jobs: ['Match', 'Mode', 'Parameters', 'Schedule'],
  mappings: ['Required', 'Transform'],
  constants: [],
} as const;

export type System = 'iMIS' | 'EveryAction';
export type ImisMode = 'EMS' | '2017';
export type EveryActionMode = 'MyCampaign' | 'VoterFile';

export interface ImisConnection {
  system: 'iMIS';
  name: string;
  /** Base URL with a trailing slash, e.g. "https://myorg.imiscloud.com/" or "https://host/imis/". */
  url: string;
  username: string;
  mode: ImisMode;
  secret: string;
  /** How the coordinator sets the password, for messages (Secrets.howToSet); absent in hand-made configs. */
  secretHowTo?: string;
  /**
   * Set when a password was saved for this connection but its URL, user name or mode has
   * changed since (what changed, e.g. "the URL"): `secret` is then '' and the jobs fail with auth.
   */
  secretChanged?: string;
  row: number;
}

export interface EveryActionConnection {
  system: 'EveryAction';
  name: string;
  /** API base with a trailing slash; blank in the sheet means "https://api.securevan.com/v4/". */
  url: string;
  /** The application name. */
  username: string;
  mode: EveryActionMode;
  secret: string;
  /** How the coordinator sets the API key, for messages (Secrets.howToSet); absent in hand-made configs. */
  secretHowTo?: string;
  /** As for iMIS: the API key was saved for another URL, application name or mode. */
  secretChanged?: string;
  row: number;
}

export type Connection = ImisConnection | EveryActionConnection;

export type Transform = 'trim' | 'lower' | 'upper' | 'number' | 'date' | 'datetime' | 'boolean' | 'phone' | 'email';
export const TRANSFORMS: readonly Transform[] = ['trim', 'lower', 'upper', 'number', 'date', 'datetime', 'boolean', 'phone', 'email'];

export interface Mapping {
  /** Push: header in the source tab. Pull: header to write. */
  column: string;
  /** Push: target field. Pull: IQA display column (alias). */
  field: string;
  required: boolean;
  transform: Transform | null;
  row: number;
}

export interface Constant {
  field: string;
  /** Raw text with tokens still in it; see tokens.ts. */
  value: string;
  row: number;
}

/** A Schedule cell in its one spelling (see schedule.ts): Hourly, Daily, Daily 06:00, Weekly Mon, Weekly Mon 07:00, Manual. */
export type Schedule = 'Hourly' | 'Daily' | 'Manual' | `Daily ${string}` | `Weekly ${string}`;

interface JobBase {
  name: string;
  enabled: boolean;
  connection: Connection;
  schedule: Schedule;
  mappings: Mapping[];
  constants: Constant[];
  row: number;
  /**
   * `Brake=` from Parameters (DESIGN §10.4): a percent of the tab's rows, or null for `Brake=off`;
   * absent means the usual limits.
   */
  brake?: number | null;
}

/** Pull an iMIS IQA query into a tab. */
export interface ImisPullJob extends JobBase {
  action: 'Pull';
  system: 'iMIS';
  /** IQA path, starting with "$/". */
  source: string;
  /** Tab name. */
  target: string;
  /** Key column in the tab (the IQA column aliased ID unless Match names another). */
  key: string;
  mode: 'Replace' | 'Merge';
  /** IQA prompt values in prompt order, tokens not yet replaced. */
  parameters: string[];
}

/** Push a tab's rows into iMIS contacts or a panel. */
export interface ImisPushJob extends JobBase {
  action: 'Push';
  system: 'iMIS';
  /** Source tab. */
  source: string;
  /** "Contact", "Activity" or a panel's business-object name. */
  target: string;
  match: 'Email' | 'Email+Name' | 'ID';
  mode: 'Upsert' | 'Update only' | 'Create only';
  parameters: string[];
}

/** Push a tab's rows into EveryAction people. */
export interface EveryActionPushJob extends JobBase {
  action: 'Push';
  system: 'EveryAction';
  /** Source tab. */
  source: string;
  /** Always "People". */
  target: 'People';
  /** Auto = EveryAction's own match rules (findOrCreate); VANID = only rows that carry a VANID. */
  match: 'Auto' | 'VANID';
  /** Liberal = every row; Conservative = only rows whose OptIn is TRUE. */
  mode: 'Liberal' | 'Conservative';
  parameters: string[];
}

/** Pull EveryAction's changed people into a tab, merged by VANID (nothing is ever removed). */
export interface EveryActionPullJob extends JobBase {
  action: 'Pull';
  system: 'EveryAction';
  /** Always "Changed people". */
  source: 'Changed people';
  /** Tab name. */
  target: string;
  /** Always "VANID". */
  key: string;
  /**
   * Liberal = every changed person; Conservative = only people opted in (email Subscribed or SMS
   * Opt-In), and a row whose person opted out is marked `Opted out on <date>` (DESIGN §10.6).
   */
  mode: 'Liberal' | 'Conservative';
  /** Parameters[0], when given: the first start date (yyyy-mm-dd or ISO date-time), tokens not yet replaced. */
  parameters: string[];
}

export type Job = ImisPullJob | ImisPushJob | EveryActionPushJob | EveryActionPullJob;
export type PullJob = ImisPullJob | EveryActionPullJob;
export type PushJob = ImisPushJob | EveryActionPushJob;

export interface Config {
  connections: Connection[];
  /** Every job whose setup is good, in Jobs-tab order, enabled or not. */
  jobs: Job[];
  /**
   * Turned-off jobs that could not be built because their setup has problems (reported as notes),
   * so naming one to run says it is turned off rather than that no such job exists.
   */
  drafts: { name: string; row: number }[];
}

/**
 * A problem found in a config tab. As a blocking problem it stops the run before any request is
 * sent; as a note (a turned-off job, a connection no enabled job uses) it is only reported.
 */
export interface ConfigProblem {
  tab: string;
  /** Sheet row number (header = 1); null when the problem is the tab itself. */
  row: number | null;
  /** Header of the offending column; null when the problem is the whole row or tab. */
  column: string | null;
  message: string;
}

/**
 * A note as the coordinator reads it: the problem, and why this run went ahead anyway (it is in a
 * turned-off job or a connection no turned-on job uses). "Fix before use (…): Jobs row 5, …".
 */
export function describeNote(p: ConfigProblem): string {
  return `Fix before use (nothing that runs now needs it): ${describeProblem(p)}`;
}

/** "Jobs row 4, Connection: no connection named "iMS"". */
export function describeProblem(p: ConfigProblem): string {
  const where = p.row === null ? p.tab : `${p.tab} row ${p.row}`;
  return p.column === null ? `${where}: ${p.message}` : `${where}, ${p.column}: ${p.message}`;
}
