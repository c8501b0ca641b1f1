// Changed-entity export jobs (research §5): POST a window, poll until Complete, download the CSV from
// a link on another host without VAN credentials. The file holds the current version of every person
// changed in the window — by this API key (unless excludeChangesFromSelf) or by staff in EveryAction.

import type { HttpResponse } from '../../core/ports';
import { exportValueText, type CustomFieldDefinition } from './custom-fields';
import { addressSlots, bestPhone, preferredEmail, type PersonStore, type StoredPerson } from './people';
import { errors, invalid, isoSeconds, json, type ApiError, type JsonObject, type JsonValue } from './wire';

/** GET /changedEntityExportJobs/resources (the daisychain fixture's list). Only Contacts holds data here. */
export const CHANGED_ENTITY_RESOURCES = ['ContactHistory', 'Contacts', 'ContactsActivistCodes', 'Contributions', 'Disbursements'] as const;

interface ExportField {
  fieldName: string;
  fieldType: 'N' | 'T' | 'D' | 'B';
  maxTextboxCharacters: number | null;
  isCoreField: boolean;
  value: (p: StoredPerson) => string | number | null;
}

const email = (p: StoredPerson) => preferredEmail(p);
/** The words a phone's opt-in reads back as (van-openapi PersonPhone; the person fixtures). */
const SMS_OPT_IN_WORDS = { I: 'Opt-In', U: 'Unknown', O: 'Opt-Out' } as const;
const smsOptIn = (p: StoredPerson) => {
  const phone = bestPhone(p);
  return phone ? SMS_OPT_IN_WORDS[phone.phoneOptInStatus] : null;
};
const home = (p: StoredPerson) => {
  const slots = addressSlots(p);
  return slots.voting ?? slots.mailing;
};

/**
 * The Contacts columns. The real column names are not public: these follow the VanID spelling of the
 * Parsons and daisychain fixtures and the API's own field names (a guess). Core columns always come;
 * the others only when named in requestedFields. The two opt-in statuses are written as the person
 * record reads them back (research §3): the email's subscriptionStatus as its letter S, N or U, the
 * phone's opt-in in words, Opt-In, Unknown or Opt-Out; blank for a person without one.
 */
const CONTACT_FIELDS: readonly ExportField[] = [
  { fieldName: 'VanID', fieldType: 'N', maxTextboxCharacters: null, isCoreField: true, value: (p) => p.vanId },
  { fieldName: 'FirstName', fieldType: 'T', maxTextboxCharacters: 50, isCoreField: true, value: (p) => p.firstName },
  { fieldName: 'LastName', fieldType: 'T', maxTextboxCharacters: 50, isCoreField: true, value: (p) => p.lastName },
  { fieldName: 'MiddleName', fieldType: 'T', maxTextboxCharacters: 50, isCoreField: true, value: (p) => p.middleName },
  { fieldName: 'Email', fieldType: 'T', maxTextboxCharacters: 255, isCoreField: true, value: (p) => email(p)?.email ?? null },
  { fieldName: 'Phone', fieldType: 'T', maxTextboxCharacters: 20, isCoreField: true, value: (p) => bestPhone(p)?.phoneNumber ?? null },
  { fieldName: 'AddressLine1', fieldType: 'T', maxTextboxCharacters: 100, isCoreField: true, value: (p) => home(p)?.addressLine1 ?? null },
  { fieldName: 'City', fieldType: 'T', maxTextboxCharacters: 50, isCoreField: true, value: (p) => home(p)?.city ?? null },
  { fieldName: 'StateOrProvince', fieldType: 'T', maxTextboxCharacters: 3, isCoreField: true, value: (p) => home(p)?.stateOrProvince ?? null },
  { fieldName: 'ZipOrPostalCode', fieldType: 'T', maxTextboxCharacters: 12, isCoreField: true, value: (p) => home(p)?.zipOrPostalCode ?? null },
  { fieldName: 'CountryCode', fieldType: 'T', maxTextboxCharacters: 2, isCoreField: true, value: (p) => home(p)?.countryCode ?? null },
  { fieldName: 'DateOfBirth', fieldType: 'D', maxTextboxCharacters: null, isCoreField: true, value: (p) => p.dateOfBirth },
  { fieldName: 'Employer', fieldType: 'T', maxTextboxCharacters: 100, isCoreField: true, value: (p) => p.employer },
  { fieldName: 'Occupation', fieldType: 'T', maxTextboxCharacters: 100, isCoreField: true, value: (p) => p.occupation },
  { fieldName: 'DateCreated', fieldType: 'D', maxTextboxCharacters: null, isCoreField: true, value: (p) => isoSeconds(p.dateCreated) },
  { fieldName: 'DateModified', fieldType: 'D', maxTextboxCharacters: null, isCoreField: true, value: (p) => isoSeconds(p.dateModified) },
  { fieldName: 'Suffix', fieldType: 'T', maxTextboxCharacters: 10, isCoreField: false, value: (p) => p.suffix },
  { fieldName: 'Title', fieldType: 'T', maxTextboxCharacters: 20, isCoreField: false, value: (p) => p.title },
  { fieldName: 'Sex', fieldType: 'T', maxTextboxCharacters: 1, isCoreField: false, value: (p) => p.sex },
  { fieldName: 'AddressLine2', fieldType: 'T', maxTextboxCharacters: 100, isCoreField: false, value: (p) => home(p)?.addressLine2 ?? null },
  { fieldName: 'AddressLine3', fieldType: 'T', maxTextboxCharacters: 100, isCoreField: false, value: (p) => home(p)?.addressLine3 ?? null },
  { fieldName: 'EmailSubscriptionStatus', fieldType: 'T', maxTextboxCharacters: 1, isCoreField: false, value: (p) => email(p)?.subscriptionStatus ?? null },
  { fieldName: 'PhoneOptInStatus', fieldType: 'T', maxTextboxCharacters: 10, isCoreField: false, value: (p) => smsOptIn(p) },
];

/** GET /changedEntityExportJobs/fields/{resourceType}, in the shape of Parsons' recorded-looking mock. */
export function resourceFields(resourceType: string): JsonValue | null {
  const resource = CHANGED_ENTITY_RESOURCES.find((r) => r.toLowerCase() === resourceType.toLowerCase());
  if (!resource) return null;
  // Only Contacts is simulated; the others expose their key column so a client can still list them.
  const fields = resource === 'Contacts' ? CONTACT_FIELDS : [{ fieldName: 'VanID', fieldType: 'N' as const, maxTextboxCharacters: null, isCoreField: true }];
  return fields.map((f) => ({ fieldName: f.fieldName, fieldType: f.fieldType, maxTextboxCharacters: f.maxTextboxCharacters, isCoreField: f.isCoreField, availableValues: null }));
}

/** RFC 4180: quote a value holding a comma, quote or line break; double the quotes inside. */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const DAY = 86_400_000;
/** Download links live 20 days in one docs page and 24 hours in another; Parsons' mock shows ~3 weeks. */
const FILE_LIFETIME_MS = 20 * DAY;
const WINDOW_MS = 90 * DAY;

interface ExportRequest {
  resourceType: (typeof CHANGED_ENTITY_RESOURCES)[number];
  from: number;
  to: number;
  requestedFields: string[] | null;
  requestedCustomFieldIds: number[] | null;
  requestedIds: number[] | null;
  fileSizeKbLimit: number;
  includeInactive: boolean;
  excludeChangesFromSelf: boolean;
  contactMode: 1 | 2 | 3 | null;
}

interface ExportJob {
  id: number;
  request: ExportRequest;
  polls: number;
  complete: { files: { name: string; dateExpired: number }[]; count: number } | null;
}

export interface ExportDeps {
  now: () => number;
  people: PersonStore;
  fields: ReadonlyMap<number, CustomFieldDefinition>;
  filesBaseUrl: () => string;
  exportPolls: number;
}

/**
 * A date as VAN takes it: ISO date-time with Z or an offset, or a bare date (read as UTC midnight
 * here; VAN itself seems to read it in US Eastern time, going by Parsons' mock).
 */
function parseInstant(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(v.trim());
  if (!m) return null;
  const zone = (m[3] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const t = Date.parse(m[2] === undefined ? `${m[1]}T00:00:00Z` : `${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(t) ? null : t;
}

function intList(v: unknown): number[] | null | 'invalid' {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x))) return 'invalid';
  return v as number[];
}

export class ExportJobs {
  private readonly jobs = new Map<number, ExportJob>();
  private readonly fileStore = new Map<string, { body: string; expires: number }>();
  private nextId = 2170181230;

  constructor(private readonly deps: ExportDeps) {}

  /** POST /changedEntityExportJobs. Refusal wordings are guesses; none is public. */
  create(body: JsonObject): HttpResponse {
    const now = this.deps.now();
    const problems: ApiError[] = [];

    const from = parseInstant(body['dateChangedFrom']);
    if (body['dateChangedFrom'] === undefined || body['dateChangedFrom'] === null) problems.push(invalid("'dateChangedFrom' is required.", 'dateChangedFrom'));
    else if (from === null) problems.push(invalid("'dateChangedFrom' is not a valid date.", 'dateChangedFrom', 'YYYY-MM-DDThh:mm:ss.00Z'));
    else if (from < now - WINDOW_MS) problems.push(invalid("'dateChangedFrom' must be within the last 90 days.", 'dateChangedFrom'));
    else if (from > now) problems.push(invalid("'dateChangedFrom' cannot be in the future.", 'dateChangedFrom'));

    let to = now;
    if (body['dateChangedTo'] !== undefined && body['dateChangedTo'] !== null) {
      const parsed = parseInstant(body['dateChangedTo']);
      if (parsed === null) problems.push(invalid("'dateChangedTo' is not a valid date.", 'dateChangedTo', 'YYYY-MM-DDThh:mm:ss.00Z'));
      else if (parsed > now) problems.push(invalid("'dateChangedTo' cannot be in the future.", 'dateChangedTo'));
      else if (from !== null && parsed < from) problems.push(invalid("'dateChangedTo' must be later than 'dateChangedFrom'.", 'dateChangedTo'));
      else to = parsed;
    }

    const resourceName = typeof body['resourceType'] === 'string' ? body['resourceType'] : '';
    const resourceType = CHANGED_ENTITY_RESOURCES.find((r) => r.toLowerCase() === resourceName.toLowerCase());
    if (!resourceType) {
      problems.push(invalid(`'${resourceName}' is not a valid resourceType.`, 'resourceType', `The valid resource types are: ${CHANGED_ENTITY_RESOURCES.map((r) => `'${r}'`).join(', ')}`));
    }

    let requestedFields: string[] | null = null;
    const rawFields = body['requestedFields'];
    if (rawFields !== undefined && rawFields !== null) {
      if (!Array.isArray(rawFields) || rawFields.some((f) => typeof f !== 'string')) problems.push(invalid("'requestedFields' must be a list of field names.", 'requestedFields'));
      else if (resourceType) {
        const known = ((resourceFields(resourceType) ?? []) as JsonObject[]).map((f) => String(f['fieldName']));
        requestedFields = [];
        (rawFields as string[]).forEach((name, i) => {
          const hit = known.find((k) => k.toLowerCase() === name.toLowerCase());
          if (hit) requestedFields!.push(hit);
          else problems.push(invalid(`'${name}' is not a valid field for resource type '${resourceType}'.`, `requestedFields[${i}]`));
        });
      }
    }

    const customIds = intList(body['requestedCustomFieldIds']);
    if (customIds === 'invalid') problems.push(invalid("'requestedCustomFieldIds' must be a list of custom field ids.", 'requestedCustomFieldIds'));
    else for (const [i, id] of (customIds ?? []).entries()) {
      if (!this.deps.fields.has(id)) problems.push(invalid(`Custom field ${id} does not exist.`, `requestedCustomFieldIds[${i}]`));
    }

    const ids = intList(body['requestedIds']);
    if (ids === 'invalid') problems.push(invalid("'requestedIds' must be a list of ids.", 'requestedIds'));

    let fileSizeKbLimit = 40000;
    const rawLimit = body['fileSizeKbLimit'];
    if (rawLimit !== undefined && rawLimit !== null) {
      if (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 1000 || rawLimit > 100000) {
        problems.push(invalid("'fileSizeKbLimit' must be between 1000 and 100000.", 'fileSizeKbLimit'));
      } else fileSizeKbLimit = rawLimit;
    }

    const flag = (name: string): boolean => {
      const v = body[name];
      if (v === undefined || v === null) return false;
      if (typeof v !== 'boolean') problems.push(invalid(`'${name}' must be true or false.`, name));
      return v === true;
    };
    const includeInactive = flag('includeInactive');
    const excludeChangesFromSelf = flag('excludeChangesFromSelf');

    let contactMode: 1 | 2 | 3 | null = null;
    const rawMode = body['contactMode'];
    if (rawMode !== undefined && rawMode !== null) {
      const byName: Record<string, 1 | 2 | 3> = { person: 1, organization: 2, personandorganization: 3, both: 3 };
      const m = typeof rawMode === 'number' ? rawMode : byName[String(rawMode).toLowerCase()] ?? Number(rawMode);
      if (m === 1 || m === 2 || m === 3) contactMode = m;
      else problems.push(invalid("'contactMode' must be 1 (Person), 2 (Organization) or 3 (both).", 'contactMode'));
    }

    if (problems.length > 0 || !resourceType || from === null) return errors(400, problems);

    const job: ExportJob = {
      id: this.nextId++,
      request: {
        resourceType, from, to, requestedFields, requestedCustomFieldIds: customIds === 'invalid' ? null : customIds,
        requestedIds: ids === 'invalid' ? null : ids, fileSizeKbLimit, includeInactive, excludeChangesFromSelf, contactMode,
      },
      polls: 0,
      complete: null,
    };
    this.jobs.set(job.id, job);
    const r = job.request;
    // 201 with the accepted properties (docs) plus the status fields Parsons' mock shows.
    return json(201, {
      exportJobId: job.id,
      dateChangedFrom: isoSeconds(r.from),
      dateChangedTo: isoSeconds(r.to),
      resourceType: r.resourceType,
      requestedIds: r.requestedIds,
      requestedCustomFieldIds: r.requestedCustomFieldIds,
      requestedFields: r.requestedFields,
      excludeChangesFromSelf: r.excludeChangesFromSelf,
      includeInactive: r.includeInactive,
      fileSizeKbLimit: r.fileSizeKbLimit,
      contactMode: r.contactMode,
      files: [],
      jobStatus: 'Pending',
      message: 'Created export job',
      code: null,
      exportedRecordCount: 0,
    });
  }

  /** GET /changedEntityExportJobs/{id}: Pending/InProcess for `exportPolls` polls, then Complete. */
  poll(id: number): HttpResponse | null {
    const job = this.jobs.get(id);
    if (!job) return null;
    job.polls += 1;
    let jobStatus = 'Complete';
    if (job.polls <= this.deps.exportPolls) jobStatus = job.polls === 1 ? 'Pending' : 'InProcess';
    else if (!job.complete) job.complete = this.run(job);
    const base = this.deps.filesBaseUrl();
    return json(200, {
      exportJobId: job.id,
      jobStatus,
      dateChangedFrom: isoSeconds(job.request.from),
      dateChangedTo: isoSeconds(job.request.to),
      files: job.complete && jobStatus === 'Complete' ? job.complete.files.map((f) => ({ downloadUrl: `${base}${f.name}`, dateExpired: isoSeconds(f.dateExpired) })) : [],
      // Parsons' mock (which looks recorded) carries these messages; the synthetic daisychain one has null.
      message: jobStatus === 'Complete' ? 'Finished processing export job' : 'Created export job',
      code: null,
      exportedRecordCount: job.complete && jobStatus === 'Complete' ? job.complete.count : 0,
    });
  }

  /** A download by file name ('2170181230.csv'); null when no such file, 'expired' past its date. */
  file(name: string): { body: string } | 'expired' | null {
    const f = this.fileStore.get(name);
    if (!f) return null;
    return this.deps.now() > f.expires ? 'expired' : { body: f.body };
  }

  /** The people a job exports: changed in the window (by staff, or by this key unless excluded), current values. */
  private run(job: ExportJob): NonNullable<ExportJob['complete']> {
    const r = job.request;
    const rows: string[] = [];
    let header: string[] = ['VanID'];
    let count = 0;
    if (r.resourceType === 'Contacts') {
      const extra = new Set((r.requestedFields ?? []).map((f) => f.toLowerCase()));
      const columns = CONTACT_FIELDS.filter((f) => f.isCoreField || extra.has(f.fieldName.toLowerCase()));
      const customIds = r.requestedCustomFieldIds ?? [];
      // CF<id> follows Parsons' bulk-import column naming; the export's own naming is not public (a guess).
      header = [...columns.map((c) => c.fieldName), ...customIds.map((id) => `CF${id}`)];
      const people = this.deps.people.all().filter((p) => {
        if (r.requestedIds && r.requestedIds.length > 0 && !r.requestedIds.includes(p.vanId)) return false;
        if (r.contactMode === 1 && p.contactMode !== 'Person') return false;
        if (r.contactMode === 2 && p.contactMode !== 'Organization') return false;
        return p.changes.some((c) => c.at >= r.from && c.at <= r.to && !(r.excludeChangesFromSelf && c.bySelf));
      });
      for (const p of people) {
        const cells = columns.map((c) => c.value(p));
        for (const id of customIds) {
          const v = p.customFieldValues.find((x) => x.customFieldId === id);
          cells.push(v ? exportValueText(this.deps.fields.get(id), v.value) : null);
        }
        rows.push(cells.map(csvCell).join(','));
      }
      count = people.length;
    }
    // One file, whatever fileSizeKbLimit says: the demo never nears the 1,000 KB minimum.
    const name = `${job.id}.csv`;
    const body = [header.map(csvCell).join(','), ...rows].map((line) => `${line}\r\n`).join('');
    const expires = this.deps.now() + FILE_LIFETIME_MS;
    this.fileStore.set(name, { body, expires });
    return { files: [{ name, dateExpired: expires }], count };
  }
}
