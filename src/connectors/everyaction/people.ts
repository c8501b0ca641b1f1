// Pushing rows into EveryAction people. A row with a VANID updates that person
// (POST /people/{vanId}); a 404 there (merged away) falls back to findOrCreate. Any other row goes
// to findOrCreate only when it carries one of EveryAction's minimum match combinations, because
// below that threshold findOrCreate silently creates a duplicate. Opt-in follows DESIGN §5 and the
// EveryAction issue: an email is never sent as unsubscribed unless the cell says so, because
// EveryAction cannot undo it. `Identifier:<type>` fields go out as `identifiers` (identifiers.ts);
// a type the database does not know ends the job at the first write that carries it.

import type { EveryActionPushJob } from '../../core/config/types';
import { codeForStatus } from '../../core/errors';
import type { HttpResponse } from '../../core/ports';
import type { FieldValue, Payload, PushRow, PushTarget, RowOutcome } from '../../core/push/types';
import type { FieldChange } from '../../core/results';
import { applyTransform } from '../../core/transforms';
import type { EaRequest, EveryActionClient } from './client';
import { EveryActionError, everyActionMessage } from './errors';
import { CustomFieldList, MatchResponse, PersonRead } from './schemas';
import { customFieldIdOf, EVERYACTION_PEOPLE_FIELDS } from './fields';
import { closestName } from '../../core/config/suggestions';
import { open, outcomes, pending, step, type Pending } from '../batch';
import { IdentifierList, identifierField, identifierRefusal, identifiersOf, identifierTypeOf, unknownTypeMessage, type Identifier } from './identifiers';

type OptIn = 'in' | 'neutral' | 'out';

const text = (v: FieldValue | undefined) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v).trim());

/** The OptIn cell: TRUE, FALSE, blank or "Unsubscribed"; anything else is a mistake to report. */
export function optInOf(payload: Payload): OptIn | string {
  const v = payload.OptIn;
  if (v === undefined || v === null || text(v) === '') return 'neutral';
  if (v === true) return 'in';
  if (v === false) return 'neutral';
  const s = text(v).toLowerCase();
  if (['true', 'yes', 'y', '1', 'x'].includes(s)) return 'in';
  if (['false', 'no', 'n', '0'].includes(s)) return 'neutral';
  if (s === 'unsubscribed') return 'out';
  return `OptIn: "${text(v)}" is not TRUE, FALSE, blank or Unsubscribed`;
}

/** EveryAction's minimum match combinations (docs.ngpvan.com common models). */
export function matchCombination(p: Payload): string | null {
  const has = (f: string) => text(p[f]) !== '';
  const name = has('FirstName') && has('LastName');
  const zip5 = /^\d{5}/.test(text(p.ZipOrPostalCode)) || has('ZipOrPostalCode');
  const street = /^\s*\d+\s+\S+/.test(text(p.AddressLine1));
  if (has('Email')) return name ? 'name and email' : 'email';
  if (name && has('Phone')) return 'name and phone';
  if (name && zip5 && has('DateOfBirth')) return 'name, ZIP and date of birth';
  if (name && zip5 && street) return 'name, street address and ZIP';
  return null;
}

const SCALARS: Record<string, string> = {
  FirstName: 'firstName',
  MiddleName: 'middleName',
  LastName: 'lastName',
  DateOfBirth: 'dateOfBirth',
  Employer: 'employer',
  Occupation: 'occupation',
};
const ADDRESS: Record<string, string> = {
  AddressLine1: 'addressLine1',
  AddressLine2: 'addressLine2',
  City: 'city',
  StateOrProvince: 'stateOrProvince',
  ZipOrPostalCode: 'zipOrPostalCode',
  CountryCode: 'countryCode',
};
const customId = (field: string) => customFieldIdOf(field) || undefined;
const STANDARD = new Set<string>(EVERYACTION_PEOPLE_FIELDS.map((f) => f.toLowerCase()));
/** A Field that is neither a standard People field, `CustomField:<id>` nor `Identifier:<type>`: a custom field's name (the catalogue lets it through). */
const isCustomName = (field: string) => !STANDARD.has(field.toLowerCase()) && !customId(field) && identifierTypeOf(field) === null;

interface CustomDef {
  groupId: number;
  type: string;
  values: { id: number; name: string }[];
}

/** The contact custom fields by their EveryAction names, as the field pickers offer them (one request). */
export function customFieldNames(client: EveryActionClient): string[] {
  return [...new Set(loadCustomFields(client).map((f) => f.customFieldName.trim()))].filter((n) => n !== '' && !STANDARD.has(n.toLowerCase()));
}

/**
 * Why no single custom field answers to `name`, or null when one does: none has it (with the
 * closest names), or several do (then only `CustomField:<id>` says which).
 */
export function customNameProblem(name: string, list: readonly { customFieldId: number; customFieldName: string }[]): string | null {
  const same = list.filter((f) => f.customFieldName.trim().toLowerCase() === name.trim().toLowerCase());
  if (same.length === 1) return null;
  if (same.length > 1) {
    return `several EveryAction contact custom fields are named "${name}" (${same.map((f) => `CustomField:${f.customFieldId}`).join(', ')}); write the one you mean as CustomField:<id>`;
  }
  const names = [...new Set(list.map((f) => f.customFieldName.trim()))];
  const guess = closestName(name, [...EVERYACTION_PEOPLE_FIELDS, ...names]);
  const shown = names.slice(0, 12).map((n) => `"${n}"`).join(', ');
  return (
    `"${name}" is neither an EveryAction People field nor the name of one of its contact custom fields` +
    (guess === undefined ? '' : ` (did you mean "${guess}"?)`) +
    `; its custom fields are ${names.length === 0 ? 'none' : `${shown}${names.length > 12 ? `, and ${names.length - 12} more` : ''}`}`
  );
}

export function loadCustomFields(client: EveryActionClient) {
  const [res] = client.send([{ method: 'GET', path: 'customFields?customFieldsGroupType=Contacts' }]);
  if (res!.status !== 200) throw client.fail(res!, 'reading the list of custom fields');
  const list = CustomFieldList.safeParse(client.json(res!, 'reading the list of custom fields'));
  if (!list.success) throw new EveryActionError('EveryAction sent a list of custom fields this add-on does not understand.', 200);
  return list.data;
}

export function peopleTarget(client: EveryActionClient, job: EveryActionPushJob): PushTarget {
  const customs = new Map<string, CustomDef>();
  /** A custom field named in Mappings or Constants (lower-case name) → its id, learnt in prepare. */
  const byName = new Map<string, string>();
  const customKey = (field: string) => customId(field) ?? byName.get(field.toLowerCase());
  const vanIdOf = (row: PushRow) => row.knownId || text(row.payload.VANID);
  /** Identifier types EveryAction has accepted in this job (lower case): rows carrying only these need no care. */
  const knownTypes = new Set<string>();
  let whereIs: (field: string) => string = () => 'Mappings';

  function customValue(def: CustomDef, value: FieldValue): { ok: true; value: unknown } | { ok: false; reason: string } {
    switch (def.type) {
      case 'B': {
        const b = applyTransform('boolean', value);
        return b.ok ? b : { ok: false, reason: b.reason };
      }
      case 'D': {
        const d = applyTransform('date', value);
        return d.ok ? d : { ok: false, reason: d.reason };
      }
      case 'N':
      case 'M': {
        const n = applyTransform('number', value);
        return n.ok ? n : { ok: false, reason: n.reason };
      }
      case 'S': {
        const found = def.values.find((v) => String(v.id) === text(value) || v.name.toLowerCase() === text(value).toLowerCase());
        return found ? { ok: true, value: found.id } : { ok: false, reason: `"${text(value)}" is not one of ${def.values.map((v) => v.name).join(', ')}` };
      }
      default:
        return { ok: true, value: text(value) };
    }
  }

  /** The person as findOrCreate and POST /people/{vanId} take it. */
  function body(p: Payload, optIn: OptIn): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [field, key] of Object.entries(SCALARS)) {
      if (p[field] === undefined) continue;
      out[key] = field === 'DateOfBirth' && p[field] !== null ? (applyTransform('date', p[field]!) as { value: string }).value : text(p[field]);
    }
    if (text(p.Email) !== '') {
      out.emails = [{ email: text(p.Email), type: 'P', subscriptionStatus: optIn === 'in' ? 'S' : optIn === 'out' ? 'U' : 'N' }];
    }
    if (text(p.Phone) !== '') {
      const phone: Record<string, unknown> = { phoneNumber: text(p.Phone) };
      // Liberal FALSE or blank leaves the SMS status as EveryAction has it.
      if (optIn === 'in') phone.phoneOptInStatus = 'I';
      if (optIn === 'out') phone.phoneOptInStatus = 'O';
      out.phones = [phone];
    }
    const address: Record<string, string> = {};
    for (const [field, key] of Object.entries(ADDRESS)) if (p[field] !== undefined) address[key] = text(p[field]);
    if (Object.keys(address).length > 0) out.addresses = [{ ...address, type: 'Home' }];
    const values = Object.entries(p)
      .filter(([f]) => customKey(f))
      .map(([f, v]) => {
        const def = customs.get(customKey(f)!)!;
        const c = v === null ? { ok: true as const, value: null } : customValue(def, v);
        return { customFieldId: Number(customKey(f)), customFieldGroupId: def.groupId, assignedValue: c.ok ? c.value : null };
      });
    if (values.length > 0) out.customFieldValues = values;
    const identifiers = identifiersOf(p);
    if (identifiers.length > 0) out.identifiers = identifiers;
    return out;
  }

  /** What a person holds now for each field, for preview's `old → new`. */
  function current(person: PersonRead, field: string): string {
    if (SCALARS[field]) return text((person as Record<string, FieldValue>)[SCALARS[field]!]);
    if (field === 'Email') return person.emails?.find((e) => e.isPreferred)?.email ?? person.emails?.[0]?.email ?? '';
    if (field === 'Phone') return person.phones?.find((e) => e.isPreferred)?.phoneNumber ?? person.phones?.[0]?.phoneNumber ?? '';
    if (ADDRESS[field]) return text((person.addresses?.[0] as Record<string, FieldValue> | undefined)?.[ADDRESS[field]!]);
    if (field === 'OptIn') {
      const s = person.emails?.[0]?.subscriptionStatus;
      return s === 'S' ? 'TRUE' : s === 'U' ? 'Unsubscribed' : s ? 'FALSE' : '';
    }
    const type = identifierTypeOf(field);
    if (type) {
      const held = IdentifierList.safeParse(person.identifiers);
      return text(held.success ? (held.data?.find((i) => i.type.toLowerCase() === type.toLowerCase())?.externalId ?? null) : null);
    }
    const id = customKey(field);
    if (id) return text((person.customFields?.find((c) => String(c.customFieldId) === id)?.assignedValue ?? null) as FieldValue);
    return '';
  }

  function changesFor(p: Payload, person: PersonRead | null): FieldChange[] {
    return Object.entries(p)
      .filter(([f]) => f !== 'VANID')
      .map(([field, v]) => ({ field, before: person ? current(person, field) : '', after: text(v) }))
      .filter((c) => c.before !== c.after);
  }

  /** Each field sent with its new value; a blank sent by {{clear}} shows as blank. */
  function sentValues(p: Payload): FieldChange[] {
    return Object.entries(p)
      .filter(([f, v]) => f !== 'VANID' && (v === null || text(v) !== ''))
      .map(([field, v]) => ({ field, before: null, after: text(v) }));
  }
  const matched = (res: HttpResponse, what: string): number | null => {
    const m = MatchResponse.safeParse(client.json(res, what));
    const fromLocation = /\/people\/(\d+)\s*$/.exec(res.headers.location ?? '')?.[1];
    return m.success && m.data.vanId ? m.data.vanId : fromLocation ? Number(fromLocation) : null;
  };

  /**
   * Ends the job when EveryAction refused an identifier type in `res`: every row carrying it would
   * be refused the same way, so nothing after this batch is sent (the runner counts its rows as not sent).
   */
  function stopOnUnknownType(res: HttpResponse, sent: readonly Identifier[]): void {
    const refusal = identifierRefusal(res, sent);
    if (!refusal) return;
    const type = refusal.type ?? sent.find((i) => !knownTypes.has(i.type.toLowerCase()))?.type ?? null;
    throw new EveryActionError(unknownTypeMessage(type, type === null ? 'Mappings' : whereIs(identifierField(type)), refusal.said), 400, 'config');
  }

  function fail(res: HttpResponse, what: string): RowOutcome {
    const message = res.status === 400 ? `EveryAction refused it: ${everyActionMessage(res)}` : client.fail(res, what).message;
    return { outcome: 'Failed', changes: [], message, code: codeForStatus(res.status) };
  }

  function preview(rows: PushRow[]): RowOutcome[] {
    const records = pending<{ id: string | null; person?: PersonRead }>(rows, (row) => ({ id: vanIdOf(row) || null }));
    step(
      client,
      records,
      (p): EaRequest | null => (p.id ? null : { method: 'POST', path: 'people/find', body: body(p.row.payload, 'neutral') }),
      (p, res) => {
        stopOnUnknownType(res, identifiersOf(p.row.payload));
        if (res.status === 302 || res.status === 200) {
          const id = matched(res, 'looking the row up');
          // Never ask for person "null": an answer that found someone without saying who is a fault.
          if (id === null) p.outcome = { outcome: 'Failed', changes: [], message: 'EveryAction said it found this person but not which one (no VANID in its answer), so the preview cannot show the changes.', code: 'server' };
          else p.id = String(id);
        } else if (res.status !== 404) p.outcome = fail(res, 'looking the row up');
      },
    );
    step(
      client,
      records,
      (p): EaRequest | null => (p.id ? { method: 'GET', path: `people/${encodeURIComponent(p.id)}?$expand=emails,phones,addresses,customFields,externalIds` } : null),
      (p, res) => {
        if (res.status === 200) {
          const read = PersonRead.safeParse(client.json(res, 'reading the person'));
          if (read.success) p.person = read.data;
        } else if (res.status !== 404) p.outcome = fail(res, 'reading the person');
      },
    );
    for (const p of open(records)) {
      p.outcome = p.person
        ? { outcome: 'Would update', id: p.id!, changes: changesFor(p.row.payload, p.person), message: '' }
        : { outcome: 'Would create', changes: changesFor(p.row.payload, null), message: '' };
    }
    return outcomes(records);
  }

  return {
    idName: 'VANID',
    fieldName: (f) => {
      const id = customFieldIdOf(f);
      const type = identifierTypeOf(f);
      return id ? `CustomField:${id}` : type ? identifierField(type) : f.trim();
    },

    prepare(fields, where) {
      if (where) whereIs = where;
      const wanted = fields.map(customId).filter((id): id is string => Boolean(id));
      const named = fields.filter(isCustomName);
      if (wanted.length === 0 && named.length === 0) return;
      // One request for both: CustomField:<id> needs the field's group, a name needs its id.
      const list = { data: loadCustomFields(client) };
      for (const f of list.data) {
        customs.set(String(f.customFieldId), { groupId: f.customFieldGroupId, type: f.customFieldTypeId, values: (f.availableValues ?? []).map((v) => ({ id: v.id, name: v.name })) });
      }
      for (const name of named) {
        const problem = customNameProblem(name, list.data);
        if (problem) throw new EveryActionError(`${where?.(name) ?? 'Mappings'}: ${problem}.`, 400, 'config');
        const f = list.data.find((x) => x.customFieldName.trim().toLowerCase() === name.trim().toLowerCase())!;
        byName.set(name.toLowerCase(), String(f.customFieldId));
      }
      for (const id of wanted) {
        if (!customs.has(id)) {
          const known = list.data.map((f) => `${f.customFieldId} "${f.customFieldName}"`).join(', ');
          throw new EveryActionError(`${where?.(`CustomField:${id}`) ?? 'Mappings'}: EveryAction has no contact custom field ${id} (it has ${known || 'none'}).`, 400, 'config');
        }
      }
    },

    check(row) {
      const p = row.payload;
      const optIn = optInOf(p);
      if (optIn !== 'in' && optIn !== 'neutral' && optIn !== 'out') return optIn;
      if (job.mode === 'Conservative' && optIn !== 'in') return 'not opted in (Mode is Conservative: only rows whose OptIn is TRUE are sent)';
      const vanId = vanIdOf(row);
      if (vanId && !/^\d+$/.test(vanId)) return `VANID "${vanId}" is not a number`;
      if (job.match === 'VANID' && !vanId) return 'no VANID (Match is VANID: only rows that carry one are sent)';
      if (!vanId && !matchCombination(p)) {
        return 'not enough to match safely: EveryAction needs an email, or first and last name with a phone, with ZIP and date of birth, or with a street address and ZIP; without one it would create a duplicate';
      }
      if (text(p.Email) !== '') {
        const e = applyTransform('email', p.Email!);
        if (!e.ok) return `Email: ${e.reason}`;
      }
      if (text(p.DateOfBirth) !== '') {
        const d = applyTransform('date', p.DateOfBirth!);
        if (!d.ok) return `DateOfBirth: ${d.reason}`;
      }
      for (const [field, value] of Object.entries(p)) {
        const id = customKey(field);
        if (!id || value === null) continue;
        const c = customValue(customs.get(id)!, value);
        if (!c.ok) return `${field}: ${c.reason}`;
      }
      return null;
    },

    matchKey(row) {
      const p = row.payload;
      if (text(p.Email) !== '') return text(p.Email).toLowerCase();
      return [p.FirstName, p.LastName, p.Phone, p.ZipOrPostalCode, p.DateOfBirth, p.AddressLine1]
        .map((v) => text(v).toLowerCase())
        .filter((v) => v !== '')
        .join(' ');
    },

    push(rows, isPreview) {
      if (isPreview) return preview(rows);
      const send = (row: PushRow, byId: boolean): EaRequest => {
        const optIn = optInOf(row.payload) as OptIn;
        return byId
          ? { method: 'POST', path: `people/${encodeURIComponent(vanIdOf(row))}`, body: body(row.payload, optIn) }
          : { method: 'POST', path: 'people/findOrCreate', body: body(row.payload, optIn) };
      };
      // `fallback`: the VANID answered 404 and the row can still be matched on what else it holds.
      // `sent`: its first write has gone out.
      type Sent = Pending<{ fallback?: boolean; sent?: boolean }>;
      const records: Sent[] = pending(rows, () => ({}));
      const settle = (p: Sent, res: HttpResponse, byId: boolean) => {
        const row = p.row;
        const what = `saving row ${row.row}`;
        const identifiers = identifiersOf(row.payload);
        stopOnUnknownType(res, identifiers);
        if (res.status === 201 || res.status === 302 || res.status === 200) for (const i of identifiers) knownTypes.add(i.type.toLowerCase());
        // The person is not read before a write (that would double the requests), so old values are unknown.
        const changes = sentValues(row.payload);
        if (res.status === 201) {
          const id = matched(res, what);
          p.outcome = { outcome: 'Created', id: id ? String(id) : '', changes, message: '' };
        } else if (res.status === 302 || res.status === 200) {
          const id = matched(res, what) ?? Number(vanIdOf(row));
          p.outcome = { outcome: 'Updated', id: String(id), changes, message: '' };
        } else if (res.status === 404 && byId) {
          if (matchCombination(row.payload) && job.match !== 'VANID') p.fallback = true;
          else p.outcome = { outcome: 'Failed', changes: [], message: `VANID ${vanIdOf(row)} is no longer in EveryAction (merged or deleted), and the row has nothing else to match on`, code: 'not_found' };
        } else p.outcome = fail(res, what);
      };
      const first = (p: Sent): EaRequest => {
        p.sent = true;
        return send(p.row, Boolean(vanIdOf(p.row)));
      };
      // Rows carrying an identifier type EveryAction has not yet accepted go first, on their own:
      // if it does not know the type, all of them are refused and nobody in the batch is written.
      // Once accepted (normally by the job's first batch) this step sends nothing.
      const untried = (p: Sent) => identifiersOf(p.row.payload).some((i) => !knownTypes.has(i.type.toLowerCase()));
      step(client, records, (p) => (untried(p) ? first(p) : null), (p, res) => settle(p, res, Boolean(vanIdOf(p.row))));
      step(client, records, (p) => (p.sent ? null : first(p)), (p, res) => settle(p, res, Boolean(vanIdOf(p.row))));
      // A VANID merged away: findOrCreate on what else the row holds.
      step(
        client,
        records,
        (p) => (p.fallback ? send(p.row, false) : null),
        (p, res) => settle(p, res, false),
      );
      return outcomes(records);
    },
  };
}
