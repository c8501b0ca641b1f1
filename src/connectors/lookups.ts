// What only the systems themselves can list, for the field pickers and `sheets-sync fields`: an
// iMIS panel's or Activity's properties (BoEntityDefinition), an IQA's columns (a one-row query), EveryAction's
// contact custom fields. Looked up once per ConnectorIO (one execution, one CLI command): each
// kind of list costs at most one request per connection, a failure is remembered rather than
// tried again, and each connection keeps one client, so an iMIS sign-in is shared by everything
// in the execution (the connection test included).

import type { Connection, EveryActionConnection, ImisConnection } from '../core/config/types';
import type { ConnectorIO } from '../core/ports';
import { EveryActionClient } from './everyaction/client';
import { customFieldNames } from './everyaction/people';
import { activityFields, readActivityDefinition } from './imis/activity';
import { ImisClient } from './imis/client';
import { queryColumns } from './imis/iqa';
import { fieldsOf, noSuchPanel, readDefinitions } from './imis/panels';

type Memo = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A connection as a saved secret sees it: the same name, address, user and mode is the same connection. */
const keyOf = (c: Connection) => [c.system, c.name, c.url, c.username, c.mode].join('\n');

export class Lookups {
  private readonly clients = new Map<string, ImisClient | EveryActionClient>();
  private readonly memo = new Map<string, Memo>();

  constructor(private readonly io: ConnectorIO) {}

  imis(connection: ImisConnection): ImisClient {
    const key = keyOf(connection);
    let client = this.clients.get(key);
    if (!(client instanceof ImisClient)) this.clients.set(key, (client = new ImisClient(connection, this.io)));
    return client;
  }

  everyAction(connection: EveryActionConnection): EveryActionClient {
    const key = keyOf(connection);
    let client = this.clients.get(key);
    if (!(client instanceof EveryActionClient)) this.clients.set(key, (client = new EveryActionClient(connection, this.io)));
    return client;
  }

  /** `fn`'s answer, or its failure, remembered under `key` for the rest of the execution. */
  private once<T>(key: string, fn: () => T): T {
    let hit = this.memo.get(key);
    if (!hit) {
      try {
        hit = { ok: true, value: fn() };
      } catch (error) {
        hit = { ok: false, error };
      }
      this.memo.set(key, hit);
    }
    if (!hit.ok) throw hit.error;
    return hit.value as T;
  }

  /**
   * A panel's Mappings fields (ID first). Every definition iMIS lists (`?limit=500`, as i-migrate
   * reads them) comes in one request per connection; only a site with more than 500 business
   * objects that hides the panel past the first page costs one more request, for that panel.
   */
  panelFields(connection: ImisConnection, panel: string): string[] {
    const client = this.imis(connection);
    const all = this.once(`panels\n${keyOf(connection)}`, () => readDefinitions(client, [], 'reading the panels (business objects) iMIS defines'));
    const want = panel.trim().toLowerCase();
    let found = all.definitions.find((d) => d.name.toLowerCase() === want);
    if (!found && all.more) {
      const one = this.once(`panel\n${keyOf(connection)}\n${want}`, () => readDefinitions(client, [['EntityTypeName', `eq:${panel.trim()}`]], `reading the definition of ${panel}`));
      found = one.definitions.find((d) => d.name.toLowerCase() === want);
    }
    if (!found) throw noSuchPanel(panel);
    return fieldsOf(found);
  }

  /** Activity's Mappings fields (ID first), from its own definition: the panel list above leaves Activity out. */
  activityFields(connection: ImisConnection): string[] {
    return this.once(`activity\n${keyOf(connection)}`, () => activityFields(readActivityDefinition(this.imis(connection))));
  }

  /** An IQA's display columns, from a one-row query (one request per query and prompt values). */
  queryColumns(connection: ImisConnection, path: string, parameters: string[]): string[] {
    return this.once(`query\n${keyOf(connection)}\n${path}\n${parameters.join('\n')}`, () => queryColumns(this.imis(connection), path, parameters));
  }

  /** EveryAction's contact custom fields by name (one request per connection). */
  customFieldNames(connection: EveryActionConnection): string[] {
    return this.once(`custom\n${keyOf(connection)}`, () => customFieldNames(this.everyAction(connection)));
  }
}

const byIo = new WeakMap<ConnectorIO, Lookups>();

/** The lookups of this execution (this ConnectorIO): the same object every time it is asked. */
export function lookupsFor(io: ConnectorIO): Lookups {
  let found = byIo.get(io);
  if (!found) byIo.set(io, (found = new Lookups(io)));
  return found;
}
