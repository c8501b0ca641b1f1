// Pushing rows into an iMIS panel (a custom business object attached to a contact). The panel's
// definition says whether it holds one row per contact (GET → PUT, or POST on 404) or many
// (`~ID|Ordinal`, matched on a key column the job names with `Key=<field>` in Parameters), and
// how each property is typed, so values go out wrapped as iMIS expects. Rows are read whole and
// written back whole, like contacts.

import { cellText } from '../../core/cells';
import type { ImisPushJob } from '../../core/config/types';
import { queryString } from '../../core/http';
import type { HttpResponse } from '../../core/ports';
import type { FieldValue, PushRow, PushTarget, RowOutcome } from '../../core/push/types';
import type { FieldChange } from '../../core/results';
import type { ImisClient, ImisRequest } from './client';
import { partySearch, searchResult } from './contacts';
import { describeFailure, failedRow, ImisError } from './errors';
import { unwrapValue } from './iqa';
import { partyId } from './person';
import type { z } from 'zod';
import { BoDefinition, PagedResult } from './schemas';
import { ENTITY_TYPES, readEntityJson, typed } from './entity';
import { open, outcomes, pending, sendWrites, step, type Pending, type PlannedWrite } from '../batch';

const T = ENTITY_TYPES;

export interface Definition {
  name: string;
  multi: boolean;
  /** Property name (lower-case) → its real name and type. */
  properties: Map<string, { name: string; type: string }>;
}

type Props = Record<string, unknown>;
interface PanelRow {
  ordinal: string;
  props: Props;
}

interface PanelState {
  /** The contact's iMIS ID ('' until a search finds it). */
  id: string;
  /** The panel row iMIS holds now, null when there is none (a write creates it). */
  existing: PanelRow | null;
  write?: PlannedWrite<ImisRequest>;
}
type PanelPending = Pending<PanelState>;

/**
 * A push to a panel iMIS does not have. The coordinator has usually not created it yet, so the
 * message says how, and which properties it needs: the job's mapped fields (`fields`, without
 * those that only find the contact).
 */
export function noSuchPanel(target: string, fields: readonly string[] = []): ImisError {
  const props = fields.filter((f) => !/^(id|email|firstname|lastname)$/i.test(f));
  const create =
    ` If it is new, create it in iMIS first: RiSE > Panel Designer > Add new panel, Panel source "Create a new panel source", with "${target}" as its name` +
    `${props.length > 0 ? ` and these properties (the job's mapped fields): ${props.join(', ')}` : ''}; tick "Allow multiple instances" only if a contact can have several rows. Otherwise check Target in the Jobs tab.`;
  return new ImisError(`iMIS has no panel (business object) named "${target}".${create}`, 404, 'config');
}

const text = (v: unknown) => cellText(v === undefined ? null : (v as FieldValue));

/** The Key=<field> of a multi-instance panel job's Parameters. */
export function panelKey(job: ImisPushJob): string {
  for (const p of job.parameters) {
    const m = /^\s*key\s*[=:]\s*(.+)$/i.exec(p);
    if (m) return m[1]!.trim();
  }
  return '';
}

function entityBody(def: Definition, id: string, ordinal: string, props: Props): unknown {
  const elements = (values: string[]) => ({ $type: T.elements, $values: values });
  const identity = ordinal ? { $type: T.identity, EntityTypeName: def.name, IdentityElements: elements([id, ordinal]) } : { $type: T.identity, EntityTypeName: def.name, IdentityElements: elements(def.multi ? [] : [id]) };
  return {
    $type: T.entity,
    EntityTypeName: def.name,
    PrimaryParentEntityTypeName: 'Party',
    Identity: identity,
    PrimaryParentIdentity: { $type: T.identity, EntityTypeName: 'Party', IdentityElements: elements([id]) },
    Properties: {
      $type: T.properties,
      $values: Object.entries(props).map(([Name, Value]) => (Value === null || Value === undefined ? { $type: T.property, Name } : { $type: T.property, Name, Value })),
    },
  };
}

function readEntity(item: unknown): PanelRow | null {
  const e = readEntityJson(item);
  if (!e) return null;
  const ordinal = text(unwrapValue(e.props.Ordinal)) || (e.identity[1] ?? '');
  return { ordinal, props: e.props };
}

/** A panel's property names, as the sidebar offers them for Mappings (ID first). */
export function panelFields(client: ImisClient, job: ImisPushJob): string[] {
  return fieldsOf(panelTarget(client, job).definition());
}

/** The Mappings fields of a panel: ID (the contact's iMIS ID) first, then its properties but the keys. */
export function fieldsOf(def: Definition): string[] {
  return ['ID', ...[...def.properties.values()].map((p) => p.name).filter((n) => !/^(id|ordinal)$/i.test(n))];
}

/** A BOEntityDefinitionData as this add-on uses it. */
export function definitionOf(found: z.infer<typeof BoDefinition>): Definition {
  return {
    name: found.EntityTypeName,
    multi: /^multi/i.test(found.ObjectTypeName ?? ''),
    properties: new Map(found.Properties.$values.map((p) => [p.Name.toLowerCase(), { name: p.Name, type: p.PropertyTypeName ?? 'String' }])),
  };
}

/**
 * One page (at most 500) of business-object definitions matching `filters`, e.g. every panel
 * of a contact (`PrimaryParentEntityTypeName=eq:Party`) or one by name; `more` when iMIS holds more.
 */
export function readDefinitions(client: ImisClient, filters: [string, string][], what: string): { definitions: Definition[]; more: boolean } {
  const [res] = client.send([{ method: 'GET', path: `api/BoEntityDefinition?${queryString([...filters, ['limit', 500]])}` }]);
  if (res!.status !== 200) throw new ImisError(describeFailure(res!, what, client.base), res!.status);
  const page = PagedResult.safeParse(client.json(res!, what));
  const defs = page.success ? page.data.Items.$values.map((d) => BoDefinition.safeParse(d)).flatMap((d) => (d.success ? [definitionOf(d.data)] : [])) : [];
  return { definitions: defs, more: page.success && page.data.HasNext };
}

export function panelTarget(client: ImisClient, job: ImisPushJob): PushTarget & { definition(): Definition } {
  let def: Definition | null = null;
  let key = '';
  const defined = () => def!;
  const prop = (field: string) => defined().properties.get(field.toLowerCase());

  function loadDefinition(fields: readonly string[]): Definition {
    const { definitions } = readDefinitions(client, [['EntityTypeName', `eq:${job.target}`]], `reading the definition of ${job.target}`);
    const found = definitions.find((d) => d.name.toLowerCase() === job.target.toLowerCase());
    if (!found) throw noSuchPanel(job.target, fields);
    return found;
  }

  const contactId = (row: PushRow) => text(row.payload.ID) || row.knownId.split('|')[0]!;
  const what = (row: PushRow) => `saving row ${row.row} to ${job.target}`;

  /** The contact each row belongs to: its ID column, or a Party search by email. */
  function findContacts(records: PanelPending[]): void {
    step(
      client,
      records,
      (p) => (p.id ? null : partySearch(job, p.row)),
      (p, res) => {
        const l = searchResult(client, res, `matching row ${p.row.row} to a contact`, job);
        if ('party' in l) p.id = partyId(l.party);
        else if ('none' in l) p.outcome = { outcome: 'Skipped', changes: [], message: 'no contact in iMIS has this email, so there is nothing to attach the panel row to' };
        else p.outcome = l.outcome;
      },
    );
  }

  /** The panel rows of a contact (multi-instance), found by listing `?ID=`. */
  function listRequest(id: string): ImisRequest {
    return { method: 'GET', path: `api/${def!.name}?${queryString([['ID', `eq:${id}`], ['limit', 500]])}` };
  }
  function listed(res: HttpResponse, row: PushRow): PanelRow[] | RowOutcome {
    if (res.status !== 200) return failedRow(res, what(row), client.base);
    const page = PagedResult.safeParse(client.json(res, what(row)));
    return page.success ? page.data.Items.$values.map(readEntity).filter((r): r is PanelRow => r !== null) : [];
  }
  const keyOf = (r: PanelRow) => text(unwrapValue(r.props[prop(key)!.name])).toLowerCase();
  const wanted = (row: PushRow) => text(row.payload[key]).toLowerCase();
  /** A multi-instance row found in the contact's list by its key; none found means it is new. */
  function findByKey(p: PanelPending, res: HttpResponse): void {
    const list = listed(res, p.row);
    if (!Array.isArray(list)) p.outcome = list;
    else p.existing = list.find((r) => keyOf(r) === wanted(p.row)) ?? null;
  }

  return {
    idName: 'iMIS ID',
    definition: () => (def ??= loadDefinition([])),

    prepare(fields) {
      def = loadDefinition(fields);
      // Email (and names, for Email+Name) may be mapped only to find the contact the row belongs to.
      const finding = job.match === 'Email+Name' ? ['email', 'firstname', 'lastname'] : job.match === 'Email' ? ['email'] : [];
      const unknown = fields.filter((f) => f.toLowerCase() !== 'id' && !prop(f) && !finding.includes(f.toLowerCase()));
      if (unknown.length > 0) {
        const names = [...defined().properties.values()].map((p) => p.name).filter((n) => !/^(id|ordinal)$/i.test(n));
        throw new ImisError(`${defined().name} has no field ${unknown.map((u) => `"${u}"`).join(', ')}; its fields are ${names.join(', ')}.`, 400, 'config');
      }
      if (defined().multi) {
        key = panelKey(job);
        const named = key ? fields.find((f) => f.toLowerCase() === key.toLowerCase()) : undefined;
        if (!named) {
          throw new ImisError(
            `${defined().name} holds several rows per contact, so the job must say which field tells them apart: put Key=<field> in Parameters (e.g. Key=${[...defined().properties.values()].find((p) => !/^(id|ordinal)$/i.test(p.name))?.name ?? 'Code'}) and map that field.`,
            400,
            'config',
          );
        }
        key = named;
      }
      if (!fields.some((f) => f.toLowerCase() === 'id') && job.match === 'ID') {
        throw new ImisError(`Job "${job.name}" matches on ID, but no mapping sends ID (the contact's iMIS ID).`, 400, 'config');
      }
    },

    check(row) {
      if (!contactId(row) && text(row.payload.Email) === '') return 'no iMIS ID or email to find the contact this panel row belongs to';
      if (defined().multi && wanted(row) === '') return `${key} is empty, and it is how rows of ${defined().name} are told apart`;
      for (const [field, value] of Object.entries(row.payload)) {
        const p = prop(field);
        if (!p || field.toLowerCase() === 'id') continue;
        const t = typed(p.type, value);
        if (!t.ok) return `${p.name}: ${t.reason}`;
      }
      return null;
    },

    matchKey(row) {
      const who = contactId(row) ? `iMIS ID ${contactId(row)}` : text(row.payload.Email).toLowerCase();
      return defined().multi ? [who, key, wanted(row)].filter((part) => part !== '').join(' ') : who;
    },

    push(rows, preview) {
      const d = defined();
      const records = pending<PanelState>(rows, (row) => ({ id: contactId(row), existing: null }));
      findContacts(records);

      // Read what iMIS has now: the contact's row (single) or rows (multi). A saved ID without an
      // Ordinal after its "|" (iMIS's create answer left it out) is found in the list by its key,
      // like an ID with no "|" at all, so the row is never created a second time.
      const ordinalOf = (p: PanelPending) => (p.row.knownId.split('|')[1] ?? '').trim();
      const byOrdinal = (p: PanelPending) => d.multi && ordinalOf(p) !== '';
      const relist: PanelPending[] = [];
      step(
        client,
        records,
        (p) => {
          if (!d.multi) return { method: 'GET', path: `api/${d.name}/${encodeURIComponent(p.id)}` };
          return byOrdinal(p) ? { method: 'GET', path: `api/${d.name}/~${encodeURIComponent(p.id)}|${encodeURIComponent(ordinalOf(p))}` } : listRequest(p.id);
        },
        (p, res) => {
          if (!d.multi || byOrdinal(p)) {
            if (res.status === 200) p.existing = readEntity(client.json(res, what(p.row)));
            else if (res.status === 404 && byOrdinal(p)) relist.push(p);
            else if (res.status !== 404) p.outcome = failedRow(res, what(p.row), client.base);
            return;
          }
          findByKey(p, res);
        },
      );
      // A remembered Ordinal that no longer exists: look the row up by its key instead.
      step(client, relist, (p) => listRequest(p.id), findByKey);

      // A listed row without an Ordinal cannot be addressed for a PUT, and a POST would add a second one.
      for (const p of open(records)) {
        if (d.multi && p.existing && p.existing.ordinal === '') {
          p.outcome = { outcome: 'Failed', id: p.row.knownId, changes: [], message: `iMIS lists this ${d.name} row of iMIS ID ${p.id} without its Ordinal, so it cannot be updated; nothing was sent`, code: 'server' };
        }
      }
      for (const p of open(records)) {
        const { row, id, existing } = p;
        const props: Props = existing ? { ...existing.props } : { ID: id };
        const changes: FieldChange[] = [];
        for (const [field, value] of Object.entries(row.payload)) {
          const pr = prop(field);
          if (!pr || field.toLowerCase() === 'id') continue;
          const before = text(unwrapValue(props[pr.name]));
          const t = typed(pr.type, value);
          if (!t.ok) continue;
          const after = text(unwrapValue(t.value));
          if (existing && before === after) continue;
          changes.push({ field: pr.name, before, after });
          props[pr.name] = t.value;
        }
        const rowId = existing && d.multi ? `${id}|${existing.ordinal}` : id;
        if (existing && changes.length === 0) {
          p.outcome = { outcome: 'Unchanged', id: rowId, changes, message: 'iMIS already has these values' };
          continue;
        }
        if (preview) {
          p.outcome = { outcome: existing ? 'Would update' : 'Would create', id: existing ? rowId : '', changes, message: '' };
          continue;
        }
        const path = existing ? (d.multi ? `api/${d.name}/~${encodeURIComponent(id)}|${encodeURIComponent(existing.ordinal)}` : `api/${d.name}/${encodeURIComponent(id)}`) : `api/${d.name}`;
        p.write = {
          planned: { outcome: existing ? 'Updated' : 'Created', id: rowId, changes, message: '' },
          request: { method: existing ? 'PUT' : 'POST', path, body: entityBody(d, id, existing && d.multi ? existing.ordinal : '', props) },
        };
      }
      const learnOrdinal: PanelPending[] = [];
      sendWrites(
        client,
        records,
        (p, res) => failedRow(res, what(p.row), client.base, p.write!.planned.changes),
        (p, _res, request) => {
          if (!d.multi || request.method !== 'POST') return p.write!.planned;
          learnOrdinal.push(p);
          return null;
        },
      );
      // iMIS answers a multi-instance POST with Ordinal 0 (a known bug): list again to learn the real one.
      step(
        client,
        learnOrdinal,
        (p) => listRequest(p.id),
        (p, res) => {
          const list = listed(res, p.row);
          const found = Array.isArray(list) ? list.find((r) => keyOf(r) === wanted(p.row)) : undefined;
          p.outcome = { ...p.write!.planned, id: found?.ordinal ? `${p.id}|${found.ordinal}` : p.id };
        },
      );
      return outcomes(records);
    },
  };
}
