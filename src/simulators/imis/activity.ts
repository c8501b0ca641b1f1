// The simulator's iMIS Activity entity: one row per thing a contact did (came to an event, gave,
// signed a petition), keyed by SEQN alone and parented by the contact's PartyId. It travels as
// GenericEntityData like a panel row (shared/research/imis/activity-post-body.json), is listed with
// ?PartyId=… (&ACTIVITY_TYPE=…), created by POST (the new SEQN in Identity.IdentityElements),
// replaced whole by PUT, and described by GET /api/BoEntityDefinition/Activity.
//
// The property list is the legacy Activity table's columns as clients write them (research §6);
// which columns a real site has, and their types beyond the dates and AMOUNT, are guesses.

import { z } from 'zod';
import type { HttpRequest, HttpResponse } from '../../core/ports';
import { definitionJson, type PanelProperty } from './panels';
import { matchesAny, parseCriterion, type Criterion } from './queries';
import { pageParams, type CaseInsensitiveParams } from './request';
import { ACTIVITY_TYPES } from './seed';
import { isObject, normaliseTyped, readJsonBody, validationFailure, wrapTyped, type StoredValue } from './validation';
import { TYPE, httpError, json, methodNotAllowed, pagedResult, type JsonObject, type JsonValue } from './wire';

export const ACTIVITY = 'Activity';

/** An activity with unwrapped values, every property present (null when unset). */
export type ActivityRow = Record<string, StoredValue>;

const text = (name: string, maxLength: number, caption = name): PanelProperty => ({ name, type: 'String', caption, maxLength });
const userField = (n: number) => text(`UF_${n}`, 255, `User field ${n}`);

export const ACTIVITY_PROPERTIES: readonly PanelProperty[] = [
  { name: 'SEQN', type: 'Integer', caption: 'Sequence', identity: true, required: true },
  { name: 'PartyId', type: 'String', caption: 'Party ID', required: true, maxLength: 10 },
  { ...text('ACTIVITY_TYPE', 10, 'Activity type'), required: true },
  { name: 'TRANSACTION_DATE', type: 'Date', caption: 'Transaction date' },
  { name: 'ACTIVITY_DATE', type: 'Date', caption: 'Activity date' },
  { name: 'EFFECTIVE_DATE', type: 'Date', caption: 'Effective date' },
  { name: 'THRU_DATE', type: 'Date', caption: 'Through date' },
  text('DESCRIPTION', 255, 'Description'),
  { name: 'NOTE', type: 'String', caption: 'Note' },
  { name: 'AMOUNT', type: 'Decimal', caption: 'Amount' },
  { name: 'QUANTITY', type: 'Decimal', caption: 'Quantity' },
  text('STATUS', 10, 'Status'),
  text('SOURCE_CODE', 40, 'Source code'),
  text('PRODUCT_CODE', 31, 'Product code'),
  ...[1, 2, 3, 4, 5, 6, 7].map(userField),
];

/** The property a name means, ignoring case; `ID` is the table's own name for PartyId. */
function propertyNamed(name: string): PanelProperty | undefined {
  const want = name.trim().toLowerCase() === 'id' ? 'partyid' : name.trim().toLowerCase();
  return ACTIVITY_PROPERTIES.find((p) => p.name.toLowerCase() === want);
}

function emptyRow(): ActivityRow {
  return Object.fromEntries(ACTIVITY_PROPERTIES.map((p) => [p.name, null]));
}

// ---------------------------------------------------------------------------------------------
// The store

export class ActivityStore {
  private readonly rows = new Map<number, ActivityRow>();

  constructor(seed: readonly Readonly<Record<string, StoredValue>>[]) {
    for (const row of seed) this.rows.set(Number(row.SEQN), { ...emptyRow(), ...row });
  }

  get(seqn: number): ActivityRow | undefined {
    const row = this.rows.get(seqn);
    return row ? { ...row } : undefined;
  }

  /** Every activity, in SEQN order, as copies. */
  list(): ActivityRow[] {
    return [...this.rows.values()].sort((a, b) => Number(a.SEQN) - Number(b.SEQN)).map((r) => ({ ...r }));
  }

  /** Stores a new activity under the next SEQN (any SEQN the client sent is ignored: the server owns it). */
  insert(row: ActivityRow): ActivityRow {
    let max = 0;
    for (const seqn of this.rows.keys()) max = Math.max(max, seqn);
    const stored = { ...row, SEQN: max + 1 };
    this.rows.set(max + 1, stored);
    return { ...stored };
  }

  replace(row: ActivityRow): void {
    this.rows.set(Number(row.SEQN), { ...row });
  }
}

// ---------------------------------------------------------------------------------------------
// Wire shapes

function identity(entityTypeName: string, elements: string[]): JsonObject {
  return { $type: TYPE.identity, EntityTypeName: entityTypeName, IdentityElements: { $type: TYPE.stringCollection, $values: elements } };
}

/** An activity as GenericEntityData: every property in definition order, typed values wrapped, nulls without Value. */
export function activityJson(row: ActivityRow): JsonObject {
  return {
    $type: TYPE.genericEntity,
    EntityTypeName: ACTIVITY,
    PrimaryParentEntityTypeName: 'Party',
    Identity: identity(ACTIVITY, [String(row.SEQN)]),
    PrimaryParentIdentity: identity('Party', [String(row.PartyId ?? '')]),
    Properties: {
      $type: TYPE.genericPropertyCollection,
      $values: ACTIVITY_PROPERTIES.map((p): JsonObject => {
        const value = wrapTyped(p.type, row[p.name] ?? null);
        return value === undefined ? { $type: TYPE.genericProperty, Name: p.name } : { $type: TYPE.genericProperty, Name: p.name, Value: value };
      }),
    },
  };
}

/**
 * BOEntityDefinitionData in the very shape panels get, so a client lists Activity's fields the way
 * it lists a panel's. Activity is one of iMIS's own business objects, not a designed panel: hence
 * "Standard" (one of the ObjectTypeName values research §4.1 lists) and not designable. PartyId is
 * stored in the table's ID column.
 */
export function activityDefinitionJson(): JsonObject {
  const def = definitionJson({ entityTypeName: ACTIVITY, objectType: 'Multi', description: 'Activities of a contact', properties: [...ACTIVITY_PROPERTIES] });
  const properties = def.Properties as { $values: JsonObject[] };
  for (const p of properties.$values) {
    if (p.Name === 'PartyId') (p.ExtendedPropertyInformation as JsonObject).DatabaseColumnName = 'ID';
  }
  return { ...def, ObjectTypeName: 'Standard', IsDesignable: false };
}

// ---------------------------------------------------------------------------------------------
// Reading a written activity

/** Json.NET matches member names without regard to case (target-imis sends "properties"). */
function canonicalKeys(v: unknown, names: readonly string[]): unknown {
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) out[names.find((n) => n.toLowerCase() === key.toLowerCase()) ?? key] = value;
  return out;
}

/** `{$type, $values: [...]}` or a plain array: Json.NET reads both into a collection. */
const collectionOf = <T extends z.ZodType>(item: T) => z.preprocess((v) => (isObject(v) && '$values' in v ? v.$values : v), z.array(item));

const IdentityBody = z.preprocess(
  (v) => canonicalKeys(v, ['IdentityElements']),
  z.object({ IdentityElements: collectionOf(z.union([z.string(), z.number()]).nullable()).optional() }),
);

const PropertyBody = z.preprocess((v) => canonicalKeys(v, ['Name', 'Value']), z.object({ Name: z.string(), Value: z.unknown().optional() }));

const ActivityBody = z.preprocess(
  (v) => canonicalKeys(v, ['$type', 'EntityTypeName', 'Identity', 'PrimaryParentIdentity', 'Properties']),
  z.object({
    EntityTypeName: z.string().nullish(),
    Identity: IdentityBody.nullish(),
    PrimaryParentIdentity: IdentityBody.nullish(),
    Properties: collectionOf(PropertyBody).nullish(),
  }),
);

/** What a zod issue means to someone who wrote the body. */
function issueMessage(issue: z.core.$ZodIssue): string {
  const [top, , leaf] = issue.path;
  if (issue.path.length === 0) return `The request body must be an ${ACTIVITY} GenericEntityData object.`;
  if (top === 'Properties') {
    return issue.path.length === 1 ? 'Properties must be a GenericPropertyDataCollection.' : leaf === 'Name' ? 'Every property needs a Name.' : 'Every property must be a GenericPropertyData object.';
  }
  if (top === 'Identity' || top === 'PrimaryParentIdentity') return `${String(top)} must be an IdentityData whose IdentityElements are strings.`;
  return `${issue.path.join('.')}: ${issue.message}`;
}

function firstElement(v: { IdentityElements?: (string | number | null)[] | undefined } | null | undefined): string {
  const first = v?.IdentityElements?.[0];
  return first === null || first === undefined ? '' : String(first).trim();
}

interface ReadActivity {
  row: ActivityRow;
  /** The SEQN the body names (its SEQN property, else its Identity), or '' when it names none. */
  givenSeqn: string;
}

/**
 * The activity a client wrote, checked. Anything left out is null: a PUT replaces the whole
 * activity. PartyId may also come as `ID` or, failing both, from PrimaryParentIdentity.
 */
function readActivity(body: unknown, partyExists: (id: string) => boolean): ReadActivity | { errors: string[] } {
  const parsed = ActivityBody.safeParse(body);
  if (!parsed.success) return { errors: [...new Set(parsed.error.issues.map(issueMessage))] };
  const { EntityTypeName, Identity, PrimaryParentIdentity, Properties } = parsed.data;
  const errors: string[] = [];
  if (EntityTypeName && EntityTypeName.toLowerCase() !== ACTIVITY.toLowerCase()) {
    errors.push(`The body is a '${EntityTypeName}' but was sent to ${ACTIVITY}.`);
  }

  const row = emptyRow();
  // A property already refused is not reported a second time as missing.
  const refused = new Set<string>();
  for (const item of Properties ?? []) {
    const prop = propertyNamed(item.Name);
    // Guess: iMIS refuses a property its business object does not have rather than dropping it.
    if (!prop) {
      errors.push(`'${item.Name}' is not a property of ${ACTIVITY}.`);
      continue;
    }
    const value = normaliseTyped(prop.type, item.Value);
    if (!value.ok) {
      errors.push(`'${value.shown}' is not a valid value for ${prop.name} (${prop.type}).`);
      refused.add(prop.name);
      continue;
    }
    // Keys are compared trimmed, as a lookup would; other text is stored as sent, like a panel's.
    if (typeof value.value === 'string' && (prop.name === 'PartyId' || prop.name === 'ACTIVITY_TYPE')) value.value = value.value.trim() || null;
    if (prop.maxLength && typeof value.value === 'string' && value.value.length > prop.maxLength) {
      errors.push(`${prop.name} may hold at most ${prop.maxLength} characters; ${value.value.length} were sent.`);
      refused.add(prop.name);
      continue;
    }
    row[prop.name] = value.value;
  }

  const givenSeqn = row.SEQN !== null ? String(row.SEQN) : firstElement(Identity);
  if (row.PartyId === null && firstElement(PrimaryParentIdentity) !== '') row.PartyId = firstElement(PrimaryParentIdentity);

  const type = row.ACTIVITY_TYPE;
  if (type === null) {
    if (!refused.has('ACTIVITY_TYPE')) errors.push('ACTIVITY_TYPE is required.');
  }
  else {
    // A validation table lookup, which SQL Server's collation makes case-blind; the code is kept as listed.
    const known = ACTIVITY_TYPES.find((t) => t.toLowerCase() === String(type).toLowerCase());
    if (known) row.ACTIVITY_TYPE = known;
    else errors.push(`'${type}' is not a valid ACTIVITY_TYPE. Valid types are ${ACTIVITY_TYPES.join(', ')}.`);
  }
  if (row.PartyId === null) {
    if (!refused.has('PartyId')) errors.push('PartyId is required.');
  }
  else if (!partyExists(String(row.PartyId))) errors.push(`PartyId '${row.PartyId}' is not the iMIS ID of a contact.`);
  return errors.length > 0 ? { errors } : { row, givenSeqn };
}

// ---------------------------------------------------------------------------------------------
// Endpoints

export interface ActivityCall {
  req: HttpRequest;
  /** What follows '/api/Activity/', still URL-encoded; '' for the collection. */
  rest: string;
  query: CaseInsensitiveParams;
  partyExists: (id: string) => boolean;
}

function notFound(key: string): HttpResponse {
  // The wording is a guess; clients act on the 404 alone.
  return json(404, httpError(`No ${ACTIVITY} was found with the key '${key}'.`));
}

/** `123` or `~123` (the general identity form) → the SEQN text; null when it does not decode. */
function parseKey(rest: string): string[] | null {
  try {
    const key = decodeURIComponent(rest).trim();
    return key.startsWith('~') ? key.slice(1).split('|').map((s) => s.trim()) : [key];
  } catch {
    return null;
  }
}

export function handleActivity(store: ActivityStore, call: ActivityCall): HttpResponse {
  const { req, rest } = call;
  if (rest === '') {
    if (req.method === 'GET') return listActivities(store, call.query);
    if (req.method === 'POST') return createActivity(store, call);
    return methodNotAllowed(req.method, 'GET, POST');
  }
  if (rest.includes('/')) return json(404, httpError(`No HTTP resource was found that matches the request URI '${req.url}'.`));
  const elements = parseKey(rest);
  if (elements === null) return json(400, httpError('The request is invalid.'));
  // Forum wording, as for panels: the key is SEQN alone.
  if (elements.length !== 1) return json(400, httpError('ArgumentFault: Incorrect number of identity element'));
  const key = elements[0]!;
  const seqn = /^\d+$/.test(key) ? Number(key) : null;

  if (req.method === 'GET') {
    const row = seqn === null ? undefined : store.get(seqn);
    return row ? json(200, activityJson(row)) : notFound(key);
  }
  if (req.method === 'PUT') {
    const read = readJsonBody(req);
    if ('response' in read) return read.response;
    if (seqn === null || !store.get(seqn)) return notFound(key);
    const parsed = readActivity(read.body, call.partyExists);
    if ('errors' in parsed) return validationFailure(parsed.errors);
    if (parsed.givenSeqn !== '' && parsed.givenSeqn !== String(seqn)) {
      return validationFailure([`The SEQN in the body ('${parsed.givenSeqn}') does not match the key in the address ('${key}').`]);
    }
    const row = { ...parsed.row, SEQN: seqn };
    store.replace(row);
    return json(200, activityJson(row));
  }
  return methodNotAllowed(req.method, 'GET, PUT');
}

function createActivity(store: ActivityStore, call: ActivityCall): HttpResponse {
  const read = readJsonBody(call.req);
  if ('response' in read) return read.response;
  const parsed = readActivity(read.body, call.partyExists);
  if ('errors' in parsed) return validationFailure(parsed.errors);
  return json(201, activityJson(store.insert(parsed.row)));
}

/** Filters on any Activity property (ID meaning PartyId), combined with AND, as for panels. */
function listActivities(store: ActivityStore, query: CaseInsensitiveParams): HttpResponse {
  const tests: { name: string; c: Criterion }[] = [];
  for (const { name, value } of query.list()) {
    if (['limit', 'offset', 'orderby'].includes(name.toLowerCase())) continue;
    const prop = propertyNamed(name);
    if (!prop) return json(400, httpError(`'${name}' is not a property of ${ACTIVITY} that can be filtered on.`));
    const c = parseCriterion(value);
    if (c) tests.push({ name: prop.name, c });
  }
  const matching = store.list().filter((row) => tests.every((t) => matchesAny(t.c, [row[t.name] ?? null])));
  const { offset, limit } = pageParams(query);
  const items: JsonValue[] = matching.slice(offset, offset + limit).map(activityJson);
  return json(200, pagedResult(TYPE.pagedGenericEntity, TYPE.listOfGenericEntity, items, { offset, limit, totalCount: matching.length }));
}
