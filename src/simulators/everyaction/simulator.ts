// A bundled EveryAction (NGP VAN API v4) committee: a synchronous request → response function with
// its own people, custom fields, export jobs and injected faults, answering /echoes, /people/find,
// /people/findOrCreate, GET and POST /people/{vanId}, /customFields and /changedEntityExportJobs in
// the wire format of the recorded sandbox traffic — 302 on a match, silent duplicates below the
// match threshold, appended contact methods, terminal unsubscribes, 429 with the wait in the text.
// A second handler serves the export files, as the blob host beside VAN does, without credentials.

import type { HttpRequest, HttpResponse } from '../../core/ports';
import type { Handler } from '../router';
import { customFieldWire, DEMO_CUSTOM_FIELDS, type CustomFieldDefinition } from './custom-fields';
import { CHANGED_ENTITY_RESOURCES, ExportJobs, resourceFields } from './exports';
import { EveryActionFaultPlan, INTERNAL_ERROR, type EveryActionFaults } from './faults';
import { criteriaOf, findMatch } from './matching';
import { blankPerson, EXPAND_SECTIONS, personWire, PersonStore, type ExpandSection, type StoredPerson } from './people';
import { basicCredentials, header, int32Segment, int64Segment, jsonBody, splitUrl } from './request';
import { seedPeople } from './seed';
import {
  cloneJson, errors, iisNotFound, json, matchStub, methodNotAllowed, notFound, unauthorized, unmatched, vanTimestamp, type JsonObject,
} from './wire';
import { applyWrite, parsePersonInput, type PersonWrite } from './writes';

export interface EveryActionSimulatorOptions {
  /** The application name (Basic username); default 'SheetsSyncDemo'. */
  applicationName?: string;
  /** The API key (Basic password before the '|'); default 'demo-api-key'. */
  apiKey?: string;
  /** The database mode the key is issued for: 1 = My Campaign (default), 0 = My Voters / VoterFile. */
  mode?: 0 | 1;
  /** ms clock, default Date.now. */
  now?: () => number;
  /** Absolute base of export download links, ending in '/'; default 'http://files.everyaction.invalid/'. */
  filesBaseUrl?: string;
  /** Absolute base the Location headers point into, ending in '/'; default 'http://api.everyaction.invalid/everyaction/v4/'. */
  apiBaseUrl?: string;
  /** GET polls an export job answers Pending/InProcess before Complete; default 1. */
  exportPolls?: number;
  /** Seeded people (100000001…); default 40. */
  seedPeople?: number;
}

export const DEFAULT_APPLICATION_NAME = 'SheetsSyncDemo';
export const DEFAULT_API_KEY = 'demo-api-key';
export const DEFAULT_FILES_BASE_URL = 'http://files.everyaction.invalid/';
export const DEFAULT_API_BASE_URL = 'http://api.everyaction.invalid/everyaction/v4/';

export interface RecordedRequest {
  method: string;
  /** Relative to the mount, query string included: '/people/findOrCreate', '/2170181230.csv'. */
  path: string;
  at: number;
  /** The Authorization header as received, when there was one. */
  authorization?: string;
}

const EXPAND_HINT = `The only valid expand sections are: ${EXPAND_SECTIONS.map((s) => `'${s}'`).join(', ')}`;

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

type Route = { run: () => HttpResponse } | { early: HttpResponse };

export class EveryActionSimulator {
  /** Every API request received, faulted and refused ones too. */
  readonly requests: RecordedRequest[] = [];
  /** Every request to the export file host (`files`). */
  readonly downloads: RecordedRequest[] = [];
  readonly handle: Handler;
  readonly files: Handler;
  /** Settable: the loopback server points it at itself once its port is known. */
  filesBaseUrl: string;
  /** Settable, like filesBaseUrl: where Location headers point. */
  apiBaseUrl: string;

  private readonly applicationName: string;
  private readonly apiKey: string;
  private readonly mode: 0 | 1;
  private readonly now: () => number;
  private readonly faultPlan = new EveryActionFaultPlan();
  private readonly store = new PersonStore();
  private readonly fieldDefs: ReadonlyMap<number, CustomFieldDefinition>;
  private readonly jobs: ExportJobs;

  constructor(options: EveryActionSimulatorOptions = {}) {
    this.applicationName = options.applicationName ?? DEFAULT_APPLICATION_NAME;
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.mode = options.mode ?? 1;
    this.now = options.now ?? Date.now;
    this.filesBaseUrl = withSlash(options.filesBaseUrl ?? DEFAULT_FILES_BASE_URL);
    this.apiBaseUrl = withSlash(options.apiBaseUrl ?? DEFAULT_API_BASE_URL);
    this.fieldDefs = new Map(DEMO_CUSTOM_FIELDS.map((f) => [f.customFieldId, f]));
    seedPeople(this.store, this.fieldDefs, options.seedPeople ?? 40, this.now());
    this.jobs = new ExportJobs({
      now: this.now,
      people: this.store,
      fields: this.fieldDefs,
      filesBaseUrl: () => withSlash(this.filesBaseUrl),
      exportPolls: options.exportPolls ?? 1,
    });
    this.handle = (req) => this.respond(req);
    this.files = (req) => this.download(req);
  }

  /** Fault injection; counts API requests only (not downloads). */
  get faults(): EveryActionFaults {
    return this.faultPlan;
  }

  /** A copy of the stored person (every email, phone and address, custom field values, change log), or undefined. */
  person(vanId: number): StoredPerson | undefined {
    const p = this.store.get(vanId);
    return p ? cloneJson(p) : undefined;
  }

  /** Copies of every person, in VAN ID order. */
  people(): StoredPerson[] {
    return this.store.all().map((p) => cloneJson(p));
  }

  /**
   * A change made inside EveryAction by a staff user, not through the API: `changes` is a person
   * payload as the API takes it (scalars, emails, phones, customFieldValues…). The person counts as
   * changed now even when nothing differs, and shows up in changed-entity exports, including those
   * with excludeChangesFromSelf. Throws on an unknown VAN ID or a payload the API would refuse.
   */
  touch(vanId: number, changes: object): void {
    const p = this.store.get(vanId);
    if (!p) throw new Error(`The simulator has no person ${vanId}.`);
    const parsed = parsePersonInput(changes as JsonObject, this.fieldDefs);
    if (!('write' in parsed)) throw new Error(`The simulator refused the change: ${parsed.errors.map((e) => e.text).join(' ')}`);
    const at = this.now();
    applyWrite(p, parsed.write, at, this.store);
    p.changes.push({ at, bySelf: false });
    p.dateModified = at;
  }

  /** Copies of the custom field definitions, as GET /customFields gives them. */
  customFields(): CustomFieldDefinition[] {
    return [...this.fieldDefs.values()].map((f) => cloneJson(f));
  }

  // ---- the API ----

  private respond(req: HttpRequest): HttpResponse {
    const authorization = header(req, 'authorization');
    this.requests.push({ method: req.method, path: req.url, at: this.now(), ...(authorization !== undefined ? { authorization } : {}) });
    const fault = this.faultPlan.take(this.requests.length, req.url);
    if (fault) return fault;

    const route = this.route(req);
    // Routing comes before authentication: a path no route matches is a 404 even without a key
    // (IIS answers non-integer ids itself; for unknown paths this order is a guess).
    if ('early' in route) return route.early;
    if (!this.authorized(req)) return unauthorized();
    return route.run();
  }

  private authorized(req: HttpRequest): boolean {
    const creds = basicCredentials(req);
    if (!creds || creds.username !== this.applicationName) return false;
    const bar = creds.password.lastIndexOf('|');
    if (bar < 0) return false;
    return creds.password.slice(0, bar) === this.apiKey && creds.password.slice(bar + 1) === String(this.mode);
  }

  private route(req: HttpRequest): Route {
    const url = splitUrl(req.url);
    const segments = url.path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    const lower = segments.map((s) => s.toLowerCase());
    const only = (method: HttpRequest['method'], run: () => HttpResponse): Route =>
      req.method === method ? { run } : { early: methodNotAllowed(req.method) };
    const [first, second, third] = lower;

    if (first === 'echoes' && segments.length === 1) return only('POST', () => this.echo(req));

    if (first === 'people' && segments.length === 2) {
      if (second === 'find') return only('POST', () => this.find(req));
      if (second === 'findorcreate') return only('POST', () => this.findOrCreate(req));
      const id = int32Segment(segments[1] ?? '');
      if (id === null) return { early: iisNotFound() };
      if (req.method === 'GET') return { run: () => this.getPerson(id, url.param('$expand')) };
      return only('POST', () => this.updatePerson(req, id));
    }

    if (first === 'customfields') {
      if (segments.length === 1) return only('GET', () => this.listCustomFields(url.param('customFieldsGroupType')));
      if (segments.length === 2) {
        const id = int32Segment(segments[1] ?? '');
        if (id === null) return { early: iisNotFound() };
        return only('GET', () => {
          const def = this.fieldDefs.get(id);
          return def ? json(200, customFieldWire(def)) : notFound();
        });
      }
    }

    if (first === 'changedentityexportjobs') {
      if (segments.length === 1) return only('POST', () => this.createExportJob(req));
      if (segments.length === 2 && second === 'resources') return only('GET', () => json(200, [...CHANGED_ENTITY_RESOURCES]));
      if (segments.length === 3 && second === 'fields' && third !== undefined) {
        const resource = segments[2] ?? '';
        return only('GET', () => {
          const fields = resourceFields(resource);
          return fields ? json(200, fields) : notFound();
        });
      }
      if (segments.length === 2) {
        const id = int64Segment(segments[1] ?? '');
        if (id === null) return { early: iisNotFound() };
        return only('GET', () => this.jobs.poll(id) ?? notFound());
      }
    }

    return { early: notFound() };
  }

  private location(vanId: number): string {
    return `${this.apiBaseUrl}people/${vanId}`;
  }

  /** POST /echoes: the message back, stamped with the server's clock; an empty body is fine. */
  private echo(req: HttpRequest): HttpResponse {
    const parsed = jsonBody(req, { emptyIsObject: true });
    if ('error' in parsed) return parsed.error;
    const message = parsed.body['message'];
    return json(200, { message: message === undefined ? null : message, dateSent: vanTimestamp(this.now()), delayInMilliseconds: null });
  }

  private parsePerson(req: HttpRequest): { write: PersonWrite } | { error: HttpResponse } {
    const parsed = jsonBody(req);
    if ('error' in parsed) return parsed;
    const checked = parsePersonInput(parsed.body, this.fieldDefs);
    if ('write' in checked) return checked;
    // A null entry in a contact-method list crashes VAN (recorded for phones): a 500 with a reference code.
    if (checked.status === 500) return { error: errors(500, [{ ...INTERNAL_ERROR, referenceCode: this.faultPlan.referenceCode() }]) };
    return { error: errors(400, checked.errors) };
  }

  /** Applies an API write; only a write that changes something counts as a change (a guess). */
  private write(p: StoredPerson, w: PersonWrite): void {
    const at = this.now();
    if (applyWrite(p, w, at, this.store)) {
      p.changes.push({ at, bySelf: true });
      p.dateModified = at;
    }
  }

  /** POST /people/find: 302 + Location + match stub, or a 404 match stub. Never writes. */
  private find(req: HttpRequest): HttpResponse {
    const parsed = this.parsePerson(req);
    if ('error' in parsed) return parsed.error;
    const w = parsed.write;
    // A vanId wins over every other criterion, which are not even checked (van-openapi). An unknown
    // one answers Unmatched here (a guess; find with vanId 0 is a 500 in the sandbox, not modelled).
    if (w.vanId !== null) {
      const byId = this.store.get(w.vanId);
      return byId ? matchStub(302, byId.vanId, this.location(byId.vanId)) : unmatched();
    }
    const hit = findMatch(this.store.all(), criteriaOf(w));
    return hit ? matchStub(302, hit.vanId, this.location(hit.vanId)) : unmatched();
  }

  /**
   * POST /people/findOrCreate. On a match the person is updated with the payload: the docs say so
   * ("If a person is found, it is updated with the information provided"); the one recording shows
   * "nothing is written" but only with a payload identical to the record (research §8.1). Below the
   * match threshold nothing is searched and a new person is stored: the silent duplicate.
   */
  private findOrCreate(req: HttpRequest): HttpResponse {
    const parsed = this.parsePerson(req);
    if ('error' in parsed) return parsed.error;
    const w = parsed.write;
    const byId = w.vanId !== null ? this.store.get(w.vanId) : undefined; // an unknown vanId is ignored
    const hit = byId ?? findMatch(this.store.all(), criteriaOf(w));
    if (hit) {
      this.write(hit, w);
      return matchStub(302, hit.vanId, this.location(hit.vanId));
    }
    const at = this.now();
    const person = blankPerson(this.store.newVanId(), at, 'API');
    applyWrite(person, w, at, this.store);
    person.changes.push({ at, bySelf: true });
    this.store.add(person);
    // The recording carries a Location on this 201 too (the generated docs say it does not).
    return matchStub(201, person.vanId, this.location(person.vanId));
  }

  /** POST /people/{vanId}: the id is checked first (404 whatever the body); `{}` is a no-op 302. */
  private updatePerson(req: HttpRequest, vanId: number): HttpResponse {
    const p = vanId > 0 ? this.store.get(vanId) : undefined;
    if (!p) return notFound();
    const parsed = this.parsePerson(req);
    if ('error' in parsed) return parsed.error;
    this.write(p, parsed.write); // a vanId inside the body is ignored: the path names the person
    return matchStub(302, p.vanId, this.location(p.vanId));
  }

  /** GET /people/{vanId}?$expand=…, the section list policed as recorded. */
  private getPerson(vanId: number, expandParam: string | null): HttpResponse {
    const expand = new Set<ExpandSection>();
    for (const raw of (expandParam ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      // Section names are matched case-insensitively (a guess: .NET enum binding usually is).
      const section = EXPAND_SECTIONS.find((s) => s.toLowerCase() === raw.toLowerCase());
      if (!section) {
        return errors(400, [{ code: 'INVALID_PARAMETER', text: `'${raw}' is not a valid argument for the '$expand' parameter`, properties: ['$expand'], hint: EXPAND_HINT }]);
      }
      expand.add(section);
    }
    // Recorded in a My Campaign context; in My Voters (mode 0) both are assumed to be allowed (a guess).
    if (this.mode === 1 && expand.has('scores')) return errors(403, [{ code: 'FORBIDDEN', text: "May not request 'scores'" }]);
    if (this.mode === 1 && expand.has('pollingLocation')) {
      return errors(400, [{ code: 'BAD_REQUEST', text: "May not request 'pollingLocation' in this context" }]);
    }
    const p = vanId > 0 ? this.store.get(vanId) : undefined;
    if (!p) return notFound();
    return json(200, personWire(p, expand, this.fieldDefs));
  }

  /** GET /customFields: a bare array. Only Contacts fields exist here; the other documented group types are empty. */
  private listCustomFields(groupType: string | null): HttpResponse {
    const type = (groupType ?? 'Contacts').toLowerCase();
    if (type === 'contacts') return json(200, [...this.fieldDefs.values()].map(customFieldWire));
    if (type === 'contributions' || type === 'disbursements') return json(200, []);
    return errors(400, [{ code: 'INVALID_PARAMETER', text: `'${groupType}' is not a valid customFieldsGroupType.`, properties: ['customFieldsGroupType'], hint: "Contacts, Contributions or Disbursements" }]);
  }

  private createExportJob(req: HttpRequest): HttpResponse {
    const parsed = jsonBody(req);
    if ('error' in parsed) return parsed.error;
    return this.jobs.create(parsed.body);
  }

  // ---- the export file host ----

  /**
   * GET '/<exportJobId>.csv' on the file host: no credentials needed (Parsons downloads without VAN
   * auth), and none ever checked. Refusals imitate Azure Blob Storage, where the fixtures' links
   * point (the host is a guess: research §8.6).
   */
  private download(req: HttpRequest): HttpResponse {
    const authorization = header(req, 'authorization');
    this.downloads.push({ method: req.method, path: req.url, at: this.now(), ...(authorization !== undefined ? { authorization } : {}) });
    const xml = (status: number, code: string, message: string): HttpResponse => ({
      status,
      headers: { 'content-type': 'application/xml' },
      body: `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    });
    if (req.method !== 'GET') return xml(405, 'UnsupportedHttpVerb', 'The resource doesn\'t support specified Http Verb.');
    const name = decodeURIComponent(splitUrl(req.url).path.replace(/^\/+/, ''));
    const file = this.jobs.file(name);
    if (file === null) return xml(404, 'BlobNotFound', 'The specified blob does not exist.');
    if (file === 'expired') return xml(403, 'AuthenticationFailed', 'Signed expiry time has passed.');
    return { status: 200, headers: { 'content-type': 'text/csv' }, body: file.body };
  }
}
