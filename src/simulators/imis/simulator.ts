// A bundled iMIS site: a synchronous request → response function with its own state (issued tokens,
// query data, contacts, panel rows, activities, injected faults), answering /token, /api/query
// (EMS only), /api/iqa, /api/Party and /api/Person, /api/BoEntityDefinition, the demo panels'
// /api/{BO} and /api/Activity with the wire format of the real captures. It lets the whole product be run and tested offline.

import type { HttpRequest, HttpResponse } from '../../core/ports';
import type { Handler } from '../router';
import { ActivityStore, activityDefinitionJson, handleActivity, type ActivityRow } from './activity';
import { CAPTURED_EVENTS, CAPTURED_USER_INFO } from './captures';
import { FaultPlan, type ImisFaults } from './faults';
import { DEMO_PANEL_ROWS, PANEL_DEFINITIONS, PanelStore, fullRow, handleBoDefinitions, handlePanel, type PanelRow } from './panels';
import { PartyStore, handleParty } from './parties';
import { QueryCatalog, arraySource, runQuery, type QueryDefinition, type RowSource } from './queries';
import { DEFAULT_LIMIT, MAX_LIMIT, pageParams, splitUrl, type CaseInsensitiveParams } from './request';
import { DEMO_ACTIVITIES, DEMO_SEED, MEMBER_COLUMN_TYPES, memberRow, stringHash } from './seed';
import { TokenStore, handleToken, type ImisUser } from './token';
import { Rejections, cloneJson } from './validation';
import { html, httpError, iqaPage, json, methodNotAllowed, noController, queryPage, unauthorized, type JsonObject, type QueryRow } from './wire';

export { DEFAULT_LIMIT, MAX_LIMIT };
export type { ActivityRow };

export interface ImisSimulatorOptions {
  /** '2017' has no /api/query: Web API answers 404 for the unknown controller, as a 2017 site does. */
  mode?: 'EMS' | '2017';
  /** Default [{ username: 'sync.user', password: 'demo-password' }]. */
  users?: ImisUser[];
  /** expires_in of issued tokens; default 1209599 (14 days, the OWIN default iMIS keeps). */
  tokenTtlSeconds?: number;
  /** ms clock, default Date.now (tests pass a fake). */
  now?: () => number;
  /** Size of the seeded demo member list (contacts 10001…), default 1234. */
  memberCount?: number;
  /** Extra query path → number of generated member-like rows, made page by page (benchmarks). */
  syntheticQueries?: Record<string, number>;
}

export const DEMO_QUERIES = {
  activeMembers: '$/Sheets Sync Demo/Active Members',
  membersByType: '$/Sheets Sync Demo/Members by Type',
  events: '$/ContactManagement/DefaultSystem/Queries/Advanced/Events',
  userInfo: '$/OAuth2/userInfo',
} as const;

export const DEFAULT_USERS: readonly ImisUser[] = [{ username: 'sync.user', password: 'demo-password' }];
export const DEFAULT_TOKEN_TTL_SECONDS = 1_209_599;

/** Member rows' EntityTypeName in /api/iqa; any internal number will do ("9" and "59" are seen). */
const MEMBER_ENTITY_TYPE = '59';

export class ImisSimulator {
  /** Every request received, faulted ones too; `path` is relative to the mount, query string included. */
  readonly requests: { method: string; path: string; at: number }[] = [];
  readonly handle: Handler;
  private readonly faultPlan = new FaultPlan();

  private readonly mode: 'EMS' | '2017';
  private readonly users: ImisUser[];
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private readonly tokens: TokenStore;
  private readonly catalog = new QueryCatalog();
  private readonly rejections = new Rejections();
  private readonly contacts: PartyStore;
  private readonly panels: PanelStore;
  private readonly activityStore: ActivityStore;
  private readonly generatedMembers: RowSource;
  private memberSnapshot: { version: number; source: RowSource } | null = null;

  constructor(options: ImisSimulatorOptions = {}) {
    this.mode = options.mode ?? 'EMS';
    this.users = (options.users ?? DEFAULT_USERS).map((u) => ({ ...u }));
    this.ttlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    this.now = options.now ?? Date.now;
    this.tokens = new TokenStore(this.now, this.ttlSeconds);
    const memberCount = options.memberCount ?? 1234;
    this.generatedMembers = { count: memberCount, at: (i: number) => memberRow(DEMO_SEED, i) };
    this.contacts = new PartyStore(DEMO_SEED, memberCount, this.now);
    const seededPanelRows = Object.fromEntries(
      Object.entries(DEMO_PANEL_ROWS).map(([bo, rows]) => [bo, rows.filter((r) => Number(r.ID) - 10001 < memberCount)]),
    );
    this.panels = new PanelStore(PANEL_DEFINITIONS, seededPanelRows);
    this.activityStore = new ActivityStore(DEMO_ACTIVITIES.filter((a) => Number(a.PartyId) - 10001 < memberCount));
    this.seed(options.syntheticQueries ?? {});
    this.handle = (req) => this.respond(req);
  }

  /** Fault injection; counts every request this simulator receives, the token request included. */
  get faults(): ImisFaults {
    return this.faultPlan;
  }

  /** Replaces a query's data (tests change it between runs); an unknown path becomes a new query. */
  setQueryRows(path: string, rows: QueryRow[]): void {
    this.catalog.setRows(path, rows);
  }

  /** The whole current result of a query without prompts, as /api/query would give it. */
  queryRows(path: string): QueryRow[] {
    return this.catalog.allRows(path);
  }

  /** Every token issued so far now answers 401, as when iMIS is recycled or a token dies early. */
  expireAllTokens(): void {
    this.tokens.expireAll();
  }

  /** A copy of the stored contact (full PersonData) with this iMIS ID, or undefined. */
  party(id: string): JsonObject | undefined {
    const p = this.contacts.get(id);
    return p ? cloneJson(p) : undefined;
  }

  /** Copies of every contact, in iMIS ID order: 9001–9003 (the duplicates), then 10001…, then created ones. */
  parties(): JsonObject[] {
    return this.contacts.all().map((p) => cloneJson(p));
  }

  /** Stores a contact as POST /api/Party would (new ID, same validation) and returns a copy; throws when invalid. */
  addParty(person: JsonObject): JsonObject {
    const created = this.contacts.create(person, 'ADMINISTRATOR');
    if (!('person' in created)) throw new Error(`The simulator refused the contact: ${created.errors.join(' ')}`);
    return cloneJson(created.person);
  }

  /** A panel's rows, unwrapped ({ID, Ordinal?, …every property, null when unset}), in ID then Ordinal order. */
  panelRows(bo: string): PanelRow[] {
    const def = this.panels.definition(bo);
    if (!def) throw new Error(`The simulator has no business object '${bo}'.`);
    return this.panels.list(def).map((row) => fullRow(def, row));
  }

  /** A stored activity, unwrapped ({SEQN, PartyId, …every property, null when unset}), or undefined. */
  activity(seqn: number | string): ActivityRow | undefined {
    return this.activityStore.get(Number(seqn));
  }

  /** Every stored activity, unwrapped, in SEQN order: the seeded ones (SEQN 1…), then created ones. */
  activities(): ActivityRow[] {
    return this.activityStore.list();
  }

  /**
   * The next `times` (default 1) writes (POST/PUT) whose path starts with `pathPrefix` (e.g.
   * '/api/Party', '/api/Demo_Volunteer'; case-insensitive) fail with a 400 ValidationResultsData
   * carrying `message`, as iMIS refuses data it will not store. Checked after the token.
   */
  rejectNext(pathPrefix: string, message: string, times = 1): void {
    this.rejections.queue(pathPrefix, message, times);
  }

  /** Active Members: the generated rows until a contact is written, then what the contacts say. */
  private memberSource(): RowSource {
    if (this.contacts.version === 0) return this.generatedMembers;
    if (this.memberSnapshot?.version !== this.contacts.version) {
      this.memberSnapshot = { version: this.contacts.version, source: arraySource(this.contacts.memberRows()) };
    }
    return this.memberSnapshot.source;
  }

  private seed(synthetic: Record<string, number>): void {
    this.catalog.define({
      path: DEMO_QUERIES.activeMembers,
      entityTypeName: MEMBER_ENTITY_TYPE,
      types: MEMBER_COLUMN_TYPES,
      prompts: [],
      rows: () => this.memberSource(),
    });
    // A view over Active Members, so a test that changes the members sees the change here too.
    this.catalog.define({
      path: DEMO_QUERIES.membersByType,
      entityTypeName: MEMBER_ENTITY_TYPE,
      types: MEMBER_COLUMN_TYPES,
      prompts: ['MemberType'],
      rows: () => this.catalog.find(DEMO_QUERIES.activeMembers)!.rows(),
    });
    for (const [path, captured] of [
      [DEMO_QUERIES.events, CAPTURED_EVENTS],
      [DEMO_QUERIES.userInfo, CAPTURED_USER_INFO],
    ] as const) {
      const source = arraySource(captured.rows);
      this.catalog.define({ path, entityTypeName: captured.entityTypeName, types: { ...captured.types }, prompts: [], rows: () => source });
    }
    for (const [path, count] of Object.entries(synthetic)) {
      const seed = stringHash(path);
      const source = { count, at: (i: number) => memberRow(seed, i, 100001) };
      this.catalog.define({ path, entityTypeName: MEMBER_ENTITY_TYPE, types: MEMBER_COLUMN_TYPES, prompts: [], rows: () => source });
    }
  }

  private respond(req: HttpRequest): HttpResponse {
    this.requests.push({ method: req.method, path: req.url, at: this.now() });
    const fault = this.faultPlan.take(this.requests.length, req.url);
    if (fault) return fault;

    const { path, query } = splitUrl(req.url);
    const lower = path.toLowerCase();

    // OWIN answers only POST at the token path; anything else falls through to the site (404).
    if (lower === '/token' && req.method === 'POST') return handleToken(req, this.users, this.tokens, this.ttlSeconds);

    const api = /^\/api\/([^/]+)(\/?)(.*)$/i.exec(path);
    if (!api) return html(404, '<h2>404 - File or directory not found.</h2>');
    const controller = api[1] ?? '';
    const rest = api[3] ?? '';
    const endpoint = controller.toLowerCase();

    if (endpoint === 'iqa' || (endpoint === 'query' && this.mode === 'EMS')) {
      if (rest !== '') return json(404, httpError(`No HTTP resource was found that matches the request URI '${req.url}'.`));
      if (req.method !== 'GET') return methodNotAllowed(req.method);
      if (this.tokens.userOf(req) === null) return unauthorized();
      return this.runIqa(endpoint as 'iqa' | 'query', query);
    }

    const isParty = endpoint === 'party' || endpoint === 'person';
    const isActivity = endpoint === 'activity';
    const panel = isParty || isActivity ? undefined : this.panels.definition(controller);
    if (!isParty && !isActivity && !panel && endpoint !== 'boentitydefinition') return noController(req.url, controller);
    const user = this.tokens.userOf(req);
    if (user === null) return unauthorized();
    const rejected = this.rejections.take(req.method, req.url);
    if (rejected) return rejected;

    const partyExists = (id: string) => this.contacts.get(id) !== undefined;
    if (isParty) return handleParty(this.contacts, { req, controller, rest, query, user });
    if (isActivity) return handleActivity(this.activityStore, { req, rest, query, partyExists });
    if (panel) return handlePanel(this.panels, panel, { req, rest, query, partyExists });
    // Activity is not a designed panel, so the panel store does not hold it. A real site would also
    // list it (among hundreds of objects) in /api/BoEntityDefinition?…; here that list stays the
    // two demo panels, which the panel tests and the sidebar's panel lookups rely on.
    if (req.method === 'GET' && /^activity\/?$/i.test(rest)) return json(200, activityDefinitionJson());
    return handleBoDefinitions(this.panels, { req, rest, query });
  }

  private runIqa(endpoint: 'iqa' | 'query', query: CaseInsensitiveParams): HttpResponse {
    // The old IQA service also took the path as QueryPath (an old documentation tip).
    const name = query.get('QueryName') ?? (endpoint === 'iqa' ? query.get('QueryPath') : null);
    // The wording of these 400 and 404 messages is a guess: no real error body has been captured.
    if (name === null || name.trim() === '') return json(400, httpError('QueryName is required.'));
    if (!name.startsWith('$/')) {
      return json(400, httpError(`The query name '${name}' is not valid. A query path starts with '$/'.`));
    }
    const def: QueryDefinition | undefined = this.catalog.find(name);
    if (!def) return json(404, httpError(`The query '${name}' was not found.`));

    const { offset, limit } = pageParams(query);

    const { rows, totalCount } = runQuery(def, query.getAll('Parameter'), offset, limit);
    const page = { offset, limit, totalCount };
    return json(200, endpoint === 'query' ? queryPage(rows, page) : iqaPage(rows, page, def.entityTypeName, def.types));
  }
}
