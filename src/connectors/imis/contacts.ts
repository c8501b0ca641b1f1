// Pushing rows into iMIS contacts (Target = Contact). Each batch is matched first — a known iMIS
// ID is read directly, otherwise the Party list is searched by email (and name) — then written:
// one match → the full party is changed where the sheet maps it and PUT back whole (iMIS replaces
// the object on PUT); none → a new PersonData is POSTed; several → Needs review, nothing written.

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

/** Reads a Party search response. */
export function searchResult(client: ImisClient, res: HttpResponse, what: string, job: ImisPushJob): Lookup {
  if (res.status !== 200) return failed(failedRow(res, what, client.base));
  const page = PagedResult.safeParse(client.json(res, what));
  if (!page.success) return failed({ outcome: 'Failed', changes: [], message: `iMIS answered ${what} in a shape this add-on does not understand.`, code: 'server' });
  const found = page.data.Items.$values.filter((p): p is PartyJson => typeof p === 'object' && p !== null);
  if (found.length === 0) return { none: true };
  if (found.length === 1) return { party: found[0]! };
  const ids = found.map(partyId).join(', ');
  return { outcome: { outcome: 'Needs review', changes: [], message: `${found.length} contacts in iMIS match (iMIS IDs ${ids}); enter the right one in "${job.name} ID"` } };
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
  const what = (row: PushRow) => `matching row ${row.row}`;

  function lookup(rows: PushRow[]): Lookup[] {
    const byId = (row: PushRow) => row.knownId || (job.match === 'ID' ? text(row.payload.ID) : '');
    const requests = rows.map((row): ImisRequest => (byId(row) ? { method: 'GET', path: `api/Party/${encodeURIComponent(byId(row))}` } : partySearch(job, row)));
    const responses = client.send(requests);
    const results: Lookup[] = responses.map((res, i) => {
      const row = rows[i]!;
      const id = byId(row);
      if (!id) return searchResult(client, res, what(row), job);
      if (res.status === 200) return { party: client.json(res, what(row)) as PartyJson };
      if (res.status !== 404) return failed(failedRow(res, `reading iMIS ID ${id}`, client.base));
      return row.knownId && job.match !== 'ID' ? { none: true } : skip(`iMIS has no contact with iMIS ID ${id}`);
    });
    // A known ID that iMIS no longer has (merged or deleted): match the row afresh, never create blindly.
    const again = rows.map((row, i) => (row.knownId && job.match !== 'ID' && 'none' in results[i]! ? i : -1)).filter((i) => i >= 0);
    if (again.length > 0) {
      const retry = client.send(again.map((i) => partySearch(job, rows[i]!)));
      again.forEach((i, k) => (results[i] = searchResult(client, retry[k]!, what(rows[i]!), job)));
    }
    return results;
  }

  return {
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
      const found = lookup(rows);
      const outcomes: (RowOutcome | null)[] = new Array(rows.length).fill(null);
      const writes: { i: number; request: ImisRequest }[] = [];
      rows.forEach((row, i) => {
        const l = found[i]!;
        if ('outcome' in l) return (outcomes[i] = l.outcome);
        if ('none' in l) {
          if (job.mode === 'Update only') return (outcomes[i] = skip('no matching contact in iMIS (Mode is Update only)').outcome);
          const person = built(() => newPerson(row.payload));
          if ('outcome' in person) return (outcomes[i] = person.outcome);
          const changes = Object.keys(row.payload)
            .filter((f) => contactField(f) !== 'ID')
            .map((f) => ({ field: contactField(f), before: '', after: readContactField(person.value, f) }))
            .filter((c) => c.after !== '');
          if (preview) return (outcomes[i] = { outcome: 'Would create', changes, message: '' });
          outcomes[i] = { outcome: 'Created', changes, message: '' };
          return writes.push({ i, request: { method: 'POST', path: 'api/Party', body: person.value } });
        }
        const id = partyId(l.party);
        if (job.mode === 'Create only') return (outcomes[i] = skip(`already in iMIS as iMIS ID ${id} (Mode is Create only)`, id).outcome);
        const applied = built(() => applyContactFields(l.party, row.payload));
        if ('outcome' in applied) return (outcomes[i] = { ...applied.outcome, id });
        const { party, changes } = applied.value;
        if (changes.length === 0) return (outcomes[i] = { outcome: 'Unchanged', id, changes, message: 'iMIS already has these values' });
        outcomes[i] = { outcome: preview ? 'Would update' : 'Updated', id, changes, message: '' };
        if (!preview) writes.push({ i, request: { method: 'PUT', path: `api/Party/${encodeURIComponent(id)}`, body: party } });
      });
      const responses = client.send(writes.map((w) => w.request));
      writes.forEach(({ i, request }, k) => {
        const res = responses[k]!;
        const planned = outcomes[i]!;
        if (res.status === 200 || res.status === 201) {
          const saved = client.json(res, `saving row ${rows[i]!.row}`) as PartyJson;
          outcomes[i] = { ...planned, id: partyId(saved) || planned.id };
          return;
        }
        const verb = request.method === 'POST' ? 'creating the contact' : `updating iMIS ID ${planned.id}`;
        outcomes[i] = failedRow(res, verb, client.base, planned.changes);
      });
      return outcomes.map((o) => o!);
    },
  };
}

