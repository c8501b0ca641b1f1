// Pushing rows into iMIS activities (Target = Activity, DESIGN §10.5): one activity per row, for
// the contact the row finds by email (and name) or iMIS ID, looked up as the contact target looks
// contacts up and never created. The new activity's SEQN is kept in "<Job> ID"; from then on the
// row updates that activity (read whole, mapped properties changed, PUT back whole) and is never
// POSTed again. Field names are the Activity entity's own properties, from iMIS's definition.

import { cellText } from '../../core/cells';
import type { ImisPushJob } from '../../core/config/types';
import type { HttpResponse } from '../../core/ports';
import type { FieldValue, PushRow, PushTarget, RowOutcome } from '../../core/push/types';
import type { FieldChange } from '../../core/results';
import { applyTransform } from '../../core/transforms';
import { open, outcomes, pending, sendWrites, step, type Pending, type PlannedWrite } from '../batch';
import type { ImisClient, ImisRequest } from './client';
import { findContacts, partySearch, type ContactFinding, type ContactLookup, type Found } from './contacts';
import { ENTITY_TYPES, readEntityJson, typed } from './entity';
import { describeFailure, failedRow, ImisError } from './errors';
import { unwrapValue } from './iqa';
import { definitionOf, type Definition } from './panels';
import { partyId } from './person';
import { BoDefinition } from './schemas';

export const ACTIVITY = 'Activity';

export const isActivity = (target: string) => target.trim().toLowerCase() === 'activity';

/** What a Mappings Field may name without asking iMIS: how a row finds its contact, then the usual Activity properties. */
export const ACTIVITY_FIELDS: readonly string[] = Object.freeze(['ID', 'Email', 'FirstName', 'LastName', 'ACTIVITY_TYPE', 'TRANSACTION_DATE', 'DESCRIPTION', 'NOTE', 'AMOUNT']);

/** Fields that only find the contact; they are never written into the activity. */
const FINDING = new Set(['id', 'email', 'firstname', 'lastname']);

/** A row's SEQN when the create answer did not say it: never a number, so the row is not sent again blindly. */
const UNKNOWN_SEQN = 'unknown';

const text = (v: unknown) => cellText(v === undefined ? null : (v as FieldValue));
const shown = (v: unknown) => text(unwrapValue(v));

/** iMIS's definition of Activity (`GET api/BoEntityDefinition/Activity`): its properties and their types. */
export function readActivityDefinition(client: ImisClient): Definition {
  const what = 'reading the definition of Activity';
  // Not listed with the designed panels (`?limit=500`), so it is asked for by name.
  const [res] = client.send([{ method: 'GET', path: `api/BoEntityDefinition/${ACTIVITY}` }]);
  if (res!.status === 404) {
    throw new ImisError(`iMIS at ${client.base} does not describe an Activity business object, so activities cannot be sent to it. Check Target in the Jobs tab.`, 404, 'config');
  }
  if (res!.status !== 200) throw new ImisError(describeFailure(res!, what, client.base), res!.status);
  const parsed = BoDefinition.safeParse(client.json(res!, what));
  if (!parsed.success) throw new ImisError(`iMIS answered ${what} in a shape this add-on does not understand.`, res!.status, 'server');
  return definitionOf(parsed.data);
}

/** The Mappings fields of Activity: ID (the contact's iMIS ID) first, then its properties but those the add-on sets. */
export function activityFields(def: Definition): string[] {
  return ['ID', ...[...def.properties.values()].map((p) => p.name).filter((n) => !/^(seqn|partyid)$/i.test(n))];
}

type Props = Record<string, unknown>;
type Json = Record<string, unknown>;

interface ActivityState {
  /** The activity's SEQN from "<Job> ID" ('' for a row not sent yet). */
  seqn: string;
  /** The contact's iMIS ID, once found (new rows only). */
  partyId: string;
  /** The activity as iMIS holds it now (rows with a SEQN). */
  existing?: { json: Json; props: Props };
  write?: PlannedWrite<ImisRequest>;
}
type ActivityPending = Pending<ActivityState>;

/** A new activity: ASI's minimal body (activity-post-body.json), with the contact and every mapped property. */
function newActivity(props: [string, unknown][]): Json {
  return {
    $type: ENTITY_TYPES.entity,
    EntityTypeName: ACTIVITY,
    Properties: { $type: ENTITY_TYPES.properties, $values: props.map(([Name, Value]) => ({ $type: ENTITY_TYPES.property, Name, Value })) },
  };
}

/** The activity as read, with the given properties changed (null: sent without a Value, which blanks it) and everything else kept. */
function changedActivity(json: Json, values: [string, unknown][]): Json {
  const copy = JSON.parse(JSON.stringify(json)) as Json;
  const list = (copy.Properties as { $values: Json[] }).$values;
  for (const [Name, Value] of values) {
    let entry = list.find((p) => typeof p.Name === 'string' && p.Name.toLowerCase() === Name.toLowerCase());
    if (!entry) list.push((entry = { $type: ENTITY_TYPES.property, Name }));
    if (Value === null) delete entry.Value;
    else entry.Value = Value;
  }
  return copy;
}

export function activityTarget(client: ImisClient, job: ImisPushJob): PushTarget & { definition(): Definition } {
  let def: Definition | null = null;
  const defined = () => (def ??= readActivityDefinition(client));
  const prop = (field: string) => (FINDING.has(field.toLowerCase()) ? undefined : defined().properties.get(field.toLowerCase()));
  const needed = job.match === 'ID' ? ['ID'] : job.match === 'Email+Name' ? ['Email', 'FirstName', 'LastName'] : ['Email'];
  const idOf = (row: PushRow) => (job.match === 'ID' ? text(row.payload.ID) : '');
  const who = (row: PushRow) => {
    if (job.match === 'ID') return idOf(row) ? `iMIS ID ${idOf(row)}` : '';
    return needed.map((f) => text(row.payload[f]).toLowerCase()).filter((part) => part !== '').join(' ');
  };
  const missing = job.match === 'ID' ? '' : job.match === 'Email+Name' ? 'no iMIS contact with this email and name' : 'no iMIS contact with this email';

  const finding: ContactFinding = {
    id: idOf,
    rematch: () => false,
    // "<Job> ID" holds the activity's SEQN here, so the contact cannot be chosen there.
    resolve: 'merge the duplicates in iMIS, or set Match to ID and map a column holding the right iMIS ID',
  };
  /**
   * Contacts already looked up this run, by request: an attendance list names the same people
   * again and again, and one lookup per person is enough. A failed lookup is not kept.
   */
  const contacts = new Map<string, Found | { outcome: RowOutcome }>();
  const lookupKey = (row: PushRow) => (job.match === 'ID' ? `ID ${idOf(row)}` : partySearch(job, row).path);

  /** The contact of each new row: one lookup per person not known yet, shared by every row that names them. */
  function findContactsOnce(records: ActivityPending[]): void {
    const newRows = open(records).filter((p) => p.seqn === '');
    const first = new Map<string, PushRow>();
    for (const p of newRows) if (!contacts.has(lookupKey(p.row)) && !first.has(lookupKey(p.row))) first.set(lookupKey(p.row), p.row);
    const lookups: ContactLookup[] = pending<{ found?: Found }>([...first.values()], () => ({}));
    findContacts(client, job, lookups, finding);
    for (const l of lookups) {
      if (l.outcome?.outcome !== 'Failed') contacts.set(lookupKey(l.row), l.outcome ? { outcome: l.outcome } : l.found!);
    }
    const failedNow = new Map(lookups.filter((l) => l.outcome?.outcome === 'Failed').map((l) => [lookupKey(l.row), l.outcome!]));
    for (const p of newRows) {
      const key = lookupKey(p.row);
      const known = contacts.get(key);
      if (!known) p.outcome = { ...failedNow.get(key)! };
      else if ('outcome' in known) p.outcome = { ...known.outcome };
      else if ('none' in known) p.outcome = { outcome: 'Skipped', changes: [], message: `${missing}; the activity is added once the contact is in iMIS` };
      else p.partyId = partyId(known.party);
    }
  }

  /** The activities rows already added, read whole (`GET api/Activity/{SEQN}`). */
  function readExisting(records: ActivityPending[]): void {
    step(
      client,
      records,
      (p) => (p.seqn ? { method: 'GET', path: `api/${ACTIVITY}/${encodeURIComponent(p.seqn)}` } : null),
      (p, res) => {
        const what = `reading activity ${p.seqn}`;
        if (res.status === 404) {
          // Never added again on its own: the activity may have been deleted on purpose, or the SEQN mistyped.
          p.outcome = {
            outcome: 'Failed',
            id: p.seqn,
            changes: [],
            message: `iMIS has no activity ${p.seqn} (deleted, or not this activity's SEQN), so nothing was sent; to add it again, clear "${job.name} ID" on this row`,
            code: 'not_found',
          };
          return;
        }
        if (res.status !== 200) {
          p.outcome = { ...failedRow(res, what, client.base), id: p.seqn };
          return;
        }
        const json = client.json(res, what);
        const read = readEntityJson(json);
        if (!read) p.outcome = { outcome: 'Failed', id: p.seqn, changes: [], message: `iMIS answered ${what} in a shape this add-on does not understand.`, code: 'server' };
        else p.existing = { json: json as Json, props: read.props };
      },
    );
  }

  /** The mapped Activity properties of a row, typed, under their canonical names. */
  function valuesOf(row: PushRow): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const [field, value] of Object.entries(row.payload)) {
      const p = prop(field);
      if (!p) continue;
      const t = typed(p.type, value);
      if (t.ok) out.push([p.name, t.value]);
    }
    return out;
  }

  function planNew(p: ActivityPending, preview: boolean): void {
    const values = valuesOf(p.row).filter(([, v]) => v !== null);
    const changes: FieldChange[] = values.map(([field, v]) => ({ field, before: '', after: shown(v) })).filter((c) => c.after !== '');
    const message = `for iMIS ID ${p.partyId}`;
    if (preview) {
      p.outcome = { outcome: 'Would create', changes, message };
      return;
    }
    p.write = {
      planned: { outcome: 'Created', changes, message },
      request: { method: 'POST', path: `api/${ACTIVITY}`, body: newActivity([['PartyId', p.partyId], ...values]) },
    };
  }

  function planUpdate(p: ActivityPending, preview: boolean): void {
    const { props, json } = p.existing!;
    const current = (name: string) => props[Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name];
    const owner = shown(current('PartyId'));
    const id = idOf(p.row);
    if (id !== '' && owner !== '' && id !== owner) {
      p.outcome = {
        outcome: 'Needs review',
        id: p.seqn,
        changes: [],
        message: `activity ${p.seqn} belongs to iMIS ID ${owner}, not ${id}; enter the right SEQN in "${job.name} ID", or clear it to add a new activity`,
      };
      return;
    }
    const changed: [string, unknown][] = [];
    const changes: FieldChange[] = [];
    for (const [name, value] of valuesOf(p.row)) {
      const before = shown(current(name));
      const after = shown(value);
      if (before === after) continue;
      changed.push([name, value]);
      changes.push({ field: name, before, after });
    }
    if (changes.length === 0) {
      p.outcome = { outcome: 'Unchanged', id: p.seqn, changes, message: 'iMIS already has these values' };
      return;
    }
    if (preview) {
      p.outcome = { outcome: 'Would update', id: p.seqn, changes, message: '' };
      return;
    }
    p.write = {
      planned: { outcome: 'Updated', id: p.seqn, changes, message: '' },
      request: { method: 'PUT', path: `api/${ACTIVITY}/${encodeURIComponent(p.seqn)}`, body: changedActivity(json, changed) },
    };
  }

  /** The SEQN of a new activity, from iMIS's create answer (Identity, or its SEQN property). */
  function createdSeqn(res: HttpResponse, row: PushRow): string {
    const read = readEntityJson(client.json(res, `adding the activity of row ${row.row}`));
    return (read?.identity[0] ?? '') || shown(read?.props.SEQN);
  }

  return {
    idName: 'activity number (SEQN)',
    definition: defined,

    prepare(fields) {
      def = readActivityDefinition(client);
      const named = (f: string) => fields.some((x) => x.toLowerCase() === f.toLowerCase());
      if (named('SEQN')) throw new ImisError(`SEQN is the activity's own number, which the add-on keeps in "${job.name} ID"; remove the mapping or constant for SEQN.`, 400, 'config');
      if (named('PartyId')) throw new ImisError(`The add-on sets PartyId itself, from the contact each row finds; map the iMIS ID to the field ID (and set Match to ID) instead of PartyId.`, 400, 'config');
      const unknown = fields.filter((f) => !FINDING.has(f.toLowerCase()) && !prop(f));
      if (unknown.length > 0) {
        throw new ImisError(`Activity has no field ${unknown.map((u) => `"${u}"`).join(', ')}; its fields are ${activityFields(defined()).slice(1).join(', ')}.`, 400, 'config');
      }
      const absent = needed.filter((f) => !named(f));
      if (absent.length > 0) {
        throw new ImisError(`Job "${job.name}" finds each activity's contact by ${job.match}, but no mapping sends ${absent.join(', ')}. Add it in the Mappings tab or change Match.`, 400, 'config');
      }
    },

    check(row) {
      const seqn = row.knownId.trim();
      if (seqn !== '' && !/^\d+$/.test(seqn)) {
        return `"${job.name} ID" holds "${seqn}", which is not an activity's SEQN (a number): enter the SEQN iMIS gave this activity, or clear the cell to add it as a new one`;
      }
      if (seqn === '') {
        const empty = needed.filter((f) => text(row.payload[f]) === '');
        if (empty.length > 0) return `no ${empty.join(', ')} to find the contact this activity belongs to`;
        if (job.match !== 'ID') {
          const email = applyTransform('email', row.payload.Email ?? null);
          if (!email.ok) return `Email: ${email.reason}`;
        }
      }
      for (const [field, value] of Object.entries(row.payload)) {
        const p = prop(field);
        if (!p) continue;
        const t = typed(p.type, value);
        if (!t.ok) return `${p.name}: ${t.reason}`;
      }
      return null;
    },

    // Several rows may add activities for one contact, so a new row is its own record.
    matchKey: (row) => [who(row), `row ${row.row}`].filter((part) => part !== '').join(', '),

    push(rows, preview) {
      const records = pending<ActivityState>(rows, (row) => ({ seqn: row.knownId.trim(), partyId: '' }));
      for (const p of records) {
        if (job.mode === 'Update only' && p.seqn === '') p.outcome = { outcome: 'Skipped', changes: [], message: 'not in iMIS yet, and Mode is Update only, so no activity is added' };
        if (job.mode === 'Create only' && p.seqn !== '') p.outcome = { outcome: 'Skipped', id: p.seqn, changes: [], message: `already in iMIS as activity ${p.seqn} (Mode is Create only)` };
      }
      readExisting(records);
      findContactsOnce(records);
      for (const p of open(records)) {
        if (p.existing) planUpdate(p, preview);
        else planNew(p, preview);
      }
      sendWrites(
        client,
        records,
        (p, res, request) => failedRow(res, request.method === 'POST' ? 'adding the activity' : `updating activity ${p.seqn}`, client.base, p.write!.planned.changes),
        (p, res, request) => {
          if (request.method !== 'POST') return p.write!.planned;
          const seqn = createdSeqn(res, p.row);
          if (seqn) return { ...p.write!.planned, id: seqn };
          // Added, but unnamed: the placeholder keeps an edit from adding it a second time.
          return { ...p.write!.planned, id: UNKNOWN_SEQN, message: `${p.write!.planned.message}; iMIS did not say the new activity's SEQN: find it in iMIS and enter it in "${job.name} ID"` };
        },
      );
      return outcomes(records);
    },
  };
}
