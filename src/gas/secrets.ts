// Passwords and API keys (DESIGN §2, §10.2): kept in the document's properties, never in a cell,
// and bound to the connection they were saved for. Each is saved together with the connection's
// URL, user name and mode as config parsing reads them, and handed out only while the Connections
// tab still says the same, so an editor who points a connection at another server (or deletes the
// row and adds one with the same name) cannot make the next run, the owner's hourly one included,
// sign in there with it. Saving also keeps room in the property store for the state of runs.

import { z } from 'zod';
import { cellText } from '../core/cells';
import { TARGET_CATALOGUES } from '../connectors/catalogues';
import { parseConfig } from '../core/config/parse';
import { describeProblem, HEADERS, type Connection } from '../core/config/types';
import type { Cell, Grid, SecretBinding, SecretLookup, Secrets } from '../core/ports';
import type { ActionResult } from './sidebar-api';

export const SECRET_PREFIX = 'secret:';

/** Apps Script's limits on document properties (DESIGN §8): 9 KB a value, 500 KB a store. */
const VALUE_LIMIT_BYTES = 9 * 1024;
const STORE_LIMIT_BYTES = 500 * 1024;
/**
 * Saved secrets may not take the store past 500 KB minus this. Run state lives in the same store
 * (the lease, the checkpoints of paused runs, the schedule's owner and heartbeat, each job's
 * watermark), every value at most 8,000 bytes before it moves to the hidden tab (services.ts).
 * 100 KB holds a dozen of those at their largest and hundreds at their usual few hundred bytes,
 * so a run can always save where it stopped; the 400 KB left still holds hundreds of passwords.
 */
const RUN_STATE_RESERVE_BYTES = 100 * 1024;

/** Bytes as the store counts them (UTF-8); Apps Script has no TextEncoder. */
function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * What is stored under `secret:<connection name>`. Version 1 (before secrets were bound) was the
 * bare secret, which no longer passes this schema and so is never handed out.
 */
const SAVED = z.object({ v: z.literal(2), value: z.string().min(1), url: z.string(), username: z.string(), mode: z.string() });
type Saved = z.output<typeof SAVED>;

/** Said of a secret an earlier version saved unbound ("… changed since it was saved"). */
const EARLIER_VERSION = 'the way Sheets Sync stores it';

const EVERYACTION_MODES = new Set(['MyCampaign', 'VoterFile']);

function readSaved(raw: string): Saved | null {
  try {
    const parsed = SAVED.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** "the URL", "the URL and the user name", "the URL, the user name and the mode". */
function andList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The secret stored for a connection, judged against the connection as it is now. */
function lookUp(raw: string | null, now: SecretBinding): SecretLookup {
  if (raw === null) return { state: 'missing' };
  const saved = readSaved(raw);
  if (!saved) return { state: 'changed', what: EARLIER_VERSION };
  const changed: string[] = [];
  if (saved.url !== now.url) changed.push('the URL');
  if (saved.username !== now.username) changed.push(EVERYACTION_MODES.has(now.mode) ? 'the application name' : 'the user name');
  if (saved.mode !== now.mode) changed.push('the mode');
  return changed.length > 0 ? { state: 'changed', what: andList(changed) } : { state: 'set', value: saved.value };
}

function documentProperties(): GoogleAppsScript.Properties.Properties {
  return PropertiesService.getDocumentProperties();
}

export const documentSecrets: Secrets = {
  get: (connection) => lookUp(documentProperties().getProperty(SECRET_PREFIX + connection.name), connection),
  howToSet: () => 'open Extensions → Sheets Sync → Open sidebar and enter it there',
};

/** The binding of a parsed connection: what its secret is saved with and checked against. */
export function bindingOf(c: Connection): SecretBinding {
  return { name: c.name, url: c.url, username: c.username, mode: c.mode };
}

/** "password" or "API key", by the System cell. */
export function secretWord(system: string): string {
  return system.trim().toLowerCase() === 'everyaction' ? 'API key' : 'password';
}

export type ConnectionRow =
  | { found: 'ok'; connection: Connection }
  /** The row (or a second row of the same name) has problems, each described for the coordinator. */
  | { found: 'problems'; system: string; problems: string[] }
  | { found: 'none' };

/** Config parsing needs a Secrets to read connections; this one has none, so it reveals nothing. */
const NO_SECRETS: Secrets = { get: () => ({ state: 'missing' }), howToSet: () => '' };

/**
 * The named connection (case-insensitive, as jobs name it) as config parsing reads it, judged on
 * its own row(s): other rows are blanked, keeping row numbers, so another connection's problem or a
 * job's does not stand in the way, and a second row with the same name still counts.
 */
export function connectionNamed(grid: Grid | null, name: string): ConnectionRow {
  if (!grid || grid.length === 0) return { found: 'none' };
  const header = grid[0]!.map((c) => cellText(c).toLowerCase());
  const nameAt = header.indexOf('name');
  const systemAt = header.indexOf('system');
  const key = name.trim().toLowerCase();
  if (nameAt < 0 || key === '') return { found: 'none' };
  const mine = (row: Cell[], i: number) => i > 0 && cellText(row[nameAt] ?? null).toLowerCase() === key;
  const first = grid.findIndex(mine);
  if (first < 0) return { found: 'none' };
  const own = grid.map((row, i) => (i === 0 || mine(row, i) ? row : []));
  const parsed = parseConfig({ connections: own, jobs: [[...HEADERS.jobs]], mappings: null, constants: null }, NO_SECRETS, TARGET_CATALOGUES);
  // A connection no job uses is only a note to parseConfig; here its problems are the point.
  const problems = [...(parsed.ok ? [] : parsed.problems), ...parsed.notes].map(describeProblem);
  const connection = parsed.ok ? parsed.config.connections.find((c) => c.name.toLowerCase() === key) : undefined;
  if (problems.length === 0 && connection) return { found: 'ok', connection };
  const system = systemAt < 0 ? '' : cellText(grid[first]![systemAt] ?? null);
  return { found: 'problems', system, problems: problems.length > 0 ? problems : [`Connections row ${first + 1}: this connection cannot be used yet`] };
}

/** Whether a secret that would be used is saved for the named connection as the tab has it now. */
export function hasUsableSecret(grid: Grid | null, name: string): boolean {
  const row = connectionNamed(grid, name);
  return row.found === 'ok' && documentSecrets.get(bindingOf(row.connection)).state === 'set';
}

function storeBytes(all: Record<string, string>): number {
  let n = 0;
  for (const [k, v] of Object.entries(all)) n += utf8Bytes(k) + utf8Bytes(String(v));
  return n;
}

const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/**
 * Saves a secret for the named connection, bound to its URL, user name and mode. Refused, with
 * what to do, when the connection is not in the tab, its row has problems, or the store would be
 * left with less than RUN_STATE_RESERVE_BYTES. The secret's own length is checked by the caller.
 */
export function saveSecret(grid: Grid | null, name: string, secret: string): ActionResult {
  const row = connectionNamed(grid, name);
  if (row.found === 'none') return { ok: false, message: `There is no connection named "${name}" in the Connections tab.` };
  if (row.found === 'problems') {
    const what = secretWord(row.system);
    return {
      ok: false,
      message: `Nothing was saved: a ${what} is kept only for a connection Sheets Sync can use, so first fix the Connections tab (${row.problems.join('; ')}), then save the ${what} again.`,
    };
  }
  const connection = row.connection;
  const what = secretWord(connection.system);
  const key = SECRET_PREFIX + connection.name;
  const record = JSON.stringify({ v: 2, value: secret, url: connection.url, username: connection.username, mode: connection.mode } satisfies Saved);
  if (utf8Bytes(record) > VALUE_LIMIT_BYTES) {
    return { ok: false, message: `Nothing was saved: the URL and user name of "${connection.name}" are too long to keep with its ${what}. Shorten them in the Connections tab, then save again.` };
  }
  // Two editors saving at once would each see room for their own secret and together take the
  // run state's: the check and the write go under the document lock, one save at a time.
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(10_000)) {
    return { ok: false, message: `Nothing was saved: Sheets Sync was busy saving in this spreadsheet (another editor, or a sync). Save the ${what} again in a moment.` };
  }
  try {
    return saveUnderLock(grid, connection, key, record, what);
  } finally {
    lock.releaseLock();
  }
}

function saveUnderLock(grid: Grid | null, connection: Connection, key: string, record: string, what: string): ActionResult {
  const props = documentProperties();
  const room = STORE_LIMIT_BYTES - RUN_STATE_RESERVE_BYTES;
  const after = (all: Record<string, string>) => {
    const old = Object.prototype.hasOwnProperty.call(all, key) ? utf8Bytes(key) + utf8Bytes(String(all[key])) : 0;
    return storeBytes(all) - old + utf8Bytes(key) + utf8Bytes(record);
  };
  let all = props.getProperties();
  if (after(all) > room) {
    // Secrets of connections no longer in the tab serve no run: room is made with them first.
    const listed = new Set(listedNames(grid));
    let forgot = false;
    for (const k of Object.keys(all)) {
      if (k.startsWith(SECRET_PREFIX) && k !== key && !listed.has(k.slice(SECRET_PREFIX.length).toLowerCase())) {
        props.deleteProperty(k);
        forgot = true;
      }
    }
    if (forgot) all = props.getProperties();
  }
  const total = after(all);
  if (total > room) {
    return {
      ok: false,
      message:
        `Nothing was saved: this spreadsheet has no room left for another ${what}. Google keeps at most ${kb(STORE_LIMIT_BYTES)} of Sheets Sync's saved passwords and progress per spreadsheet, ` +
        `and ${kb(RUN_STATE_RESERVE_BYTES)} of it is kept free so syncs can save where they stopped; saving this would use ${kb(total)}. ` +
        `Remove connections you no longer use from the Connections tab (their saved passwords are then forgotten), then save again.`,
    };
  }
  try {
    props.setProperty(key, record);
  } catch {
    return { ok: false, message: `Nothing was saved: Google would not store the ${what} for "${connection.name}" in this spreadsheet. Try again in a minute.` };
  }
  return { ok: true, message: `The ${what} for "${connection.name}" is saved. It is kept with this spreadsheet and never shown again.` };
}

/** Names in the Connections tab, lower-cased. */
function listedNames(grid: Grid | null): string[] {
  if (!grid || grid.length === 0) return [];
  const nameAt = grid[0]!.map((c) => cellText(c).toLowerCase()).indexOf('name');
  if (nameAt < 0) return [];
  return grid.slice(1).map((r) => cellText(r[nameAt] ?? null).toLowerCase());
}
