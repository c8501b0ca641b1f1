// The simulator's panels: custom business objects attached to a contact, read and written as
// GenericEntityData (shared/research/imis/panel-*.json). One single-instance panel (one row per
// contact, key = the contact's iMIS ID) and one multi-instance panel (many rows per contact, key =
// ID and Ordinal, addressed as `~ID|Ordinal`), their BOEntityDefinitionData, and the endpoints.
// A multi-instance POST answers Ordinal 0 whatever it stored: the known iMIS bug (research §4.2),
// so a client has to list the contact's rows again to learn the real Ordinal.

import type { HttpRequest, HttpResponse } from '../../core/ports';
import { matchesAny, parseCriterion, type Criterion } from './queries';
import { pageParams, type CaseInsensitiveParams } from './request';
import {
  collectionItems,
  isObject,
  normaliseTyped,
  readJsonBody,
  validationFailure,
  wrapTyped,
  type PropertyTypeName,
  type StoredValue,
} from './validation';
import { TYPE, httpError, json, methodNotAllowed, pagedResult, type JsonObject, type JsonValue } from './wire';

export interface PanelProperty {
  name: string;
  type: PropertyTypeName;
  caption: string;
  identity?: boolean;
  required?: boolean;
  /** Text properties only. */
  maxLength?: number;
}

export interface PanelDefinition {
  entityTypeName: string;
  /** 'Single': one row per contact; 'Multi': many, told apart by Ordinal. */
  objectType: 'Single' | 'Multi';
  description: string;
  properties: PanelProperty[];
}

/** A panel row with unwrapped values, keyed by property name (ID and, for Multi, Ordinal included). */
export type PanelRow = Record<string, StoredValue>;

export const DEMO_PANELS = { volunteer: 'Demo_Volunteer', certifications: 'Demo_Certifications' } as const;

export const PANEL_DEFINITIONS: readonly PanelDefinition[] = [
  {
    entityTypeName: DEMO_PANELS.volunteer,
    objectType: 'Single',
    description: 'Volunteer profile (demo panel, one per contact)',
    properties: [
      { name: 'ID', type: 'String', caption: 'ID', identity: true, required: true, maxLength: 10 },
      { name: 'Skills', type: 'String', caption: 'Skills', maxLength: 255 },
      { name: 'HoursPledged', type: 'Integer', caption: 'Hours pledged' },
      { name: 'Active', type: 'Boolean', caption: 'Active' },
      { name: 'StartDate', type: 'Date', caption: 'Start date' },
      { name: 'Notes', type: 'String', caption: 'Notes', maxLength: 1000 },
    ],
  },
  {
    entityTypeName: DEMO_PANELS.certifications,
    objectType: 'Multi',
    description: 'Certifications earned (demo panel, many per contact)',
    properties: [
      { name: 'ID', type: 'String', caption: 'ID', identity: true, required: true, maxLength: 10 },
      { name: 'Ordinal', type: 'Integer', caption: 'Ordinal', identity: true, required: true },
      { name: 'CertCode', type: 'String', caption: 'Certification code', maxLength: 20 },
      { name: 'Title', type: 'String', caption: 'Title', maxLength: 100 },
      { name: 'Earned', type: 'Date', caption: 'Date earned' },
      { name: 'Credits', type: 'Decimal', caption: 'Credits' },
    ],
  },
];

/** Rows every demo site starts with (a row whose contact is beyond memberCount is left out). */
export const DEMO_PANEL_ROWS: Readonly<Record<string, readonly PanelRow[]>> = {
  [DEMO_PANELS.volunteer]: [
    { ID: '10001', Skills: 'Event setup; registration desk', HoursPledged: 20, Active: true, StartDate: '2023-04-01T00:00:00', Notes: 'Prefers weekend shifts' },
    { ID: '10003', Skills: 'Mentoring', HoursPledged: 5, Active: false, StartDate: '2021-09-15T00:00:00', Notes: null },
    { ID: '10005', Skills: 'Photography', HoursPledged: 12, Active: true, StartDate: null, Notes: 'Brings own camera' },
  ],
  [DEMO_PANELS.certifications]: [
    { ID: '10001', Ordinal: 1, CertCode: 'CPR', Title: 'CPR and First Aid', Earned: '2022-03-10T00:00:00', Credits: 4.5 },
    { ID: '10001', Ordinal: 2, CertCode: 'SAFE', Title: 'Workplace Safety', Earned: '2023-11-02T00:00:00', Credits: 8 },
    { ID: '10002', Ordinal: 1, CertCode: 'CPR', Title: 'CPR and First Aid', Earned: '2024-01-20T00:00:00', Credits: 4.5 },
    { ID: '10004', Ordinal: 1, CertCode: 'ETH', Title: 'Professional Ethics', Earned: '2021-06-30T00:00:00', Credits: 2.25 },
  ],
};

const isMulti = (def: PanelDefinition) => def.objectType === 'Multi';
const keyOf = (def: PanelDefinition, row: PanelRow) => (isMulti(def) ? `${row.ID}|${row.Ordinal}` : String(row.ID));

function byIdThenOrdinal(a: PanelRow, b: PanelRow): number {
  const byId = (Number(a.ID) || 0) - (Number(b.ID) || 0) || String(a.ID).localeCompare(String(b.ID));
  return byId || (Number(a.Ordinal) || 0) - (Number(b.Ordinal) || 0);
}

export class PanelStore {
  private readonly defs = new Map<string, PanelDefinition>();
  private readonly rows = new Map<string, Map<string, PanelRow>>();

  constructor(definitions: readonly PanelDefinition[], seedRows: Readonly<Record<string, readonly PanelRow[]>>) {
    for (const def of definitions) {
      this.defs.set(def.entityTypeName.toLowerCase(), def);
      const table = new Map<string, PanelRow>();
      for (const row of seedRows[def.entityTypeName] ?? []) table.set(keyOf(def, row), { ...row });
      this.rows.set(def.entityTypeName.toLowerCase(), table);
    }
  }

  /** Business object names match without regard to case, like Web API controller names. */
  definition(name: string): PanelDefinition | undefined {
    return this.defs.get(name.toLowerCase());
  }

  definitions(): PanelDefinition[] {
    return [...this.defs.values()];
  }

  private table(def: PanelDefinition): Map<string, PanelRow> {
    return this.rows.get(def.entityTypeName.toLowerCase())!;
  }

  /** Every row, in ID then Ordinal order, as copies. */
  list(def: PanelDefinition): PanelRow[] {
    return [...this.table(def).values()].map((r) => ({ ...r })).sort(byIdThenOrdinal);
  }

  get(def: PanelDefinition, id: string, ordinal: number | null): PanelRow | undefined {
    const row = this.table(def).get(isMulti(def) ? `${id}|${ordinal}` : id);
    return row ? { ...row } : undefined;
  }

  /** Stores a row; for a Multi panel the Ordinal is the next one free for that ID (any given one is ignored). */
  insert(def: PanelDefinition, row: PanelRow): PanelRow {
    const stored = { ...row };
    if (isMulti(def)) {
      let max = 0;
      for (const r of this.table(def).values()) if (r.ID === row.ID) max = Math.max(max, Number(r.Ordinal) || 0);
      stored.Ordinal = max + 1;
    }
    this.table(def).set(keyOf(def, stored), stored);
    return { ...stored };
  }

  replace(def: PanelDefinition, row: PanelRow): void {
    this.table(def).set(keyOf(def, row), { ...row });
  }
}

// ---------------------------------------------------------------------------------------------
// Wire shapes

const PROPERTY_TYPE: Record<PropertyTypeName, { contract: string; db: string }> = {
  String: { contract: 'PropertyTypeStringData', db: 'NVarChar' },
  Integer: { contract: 'PropertyTypeIntegerData', db: 'Int' },
  Boolean: { contract: 'PropertyTypeBooleanData', db: 'Bit' },
  Date: { contract: 'PropertyTypeDateTimeData', db: 'DateTime' },
  Decimal: { contract: 'PropertyTypeDecimalData', db: 'Decimal' },
};

/**
 * BOEntityDefinitionData as i-migrate's schema reads it (R2 `BoEntityDefinitionSchema`). The
 * Properties collection's own $type has not been seen anywhere; its name is a guess.
 */
export function definitionJson(def: PanelDefinition): JsonObject {
  return {
    $type: 'Asi.Soa.Core.DataContracts.BOEntityDefinitionData, Asi.Contracts',
    EntityTypeName: def.entityTypeName,
    Description: def.description,
    ObjectTypeName: def.objectType,
    PrimaryParentEntityTypeName: 'Party',
    Properties: {
      $type: 'Asi.Soa.Core.DataContracts.PropertyDefinitionDataCollection, Asi.Contracts',
      $values: def.properties.map((p) => {
        const t = PROPERTY_TYPE[p.type];
        const out: JsonObject = {
          $type: `Asi.Soa.Core.DataContracts.${t.contract}, Asi.Contracts`,
          Name: p.name,
          Caption: p.caption,
          PropertyTypeName: p.type,
          IsIdentity: p.identity === true,
          Required: p.required === true,
        };
        if (p.type === 'String') out.MaxLength = p.maxLength ?? 0;
        if (p.type === 'Date') out.DateTimeDataType = 0;
        if (p.type === 'Decimal') Object.assign(out, { Precision: 9, Scale: 2 });
        out.ExtendedPropertyInformation = {
          $type: 'Asi.Soa.Core.DataContracts.ExtendedPropertyInformationData, Asi.Contracts',
          DatabaseColumnName: p.name,
          DbDataType: t.db,
          IsNullable: p.identity !== true,
        };
        return out;
      }),
    },
    IsDesignable: true,
  };
}

function identity(entityTypeName: string, elements: string[]): JsonObject {
  return { $type: TYPE.identity, EntityTypeName: entityTypeName, IdentityElements: { $type: TYPE.stringCollection, $values: elements } };
}

/** A row as GenericEntityData: every property in definition order, typed values wrapped, nulls without Value. */
export function entityJson(def: PanelDefinition, row: PanelRow, shownOrdinal?: number): JsonObject {
  const shown: PanelRow = shownOrdinal === undefined ? row : { ...row, Ordinal: shownOrdinal };
  const id = String(row.ID);
  return {
    $type: TYPE.genericEntity,
    EntityTypeName: def.entityTypeName,
    PrimaryParentEntityTypeName: 'Party',
    Identity: identity(def.entityTypeName, isMulti(def) ? [id, String(shown.Ordinal)] : [id]),
    PrimaryParentIdentity: identity('Party', [id]),
    Properties: {
      $type: TYPE.genericPropertyCollection,
      $values: def.properties.map((p): JsonObject => {
        const value = wrapTyped(p.type, shown[p.name] ?? null);
        return value === undefined ? { $type: TYPE.genericProperty, Name: p.name } : { $type: TYPE.genericProperty, Name: p.name, Value: value };
      }),
    },
  };
}

/** A row with every defined property present (null when unset), in definition order. */
export function fullRow(def: PanelDefinition, row: PanelRow): PanelRow {
  const out: PanelRow = {};
  for (const p of def.properties) out[p.name] = row[p.name] ?? null;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading a written row

function identityElements(v: unknown): string[] {
  if (!isObject(v)) return [];
  return (collectionItems(v.IdentityElements) ?? []).map((e) => (e === null || e === undefined ? '' : String(e).trim()));
}

/**
 * The row a client wrote, checked against the definition. Values may come wrapped or plain; any
 * property left out is null (a PUT replaces the whole row). The parent ID comes from the ID
 * property, else from Identity or PrimaryParentIdentity, else (on PUT) from the address.
 */
function readRow(def: PanelDefinition, body: unknown, keyId?: string): { row: PanelRow } | { errors: string[] } {
  if (!isObject(body)) return { errors: [`The request body must be a ${def.entityTypeName} GenericEntityData object.`] };
  const errors: string[] = [];
  if (typeof body.EntityTypeName === 'string' && body.EntityTypeName !== '' && body.EntityTypeName.toLowerCase() !== def.entityTypeName.toLowerCase()) {
    errors.push(`The body is a '${body.EntityTypeName}' but was sent to ${def.entityTypeName}.`);
  }
  const items = body.Properties === undefined ? [] : collectionItems(body.Properties);
  if (items === null) return { errors: ['Properties must be a GenericPropertyDataCollection.'] };

  const row: PanelRow = {};
  for (const p of def.properties) row[p.name] = null;
  const given = new Set<string>();
  for (const item of items) {
    if (!isObject(item) || typeof item.Name !== 'string') {
      errors.push('Every property needs a Name.');
      continue;
    }
    const prop = def.properties.find((p) => p.name.toLowerCase() === (item.Name as string).toLowerCase());
    // Guess: iMIS refuses a property its business object does not have rather than dropping it.
    if (!prop) {
      errors.push(`'${item.Name}' is not a property of ${def.entityTypeName}.`);
      continue;
    }
    if (!('Value' in item)) continue;
    const value = normaliseTyped(prop.type, item.Value);
    if (!value.ok) {
      errors.push(`'${value.shown}' is not a valid value for ${prop.name} (${prop.type}).`);
      continue;
    }
    if (prop.maxLength && typeof value.value === 'string' && value.value.length > prop.maxLength) {
      errors.push(`${prop.name} may hold at most ${prop.maxLength} characters; ${value.value.length} were sent.`);
      continue;
    }
    row[prop.name] = value.value;
    given.add(prop.name);
  }

  const [identityId = '', identityOrdinal = ''] = identityElements(body.Identity);
  const [parentId = ''] = identityElements(body.PrimaryParentIdentity);
  if (row.ID === null || row.ID === '') row.ID = identityId !== '' ? identityId : parentId !== '' ? parentId : (keyId ?? null);
  if (typeof row.ID === 'string') row.ID = row.ID.trim();
  if (isMulti(def) && row.Ordinal === null && /^\d+$/.test(identityOrdinal)) row.Ordinal = Number(identityOrdinal);
  if (row.ID === null || row.ID === '') errors.push('ID is required.');
  for (const p of def.properties) {
    if (p.required && !p.identity && row[p.name] === null) errors.push(`${p.name} is required.`);
  }
  return errors.length > 0 ? { errors } : { row };
}

// ---------------------------------------------------------------------------------------------
// Endpoints

export interface PanelCall {
  req: HttpRequest;
  /** What follows '/api/{BO}/', still URL-encoded; '' for the collection. */
  rest: string;
  query: CaseInsensitiveParams;
  partyExists: (id: string) => boolean;
}

/** Forum wording; the status (400) and the HttpError wrapper are guesses. */
function identityCountFault(): HttpResponse {
  return json(400, httpError('ArgumentFault: Incorrect number of identity element'));
}

function notFound(def: PanelDefinition, key: string): HttpResponse {
  return json(404, httpError(`No ${def.entityTypeName} was found with the key '${key}'.`));
}

/** `10001`, `~10001` or `~10001|2` (the pipe raw or %7C) → identity elements. */
function parseKey(rest: string): string[] | null {
  let key: string;
  try {
    key = decodeURIComponent(rest);
  } catch {
    return null;
  }
  return key.startsWith('~') ? key.slice(1).split('|').map((s) => s.trim()) : [key.trim()];
}

export function handlePanel(store: PanelStore, def: PanelDefinition, call: PanelCall): HttpResponse {
  const { req, rest } = call;
  if (rest === '') {
    if (req.method === 'GET') return listRows(store, def, call.query);
    if (req.method === 'POST') return insertRow(store, def, call);
    return methodNotAllowed(req.method, 'GET, POST');
  }
  if (rest.includes('/')) return json(404, httpError(`No HTTP resource was found that matches the request URI '${req.url}'.`));
  const elements = parseKey(rest);
  if (elements === null) return json(400, httpError('The request is invalid.'));
  if (elements.length !== (isMulti(def) ? 2 : 1)) return identityCountFault();
  const [id = '', ordinalText] = elements;
  let ordinal: number | null = null;
  if (isMulti(def)) {
    if (!/^\d+$/.test(ordinalText ?? '')) return json(400, httpError(`ArgumentFault: '${ordinalText}' is not a valid Ordinal.`));
    ordinal = Number(ordinalText);
  }
  const shownKey = isMulti(def) ? `~${id}|${ordinal}` : id;

  if (req.method === 'GET') {
    const row = store.get(def, id, ordinal);
    return row ? json(200, entityJson(def, row)) : notFound(def, shownKey);
  }
  if (req.method === 'PUT') {
    const read = readJsonBody(req);
    if ('response' in read) return read.response;
    if (!store.get(def, id, ordinal)) return notFound(def, shownKey);
    const parsed = readRow(def, read.body, id);
    if ('errors' in parsed) return validationFailure(parsed.errors);
    const row = parsed.row;
    if (row.ID !== id) return validationFailure([`The ID in the body ('${row.ID}') does not match the key in the address ('${shownKey}').`]);
    if (isMulti(def)) {
      if (row.Ordinal !== null && row.Ordinal !== ordinal) {
        return validationFailure([`The Ordinal in the body (${row.Ordinal}) does not match the key in the address ('${shownKey}').`]);
      }
      row.Ordinal = ordinal;
    }
    store.replace(def, row);
    return json(200, entityJson(def, row));
  }
  return methodNotAllowed(req.method, 'GET, PUT');
}

function insertRow(store: PanelStore, def: PanelDefinition, call: PanelCall): HttpResponse {
  const read = readJsonBody(call.req);
  if ('response' in read) return read.response;
  const parsed = readRow(def, read.body);
  if ('errors' in parsed) return validationFailure(parsed.errors);
  const id = String(parsed.row.ID);
  // The wording of both messages is a guess; iMIS refuses a row for a contact it does not have.
  if (!call.partyExists(id)) return validationFailure([`There is no contact with iMIS ID '${id}' for this ${def.entityTypeName} row.`]);
  if (!isMulti(def) && store.get(def, id, null)) {
    return validationFailure([`${def.entityTypeName} already has a row for iMIS ID '${id}'; update it with PUT.`]);
  }
  const stored = store.insert(def, parsed.row);
  // The known iMIS bug: a multi-instance insert reports Ordinal 0, whatever it stored.
  return json(201, entityJson(def, stored, isMulti(def) ? 0 : undefined));
}

function filterTests(names: Map<string, (row: PanelRow) => unknown[]>, query: CaseInsensitiveParams, what: string): { tests: { values: (row: PanelRow) => unknown[]; c: Criterion }[] } | { response: HttpResponse } {
  const tests: { values: (row: PanelRow) => unknown[]; c: Criterion }[] = [];
  for (const { name, value } of query.list()) {
    const key = name.toLowerCase();
    if (key === 'limit' || key === 'offset' || key === 'orderby') continue;
    const values = names.get(key);
    if (!values) return { response: json(400, httpError(`'${name}' is not a property of ${what} that can be filtered on.`)) };
    const c = parseCriterion(value);
    if (c) tests.push({ values, c });
  }
  return { tests };
}

function listRows(store: PanelStore, def: PanelDefinition, query: CaseInsensitiveParams): HttpResponse {
  const names = new Map(def.properties.map((p) => [p.name.toLowerCase(), (row: PanelRow) => [row[p.name] ?? null]]));
  const filters = filterTests(names, query, def.entityTypeName);
  if ('response' in filters) return filters.response;
  const matching = store.list(def).filter((row) => filters.tests.every((t) => matchesAny(t.c, t.values(row))));
  const { offset, limit } = pageParams(query);
  const items: JsonValue[] = matching.slice(offset, offset + limit).map((row) => entityJson(def, row));
  return json(200, pagedResult(TYPE.pagedGenericEntity, TYPE.listOfGenericEntity, items, { offset, limit, totalCount: matching.length }));
}

/** GET /api/BoEntityDefinition[/{name}]: what panels exist and how their properties are typed. */
export function handleBoDefinitions(store: PanelStore, call: Omit<PanelCall, 'partyExists'>): HttpResponse {
  const { req, rest, query } = call;
  if (req.method !== 'GET') return methodNotAllowed(req.method);
  if (rest !== '') {
    let name: string;
    try {
      name = decodeURIComponent(rest).trim();
    } catch {
      return json(400, httpError('The request is invalid.'));
    }
    const def = store.definition(name);
    return def ? json(200, definitionJson(def)) : json(404, httpError(`No business object definition was found with the name '${name}'.`));
  }
  const names = new Map<string, (d: PanelRow) => unknown[]>([
    ['entitytypename', (d) => [d.EntityTypeName]],
    ['objecttypename', (d) => [d.ObjectTypeName]],
    ['primaryparententitytypename', (d) => [d.PrimaryParentEntityTypeName]],
  ]);
  const filters = filterTests(names, query, 'BoEntityDefinition');
  if ('response' in filters) return filters.response;
  const matching = store
    .definitions()
    .filter((def) => {
      const facts: PanelRow = { EntityTypeName: def.entityTypeName, ObjectTypeName: def.objectType, PrimaryParentEntityTypeName: 'Party' };
      return filters.tests.every((t) => matchesAny(t.c, t.values(facts)));
    });
  const { offset, limit } = pageParams(query);
  const items = matching.slice(offset, offset + limit).map(definitionJson);
  return json(200, pagedResult(TYPE.pagedBoDefinition, TYPE.listOfBoDefinition, items, { offset, limit, totalCount: matching.length }));
}
