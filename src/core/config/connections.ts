// The Connections tab: one row per iMIS site or EveryAction account. The saved secret is looked
// up here, bound to the connection as parsed, so one saved for another address is never used.

import type { SecretBinding, Secrets } from '../ports';
import type { TableRow } from '../cells';
import { claimName, RowCheck, type Finding } from './findings';
import { CONNECTION_MODES, SYSTEMS } from './choices';
import { choice, required, webAddress } from './schemas';
import { TAB, type Connection, type System } from './types';

export const DEFAULT_EVERYACTION_URL = 'https://api.securevan.com/v4/';

export interface ConnectionEntry {
  name: string;
  row: number;
  /** Known when the System cell is good, so jobs using the connection can still be checked. */
  system: System | undefined;
  /** Undefined when the row has problems: jobs using it are checked but not built. */
  connection: Connection | undefined;
}

const connectionFields = {
  Name: required('give the connection a name'),
  System: choice(SYSTEMS, 'System'),
};

const IMIS_CONNECTION_FIELDS = {
  URL: webAddress('https://myorg.imiscloud.com/'),
  Username: required('the iMIS user name is required'),
  Mode: choice(CONNECTION_MODES.iMIS, 'Mode for iMIS', CONNECTION_MODES.iMIS[0]),
};
const EVERYACTION_CONNECTION_FIELDS = {
  URL: webAddress(DEFAULT_EVERYACTION_URL, DEFAULT_EVERYACTION_URL),
  Username: required('the EveryAction application name is required'),
  Mode: choice(CONNECTION_MODES.EveryAction, 'Mode for EveryAction', CONNECTION_MODES.EveryAction[0]),
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

/** Every row, by lower-case name; a name used twice is reported on the later row. */
export function parseConnections(rows: TableRow<string>[], secrets: Secrets, problems: Finding[]): Map<string, ConnectionEntry> {
  const byName = new Map<string, ConnectionEntry>();
  for (const { row, cells } of rows) {
    const check = new RowCheck(TAB.connections, row, problems);
    const base = check.fields(connectionFields, cells);
    // A row without a name can be used by no job, so, like an unused connection, it blocks nothing.
    check.owner = { connection: base.Name?.toLowerCase() ?? '' };
    const entry = claimName(byName, base.Name, 'connection', check, (name) => ({ name, row, system: base.System, connection: undefined }));
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
