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
import { applyTransform } from '../../core/transforms';
import type { ImisClient, ImisRequest } from './client';
import { partySearch, searchResult } from './contacts';
import { describeFailure, failedRow, ImisError } from './errors';
import { unwrapValue } from './iqa';
import { partyId } from './person';
import type { z } from 'zod';
import { BoDefinition, GenericEntity, PagedResult } from './schemas';

const T = {
  entity: 'Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts',
  identity: 'Asi.Soa.Core.DataContracts.IdentityData, Asi.Contracts',
  elements: 'System.Collections.ObjectModel.Collection`1[[System.String, mscorlib]], mscorlib',
  properties: 'Asi.Soa.Core.DataContracts.GenericPropertyDataCollection, Asi.Contracts',
  property: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts',
};

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

export const noSuchPanel = (target: string) => new ImisError(`iMIS has no panel (business object) named "${target}". Check Target in the Jobs tab.`, 404, 'config');

const text = (v: unknown) => cellText(v === undefined ? null : (v as FieldValue));

/** The Key=<field> of a multi-instance panel job's Parameters. */
export function panelKey(job: ImisPushJob): string {
  for (const p of job.parameters) {
    const m = /^\s*key\s*[=:]\s*(.+)$/i.exec(p);
    if (m) return m[1]!.trim();
  }
  return '';
}

/** A value as the property's type wants it, or why it cannot be. */
function typed(type: string, value: FieldValue): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (value === null) return { ok: true, value: null };
  switch (type.toLowerCase()) {
    case 'integer': {
      const n = applyTransform('number', value);
      if (!n.ok || !Number.isInteger(n.value)) return { ok: false, reason: `"${text(value)}" is not a whole number` };
      return { ok: true, value: { $type: 'System.Int32', $value: n.value } };
    }
    case 'decimal':
    case 'monetary':
    case 'double': {
      const n = applyTransform('number', value);
      return n.ok ? { ok: true, value: { $type: 'System.Decimal', $value: n.value } } : { ok: false, reason: n.reason };
    }
    case 'boolean': {
      const b = applyTransform('boolean', value);
      return b.ok ? { ok: true, value: { $type: 'System.Boolean', $value: b.value } } : { ok: false, reason: b.reason };
    }
    case 'date':
    case 'datetime': {
      const d = applyTransform('datetime', value);
      return d.ok ? { ok: true, value: d.value } : { ok: false, reason: d.reason };
    }
    default:
      return { ok: true, value: text(value) };
  }
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
  const e = GenericEntity.safeParse(item);
  if (!e.success) return null;
  const props: Props = {};
  for (const p of e.data.Properties.$values) props[p.Name] = p.Value;
  const elements = e.data.Identity?.IdentityElements?.$values ?? [];
  const ordinal = text(unwrapValue(props.Ordinal)) || String(elements[1] ?? '');
  return { ordinal, props };
}

/** A panel's property names, as the sidebar offers them for Mappings (ID first). */
export function panelFields(client: ImisClient, job: ImisPushJob): string[] {
  return fieldsOf(panelTarget(client, job).definition());
}

/** The Mappings fields of a panel: ID (the contact's iMIS ID) first, then its properties but the keys. */
export function fieldsOf(def: Definition): string[] {
  return ['ID', ...[...def.properties.values()].map((p) => p.name).filter((n) => !/^(id|ordinal)$/i.test(n))];
}

function definitionOf(found: z.infer<typeof BoDefinition>): Definition {
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

  function loadDefinition(): Definition {
    const { definitions } = readDefinitions(client, [['EntityTypeName', `eq:${job.target}`]], `reading the definition of ${job.target}`);
    const found = definitions.find((d) => d.name.toLowerCase() === job.target.toLowerCase());
    if (!found) throw noSuchPanel(job.target);
    return found;
  }

  const contactId = (row: PushRow) => text(row.payload.ID) || row.knownId.split('|')[0]!;
  const what = (row: PushRow) => `saving row ${row.row} to ${job.target}`;

  /** The contact each row belongs to: its ID column, or a Party search by email. */
  function contacts(rows: PushRow[]): ({ id: string } | { outcome: RowOutcome })[] {
    const out: ({ id: string } | { outcome: RowOutcome })[] = rows.map((r) => ({ id: contactId(r) }));
    const searching = rows.map((r, i) => (contactId(r) ? -1 : i)).filter((i) => i >= 0);
    const responses = client.send(searching.map((i) => partySearch(job, rows[i]!)));
    searching.forEach((i, k) => {
      const l = searchResult(client, responses[k]!, `matching row ${rows[i]!.row} to a contact`, job);
      if ('party' in l) out[i] = { id: partyId(l.party) };
      else if ('none' in l) out[i] = { outcome: { outcome: 'Skipped', changes: [], message: 'no contact in iMIS has this email, so there is nothing to attach the panel row to' } };
      else out[i] = l;
    });
    return out;
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

  return {
    definition: () => (def ??= loadDefinition()),

    prepare(fields) {
      def = loadDefinition();
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
      const owners = contacts(rows);
      const outcomes: (RowOutcome | null)[] = owners.map((o) => ('outcome' in o ? o.outcome : null));
      const ids = owners.map((o) => ('id' in o ? o.id : ''));
      const live = rows.map((_, i) => i).filter((i) => outcomes[i] === null);

      // Read what iMIS has now: the contact's row (single) or rows (multi).
      const reads = client.send(
        live.map((i) => {
          const ordinal = rows[i]!.knownId.split('|')[1];
          if (!d.multi) return { method: 'GET', path: `api/${d.name}/${encodeURIComponent(ids[i]!)}` } as ImisRequest;
          return ordinal ? ({ method: 'GET', path: `api/${d.name}/~${encodeURIComponent(ids[i]!)}|${encodeURIComponent(ordinal)}` } as ImisRequest) : listRequest(ids[i]!);
        }),
      );
      const current: (PanelRow | null)[] = new Array(rows.length).fill(null);
      const relist: number[] = [];
      live.forEach((i, k) => {
        const res = reads[k]!;
        const row = rows[i]!;
        const byOrdinal = d.multi && row.knownId.includes('|');
        if (!d.multi || byOrdinal) {
          if (res.status === 200) current[i] = readEntity(client.json(res, what(row)));
          else if (res.status === 404 && byOrdinal) relist.push(i);
          else if (res.status !== 404) outcomes[i] = failedRow(res, what(row), client.base);
          return;
        }
        const list = listed(res, row);
        if (!Array.isArray(list)) outcomes[i] = list;
        else current[i] = list.find((r) => keyOf(r) === wanted(row)) ?? null;
      });
      // A remembered Ordinal that no longer exists: look the row up by its key instead.
      if (relist.length > 0) {
        const again = client.send(relist.map((i) => listRequest(ids[i]!)));
        relist.forEach((i, k) => {
          const list = listed(again[k]!, rows[i]!);
          if (!Array.isArray(list)) outcomes[i] = list;
          else current[i] = list.find((r) => keyOf(r) === wanted(rows[i]!)) ?? null;
        });
      }

      const writes: { i: number; request: ImisRequest }[] = [];
      for (const i of live) {
        if (outcomes[i]) continue;
        const row = rows[i]!;
        const id = ids[i]!;
        const existing = current[i];
        const props: Props = existing ? { ...existing.props } : { ID: id };
        const changes: FieldChange[] = [];
        for (const [field, value] of Object.entries(row.payload)) {
          const p = prop(field);
          if (!p || field.toLowerCase() === 'id') continue;
          const before = text(unwrapValue(props[p.name]));
          const t = typed(p.type, value);
          if (!t.ok) continue;
          const after = text(unwrapValue(t.value));
          if (existing && before === after) continue;
          changes.push({ field: p.name, before, after });
          props[p.name] = t.value;
        }
        const rowId = existing && d.multi ? `${id}|${existing.ordinal}` : id;
        if (existing && changes.length === 0) {
          outcomes[i] = { outcome: 'Unchanged', id: rowId, changes, message: 'iMIS already has these values' };
          continue;
        }
        if (preview) {
          outcomes[i] = { outcome: existing ? 'Would update' : 'Would create', id: existing ? rowId : '', changes, message: '' };
          continue;
        }
        outcomes[i] = { outcome: existing ? 'Updated' : 'Created', id: rowId, changes, message: '' };
        const path = existing ? (d.multi ? `api/${d.name}/~${encodeURIComponent(id)}|${encodeURIComponent(existing.ordinal)}` : `api/${d.name}/${encodeURIComponent(id)}`) : `api/${d.name}`;
        writes.push({ i, request: { method: existing ? 'PUT' : 'POST', path, body: entityBody(d, id, existing && d.multi ? existing.ordinal : '', props) } });
      }
      const responses = client.send(writes.map((w) => w.request));
      const learnOrdinal: number[] = [];
      writes.forEach(({ i, request }, k) => {
        const res = responses[k]!;
        if (res.status === 200 || res.status === 201) {
          if (d.multi && request.method === 'POST') learnOrdinal.push(i);
          return;
        }
        const planned = outcomes[i]!;
        outcomes[i] = failedRow(res, what(rows[i]!), client.base, planned.changes);
      });
      // iMIS answers a multi-instance POST with Ordinal 0 (a known bug): list again to learn the real one.
      if (learnOrdinal.length > 0) {
        const lists = client.send(learnOrdinal.map((i) => listRequest(ids[i]!)));
        learnOrdinal.forEach((i, k) => {
          const list = listed(lists[k]!, rows[i]!);
          const found = Array.isArray(list) ? list.find((r) => keyOf(r) === wanted(rows[i]!)) : undefined;
          outcomes[i] = { ...outcomes[i]!, id: found ? `${ids[i]}|${found.ordinal}` : ids[i]! };
        });
      }
      return outcomes.map((o) => o!);
    },
  };
}
