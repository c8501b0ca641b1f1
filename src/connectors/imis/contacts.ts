// Pushing rows into iMIS contacts (Target = Contact). Each batch is matched first — a known iMIS
// ID is read directly, otherwise the Party list is searched by email (and name) — then written:
// one match → the full party is changed where the sheet maps it and PUT back whole (iMIS replaces
// the object on PUT); none → a new PersonData is POSTed; several → Needs review, nothing written.
// The matching (findContacts) is shared: an Activity row finds its contact the same way.

import type { ImisPushJob } from '../../core/config/types';
import { SyncError } from '../../core/errors';
import { queryString } from '../../core/http';
import type { HttpResponse } from '../../core/ports';
import type { PushRow, PushTarget, RowOutcome } from '../../core/push/types';
import { applyTransform } from '../../core/transforms';
import type { ImisClient, ImisRequest } from './client';
import { failedRow } from './errors';
import { applyContactFields, ContactValueError, contactField, newPerson, partyId, readContactField, type PartyJson } from './person';
import { PagedResult } from './schemas';
import { open, outcomes, pending, sendWrites, step, type Pending, type PlannedWrite } from '../batch';

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

/** What a row is matched on, per the job's Match. */
function matchFields(job: ImisPushJob): string[] {
  if (job.match === 'ID') return ['ID'];
  if (job.match === 'Email+Name') return ['Email', 'FirstName', 'LastName'];
  return ['Email'];
}

/** The Party search for a row: `?email=eq:…[&firstname=eq:…&lastname=eq:…]`. */
export function partySearch(job: ImisPushJob, row: PushRow): ImisRequest {
  const p = row.payload;
  const pairs: [string, string][] = [['email', `eq:${text(p.Email)}`]];
  if (job.match === 'Email+Name') pairs.push(['firstname', `eq:${text(p.FirstName)}`], ['lastname', `eq:${text(p.LastName)}`]);
  return { method: 'GET', path: `api/Party?${queryString([...pairs, ['limit', 10]])}` };
}

/** A lookup's answer: the one party, or the outcome that ends the row here. */
export type Lookup = { party: PartyJson } | { none: true } | { outcome: RowOutcome };

const skip = (message: string, id?: string): { outcome: RowOutcome } => ({ outcome: { outcome: 'Skipped', changes: [], message, ...(id ? { id } : {}) } });
const failed = (outcome: RowOutcome): { outcome: RowOutcome } => ({ outcome });

/**
 * Reads a Party search response. `resolve` tells the coordinator what to do when several contacts
 * match (by default: enter the right iMIS ID in "<Job> ID", which is where contacts and panels keep it).
 */
export function searchResult(client: ImisClient, res: HttpResponse, what: string, job: ImisPushJob, resolve = `enter the right one in "${job.name} ID"`): Lookup {
  if (res.status !== 200) return failed(failedRow(res, what, client.base));
  const page = PagedResult.safeParse(client.json(res, what));
  if (!page.success) return failed({ outcome: 'Failed', changes: [], message: `iMIS answered ${what} in a shape this add-on does not understand.`, code: 'server' });
  const found = page.data.Items.$values.filter((p): p is PartyJson => typeof p === 'object' && p !== null);
  if (found.length === 0) return { none: true };
  if (found.length === 1) return { party: found[0]! };
  const ids = found.map(partyId).join(', ');
  return { outcome: { outcome: 'Needs review', changes: [], message: `${found.length} contacts in iMIS match (iMIS IDs ${ids}); ${resolve}` } };
}

/** A lookup that leaves the row open: the one contact it matched, or none. */
export type Found = Exclude<Lookup, { outcome: RowOutcome }>;
type Write = PlannedWrite<ImisRequest>;
/** A row whose contact is being looked up: `found` once it is, unless the lookup settled the row. */
export type ContactLookup = Pending<{ found?: Found }>;
interface ContactState {
  found?: Found;
  write?: Write;
}
type ContactPending = Pending<ContactState>;

/** How a target finds the contact of a row. */
export interface ContactFinding {
  /** The iMIS ID to read the contact by ('' means search by email, and name for Email+Name). */
  id(row: PushRow): string;
  /** Whether a 404 on that ID means "match the row afresh" rather than "no such contact". */
  rematch(row: PushRow): boolean;
  /** What to do about several matching contacts, for the Needs review message. */
  resolve?: string;
}

/**
 * Finds each open record's contact: `found` on the record (the one contact, or none), or the
 * outcome that ends the row (Needs review, an unknown iMIS ID, a failed request). A known ID is
 * read directly (GET api/Party/{id}); otherwise the Party list is searched.
 */
export function findContacts(client: ImisClient, job: ImisPushJob, records: readonly ContactLookup[], how: ContactFinding): void {
  const what = (row: PushRow) => `matching row ${row.row}`;
  const settle = (p: ContactLookup, l: Lookup) => {
    if ('outcome' in l) p.outcome = l.outcome;
    else p.found = l;
  };
  step(
    client,
    records,
    (p) => (how.id(p.row) ? { method: 'GET', path: `api/Party/${encodeURIComponent(how.id(p.row))}` } : partySearch(job, p.row)),
    (p, res) => {
      const row = p.row;
      const id = how.id(row);
      if (!id) return settle(p, searchResult(client, res, what(row), job, how.resolve));
      if (res.status === 200) return settle(p, { party: client.json(res, what(row)) as PartyJson });
      if (res.status !== 404) return settle(p, failed(failedRow(res, `reading iMIS ID ${id}`, client.base)));
      settle(p, how.rematch(row) ? { none: true } : skip(`iMIS has no contact with iMIS ID ${id}`));
    },
  );
  // A known ID that iMIS no longer has (merged or deleted): match the row afresh, never create blindly.
  step(
    client,
    records,
    (p) => (how.rematch(p.row) && p.found && 'none' in p.found ? partySearch(job, p.row) : null),
    (p, res) => settle(p, searchResult(client, res, what(p.row), job, how.resolve)),
  );
}

/** Builds a body, turning a value iMIS cannot take (e.g. "maybe" for a yes/no attribute) into a skipped row. */
function built<T>(make: () => T): { value: T } | { outcome: RowOutcome } {
  try {
    return { value: make() };
  } catch (e) {
    if (e instanceof ContactValueError) return skip(e.message);
    throw e;
  }
}

export function contactTarget(client: ImisClient, job: ImisPushJob): PushTarget {
  const needed = matchFields(job);

  const byId = (row: PushRow) => row.knownId || (job.match === 'ID' ? text(row.payload.ID) : '');
  // A remembered ID (not one the sheet maps) that iMIS no longer has means the contact was merged or deleted.
  const finding: ContactFinding = { id: byId, rematch: (row) => row.knownId !== '' && job.match !== 'ID' };

  /** What becomes of a looked-up row: an outcome now, or a write whose answer decides it. */
  function plan(row: PushRow, found: Found, preview: boolean): { outcome: RowOutcome } | { write: Write } {
    if ('none' in found) {
      if (job.mode === 'Update only') return skip('no matching contact in iMIS (Mode is Update only)');
      const person = built(() => newPerson(row.payload));
      if ('outcome' in person) return person;
      const changes = Object.keys(row.payload)
        .filter((f) => contactField(f) !== 'ID')
        .map((f) => ({ field: contactField(f), before: '', after: readContactField(person.value, f) }))
        .filter((c) => c.after !== '');
      if (preview) return { outcome: { outcome: 'Would create', changes, message: '' } };
      return { write: { planned: { outcome: 'Created', changes, message: '' }, request: { method: 'POST', path: 'api/Party', body: person.value } } };
    }
    const id = partyId(found.party);
    if (job.mode === 'Create only') return skip(`already in iMIS as iMIS ID ${id} (Mode is Create only)`, id);
    const applied = built(() => applyContactFields(found.party, row.payload));
    if ('outcome' in applied) return { outcome: { ...applied.outcome, id } };
    const { party, changes } = applied.value;
    if (changes.length === 0) return { outcome: { outcome: 'Unchanged', id, changes, message: 'iMIS already has these values' } };
    if (preview) return { outcome: { outcome: 'Would update', id, changes, message: '' } };
    return { write: { planned: { outcome: 'Updated', id, changes, message: '' }, request: { method: 'PUT', path: `api/Party/${encodeURIComponent(id)}`, body: party } } };
  }

  return {
    idName: 'iMIS ID',
    fieldName: contactField,

    prepare(fields) {
      const missing = needed.filter((f) => !fields.includes(f));
      if (missing.length > 0) {
        throw new SyncError('config', `Job "${job.name}" matches contacts on ${job.match}, but no mapping sends ${missing.join(', ')}. Add it in the Mappings tab or change Match.`);
      }
    },

    check(row) {
      const p = row.payload;
      if (!row.knownId) {
        const empty = needed.filter((f) => text(p[f]) === '');
        if (empty.length > 0) return `no ${empty.join(', ')} to match this row to a contact`;
      }
      if (p.Email !== undefined && p.Email !== null) {
        const email = applyTransform('email', p.Email);
        if (!email.ok) return `Email: ${email.reason}`;
      }
      if (p.BirthDate !== undefined && p.BirthDate !== null) {
        const date = applyTransform('date', p.BirthDate);
        if (!date.ok) return `BirthDate: ${date.reason}`;
      }
      return null;
    },

    matchKey(row) {
      if (job.match !== 'ID') return needed.map((f) => text(row.payload[f]).toLowerCase()).join(' ');
      // A row without an ID is keyed by what else it holds, never by a bare "iMIS ID ".
      const id = text(row.payload.ID);
      return id ? `iMIS ID ${id}` : text(row.payload.Email).toLowerCase();
    },

    push(rows, preview) {
      const records = pending<ContactState>(rows, () => ({}));
      findContacts(client, job, records, finding);
      for (const p of open(records)) {
        if (!p.found) continue;
        const next = plan(p.row, p.found, preview);
        if ('outcome' in next) p.outcome = next.outcome;
        else p.write = next.write;
      }
      sendWrites(
        client,
        records,
        (p, res, request) => {
          const { planned } = p.write!;
          const verb = request.method === 'POST' ? 'creating the contact' : `updating iMIS ID ${planned.id}`;
          return failedRow(res, verb, client.base, planned.changes);
        },
        (p, res) => {
          const saved = client.json(res, `saving row ${p.row.row}`) as PartyJson;
          return { ...p.write!.planned, id: partyId(saved) || p.write!.planned.id };
        },
      );
      return outcomes(records);
    },
  };
}

