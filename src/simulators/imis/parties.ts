// The simulator's contacts: a Party store seeded from the same demo members the queries serve (same
// IDs, names, emails), each a full PersonData shaped like ASI's own example
// (shared/research/imis/party-put-body-partydata.json), plus the /api/Party and /api/Person
// endpoints a push engine uses: search by email / name / id, get one, create, and replace.
// A PUT replaces the whole contact, as iMIS does: whatever the client leaves out is gone.

import type { HttpRequest, HttpResponse } from '../../core/ports';
import { matchesAny, parseCriterion, type Criterion } from './queries';
import { pageParams, type CaseInsensitiveParams } from './request';
import { MEMBER_DUES, MEMBER_TYPES, memberRow, pick, rowRandom, stringHash } from './seed';
import {
  cloneJson,
  collectionItems,
  isObject,
  isValidEmail,
  normaliseDate,
  readJsonBody,
  validationFailure,
  wrapLoose,
} from './validation';
import { TYPE, httpError, json, methodNotAllowed, pagedResult, type JsonObject, type JsonValue, type QueryRow, type QueryValue } from './wire';

const M = 'Asi.Soa.Membership.DataContracts';
const C = 'Asi.Soa.Core.DataContracts';

// Deliberately not shared with the connector's copy (src/connectors/imis/person.ts): the simulator
// stands in for iMIS, so a wrong $type in the connector must not be mirrored here unnoticed.
export const PARTY_TYPE = {
  person: `${M}.PersonData, Asi.Contracts`,
  personName: `${M}.PersonNameData, Asi.Contracts`,
  emails: `${M}.EmailDataCollection, Asi.Contracts`,
  email: `${M}.EmailData, Asi.Contracts`,
  phones: `${M}.PhoneDataCollection, Asi.Contracts`,
  phone: `${M}.PhoneData, Asi.Contracts`,
  addresses: `${M}.FullAddressDataCollection, Asi.Contracts`,
  fullAddress: `${M}.FullAddressData, Asi.Contracts`,
  address: `${M}.AddressData, Asi.Contracts`,
  addressLines: `${M}.AddressLineDataCollection, Asi.Contracts`,
  communicationPreferences: `${M}.CommunicationPreferenceDataCollection, Asi.Contracts`,
  primaryOrganization: `${M}.PrimaryOrganizationInformationData, Asi.Contracts`,
  alternateIds: `${C}.AlternateIdDataCollection, Asi.Contracts`,
  alternateId: `${C}.AlternateIdData, Asi.Contracts`,
  financialInformation: `${M}.FinancialInformationData, Asi.Contracts`,
  socialNetworks: `${M}.PartySocialNetworkDataCollection, Asi.Contracts`,
  communicationTypePreferences: `${M}.PartyCommunicationTypePreferenceDataCollection, Asi.Contracts`,
  updateInformation: `${C}.EntityUpdateInformationData, Asi.Contracts`,
  status: `${M}.PartyStatusData, Asi.Contracts`,
} as const;

/** Root $types a contact may be written with: PersonData, PartyData (the PUT docs) or ComboPartyData (ASI's example). */
const WRITABLE_ROOT = /^Asi\.Soa\.Membership\.DataContracts\.(Person|Party|ComboParty)Data, Asi\.(Contracts|Soa\.Membership\.Contracts)$/;

/** Contacts seeded on purpose so matching code meets ambiguity. */
export const DEMO_CONTACTS = {
  /** Two non-member contacts of one household share this email: an email search finds both. */
  sharedEmail: 'shared.household@example.org',
  householdIds: ['9001', '9002'],
  /** A non-member with member `twinOf`'s email and last name but another first name. */
  twinId: '9003',
  twinOf: '10002',
  /** The first name of the twin (no demo member has it). */
  twinFirstName: 'Morgan',
} as const;

/** iMIS's usual code for a contact who is not a member. */
const NON_MEMBER = 'NM';

// ---------------------------------------------------------------------------------------------
// Reading a PersonData

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function personName(p: Record<string, unknown>): Record<string, unknown> {
  return isObject(p.PersonName) ? p.PersonName : {};
}

export function emailAddresses(p: Record<string, unknown>): string[] {
  return (collectionItems(p.Emails) ?? []).flatMap((e) => (isObject(e) && typeof e.Address === 'string' ? [e.Address] : []));
}

function primaryEmail(p: Record<string, unknown>): string | null {
  const items = (collectionItems(p.Emails) ?? []).filter(isObject);
  const primary = items.find((e) => e.IsPrimary === true) ?? items.find((e) => e.EmailType === '_Primary') ?? items[0];
  return primary ? text(primary.Address) : null;
}

function attribute(p: Record<string, unknown>, name: string): unknown {
  const item = (collectionItems(p.AdditionalAttributes) ?? []).find((a) => isObject(a) && a.Name === name);
  if (!isObject(item)) return undefined;
  return isObject(item.Value) && '$value' in item.Value ? item.Value.$value : item.Value;
}

function firstAddress(p: Record<string, unknown>): Record<string, unknown> | null {
  const full = (collectionItems(p.Addresses) ?? []).find(isObject);
  return full && isObject(full.Address) ? full.Address : null;
}

function queryValue(v: unknown): QueryValue {
  return v === undefined ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
}

/** The CustomerTypeCode of a contact (its member type), or null. */
export function memberTypeOf(p: Record<string, unknown>): string | null {
  return text(attribute(p, 'CustomerTypeCode'));
}

/**
 * A member's row of the Active Members query, read from the contact. For a seeded member it is
 * exactly the row the query served before any write (the tests check this for every member).
 */
export function memberRowFromParty(p: JsonObject): QueryRow {
  const name = personName(p);
  const type = memberTypeOf(p);
  const address = firstAddress(p);
  const isMember = attribute(p, 'IsMember');
  const org = isObject(p.PrimaryOrganization) ? text(p.PrimaryOrganization.Name) : null;
  return {
    ID: text(p.Id),
    FirstName: queryValue(name.FirstName),
    LastName: queryValue(name.LastName),
    Email: primaryEmail(p),
    MemberType: type,
    JoinDate: queryValue(attribute(p, 'JoinDate')),
    PaidThrough: queryValue(attribute(p, 'PaidThruDate')),
    City: address ? queryValue(address.CityName) : null,
    StateProvince: address ? queryValue(address.CountrySubEntityCode) : null,
    IsMember: isMember === true || text(isMember)?.toLowerCase() === 'true',
    Dues: type !== null && type in MEMBER_DUES ? MEMBER_DUES[type as keyof typeof MEMBER_DUES] : null,
    Company: org === '' ? null : org,
  };
}

/** Whether the Active Members query lists this contact: active, with a member type. */
export function isActiveMember(p: JsonObject): boolean {
  const type = memberTypeOf(p);
  const status = isObject(p.Status) ? text(p.Status.PartyStatusId) : 'A';
  return type !== null && (MEMBER_TYPES as readonly string[]).includes(type) && status?.toUpperCase() === 'A';
}

// ---------------------------------------------------------------------------------------------
// Building a stored PersonData from what a client wrote (or from a seeded member)

/** What the server owns on a stored contact, whatever the client sent. */
export interface ServerFields {
  id: string;
  uniformId: string;
  createdBy: string;
  createdOn: string;
  updatedBy: string;
  updatedOn: string;
}

/** iMIS writes times without a zone and with trailing zeros of the fraction dropped ("12:52:41.95"). */
export function imisTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace(/\.?0+$/, '');
}

/** A stable GUID for a key, so every run of the demo gives a contact the same UniformId. */
export function deterministicGuid(key: string): string {
  const hex = [0, 1, 2, 3].map((i) => stringHash(`${i}:${key}`).toString(16).padStart(8, '0')).join('');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A collection written back in iMIS's shape: its $type, and each item's $type first. */
function typedCollection(given: unknown, collectionType: string, itemType: string, each?: (item: JsonObject) => JsonObject): JsonObject {
  const items = (collectionItems(given) ?? []).filter(isObject).map((item) => {
    const { $type: _ignored, ...rest } = item;
    const typed = { $type: itemType, ...(rest as JsonObject) };
    return each ? each(typed) : typed;
  });
  return { $type: collectionType, $values: items };
}

function typedObject(given: unknown, type: string): JsonObject | undefined {
  if (!isObject(given)) return undefined;
  const { $type: _ignored, ...rest } = given;
  return { $type: type, ...(rest as JsonObject) };
}

function nonEmpty(v: unknown): string | null {
  const s = text(v);
  return s === null || s.trim() === '' ? null : s.trim();
}

const KNOWN_KEYS = new Set([
  '$type', 'BirthDate', 'Gender', 'PersonName', 'PrimaryOrganization', 'AdditionalAttributes', 'Addresses', 'AlternateIds',
  'Emails', 'FinancialInformation', 'Phones', 'Salutations', 'SocialNetworks', 'CommunicationTypePreferences',
  'SortIsOverridden', 'UpdateInformation', 'PartyId', 'Id', 'UniformId', 'Status', 'Name', 'Sort',
]);

/**
 * The contact iMIS would store for this body, or the validation messages that stop it. Nested
 * objects get their $type (Json.NET reads them by declared type and writes the type back), loose
 * attribute values come back wrapped, and the derived names (FullName, Name, Sort) are recomputed.
 */
export function buildPerson(body: Record<string, unknown>, server: ServerFields): { person: JsonObject } | { errors: string[] } {
  const errors: string[] = [];
  const rootType = body.$type;
  if (rootType !== undefined && (typeof rootType !== 'string' || !WRITABLE_ROOT.test(rootType))) {
    errors.push(`'${text(rootType) ?? JSON.stringify(rootType)}' is not a contact type this endpoint accepts; send Asi.Soa.Membership.DataContracts.PersonData, Asi.Contracts.`);
  }

  const givenName = personName(body);
  const first = nonEmpty(givenName.FirstName);
  const middle = nonEmpty(givenName.MiddleName);
  const last = nonEmpty(givenName.LastName);
  const prefix = nonEmpty(givenName.NamePrefix);
  const suffix = nonEmpty(givenName.NameSuffix);
  if (last === null) errors.push('LastName is required.');
  const fullName = [prefix, first, middle, last].filter((s) => s !== null).join(' ') + (suffix ? `, ${suffix}` : '');
  const { $type: _nameType, FullName: _oldFull, ...nameRest } = givenName;
  const name: JsonObject = { $type: PARTY_TYPE.personName, ...(nameRest as JsonObject), FullName: fullName };
  if (name.InformalName === undefined && first !== null) name.InformalName = first;

  for (const address of emailAddresses(body)) {
    if (!isValidEmail(address.trim())) errors.push(`'${address}' is not a valid email address.`);
  }
  for (const e of collectionItems(body.Emails) ?? []) {
    if (!isObject(e) || (e.Address !== undefined && e.Address !== null && typeof e.Address !== 'string')) {
      errors.push(`'${JSON.stringify(e)}' is not a valid email address.`);
    }
  }

  let birthDate: string | undefined;
  if (body.BirthDate !== undefined && body.BirthDate !== null && body.BirthDate !== '') {
    const d = typeof body.BirthDate === 'string' ? normaliseDate(body.BirthDate) : null;
    if (d === null) errors.push(`'${text(body.BirthDate) ?? JSON.stringify(body.BirthDate)}' is not a valid date for BirthDate.`);
    else birthDate = d;
  }
  if (errors.length > 0) return { errors };

  const out: JsonObject = { $type: PARTY_TYPE.person };
  const put = (key: string, value: JsonValue | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  put('BirthDate', birthDate);
  put('Gender', body.Gender as JsonValue | undefined);
  out.PersonName = name;
  put('PrimaryOrganization', typedObject(body.PrimaryOrganization, PARTY_TYPE.primaryOrganization));
  if (body.AdditionalAttributes !== undefined) {
    out.AdditionalAttributes = typedCollection(body.AdditionalAttributes, TYPE.genericPropertyCollection, TYPE.genericProperty, (a) => {
      const { Value, ...rest } = a;
      const wrapped = wrapLoose(Value);
      return wrapped === undefined ? rest : { ...rest, Value: wrapped };
    });
  }
  if (body.Addresses !== undefined) {
    out.Addresses = typedCollection(body.Addresses, PARTY_TYPE.addresses, PARTY_TYPE.fullAddress, (full) => {
      const address = typedObject(full.Address, PARTY_TYPE.address);
      if (address && address.AddressLines !== undefined) {
        address.AddressLines = { $type: PARTY_TYPE.addressLines, $values: (collectionItems(address.AddressLines) ?? []) as JsonValue[] };
      }
      return address ? { ...full, Address: address } : full;
    });
  }
  out.AlternateIds = body.AlternateIds !== undefined
    ? typedCollection(body.AlternateIds, PARTY_TYPE.alternateIds, PARTY_TYPE.alternateId)
    : { $type: PARTY_TYPE.alternateIds, $values: [{ $type: PARTY_TYPE.alternateId, Id: server.id, IdType: 'Id' }] };
  if (body.Emails !== undefined) out.Emails = typedCollection(body.Emails, PARTY_TYPE.emails, PARTY_TYPE.email);
  put('FinancialInformation', typedObject(body.FinancialInformation, PARTY_TYPE.financialInformation));
  if (body.Phones !== undefined) out.Phones = typedCollection(body.Phones, PARTY_TYPE.phones, PARTY_TYPE.phone);
  for (const key of ['Salutations', 'SocialNetworks', 'CommunicationTypePreferences']) put(key, body[key] as JsonValue | undefined);
  for (const [key, value] of Object.entries(body)) if (!KNOWN_KEYS.has(key)) out[key] = value as JsonValue;

  const sortOverridden = body.SortIsOverridden === true && nonEmpty(body.Sort) !== null;
  out.SortIsOverridden = sortOverridden;
  out.UpdateInformation = {
    $type: PARTY_TYPE.updateInformation,
    CreatedBy: server.createdBy,
    CreatedOn: server.createdOn,
    UpdatedBy: server.updatedBy,
    UpdatedOn: server.updatedOn,
  };
  out.PartyId = server.id;
  out.Id = server.id;
  out.UniformId = server.uniformId;
  // A contact always has a status; one written without any is Active (a guess at iMIS's default).
  out.Status = typedObject(body.Status, PARTY_TYPE.status) ?? { $type: PARTY_TYPE.status, PartyStatusId: 'A', Name: 'Active', Description: 'Active' };
  out.Name = fullName;
  out.Sort = sortOverridden ? nonEmpty(body.Sort)! : `${last ?? ''}${first ? `, ${first}` : ''}${middle ? ` ${middle}` : ''}`;
  return { person: out };
}

// ---------------------------------------------------------------------------------------------
// Seeded contacts

const STREETS = ['Maple Street', 'Oak Avenue', 'Main Street', 'Cedar Lane', 'Lakeview Drive', 'Elm Street', 'King Street West', 'Rue Sainte-Catherine'];
const TITLES = ['Director', 'Program Manager', 'Coordinator', 'Nurse Practitioner', 'Engineer', 'Teacher', 'Librarian'];
const CANADA = new Set(['ON', 'NS', 'AB', 'QC', 'BC', 'MB', 'SK', 'NB', 'NL', 'PE']);
const STATE_NAMES: Record<string, string> = {
  IL: 'Illinois', OH: 'Ohio', TX: 'Texas', OR: 'Oregon', CO: 'Colorado', WI: 'Wisconsin', NC: 'North Carolina', VA: 'Virginia',
  ID: 'Idaho', NY: 'New York', CA: 'California', AZ: 'Arizona', NE: 'Nebraska', VT: 'Vermont', GA: 'Georgia',
  ON: 'Ontario', NS: 'Nova Scotia', AB: 'Alberta', QC: 'Quebec',
};

const digits = (rnd: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
const letter = (rnd: () => number) => pick(rnd, 'ABCEGHJKLMNPRSTVXY'.split(''));

/** The PersonData body of demo member `index`: the query row's facts plus made-up contact details. */
export function seededMemberBody(seed: number, index: number): { body: JsonObject; createdOn: string } {
  const row = memberRow(seed, index);
  // A second stream, so the contact details never disturb the member rows the queries serve.
  const rnd = rowRandom(seed ^ 0x51ed270b, index);
  const id = String(row.ID);
  const state = String(row.StateProvince);
  const canadian = CANADA.has(state);
  const middle = rnd() < 0.35 ? `${letter(rnd)}.` : undefined;
  const prefix = rnd() < 0.1 ? 'Dr.' : undefined;
  const suffix = rnd() < 0.05 ? 'Jr.' : undefined;
  const lines = [`${1 + Math.floor(rnd() * 9899)} ${pick(rnd, STREETS)}`];
  if (rnd() < 0.2) lines.push(`Suite ${100 + Math.floor(rnd() * 800)}`);
  const postal = canadian ? `${letter(rnd)}${digits(rnd, 1)}${letter(rnd)} ${digits(rnd, 1)}${letter(rnd)}${digits(rnd, 1)}` : digits(rnd, 5);
  const phone = `(${200 + Math.floor(rnd() * 700)}) 555-${digits(rnd, 4)}`;
  const workPhone = `(${200 + Math.floor(rnd() * 700)}) 555-${digits(rnd, 4)}`;
  const birth = rnd() < 0.6 ? `${1950 + Math.floor(rnd() * 55)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}T00:00:00` : undefined;
  const title = pick(rnd, TITLES);
  const country = canadian ? { CountryCode: 'CA', CountryName: 'Canada' } : { CountryCode: 'US', CountryName: 'United States' };
  const city = String(row.City);
  const email = String(row.Email);

  const body: JsonObject = { $type: PARTY_TYPE.person };
  if (birth) body.BirthDate = birth;
  body.PersonName = {
    FirstName: String(row.FirstName),
    LastName: String(row.LastName),
    ...(middle ? { MiddleName: middle } : {}),
    ...(prefix ? { NamePrefix: prefix } : {}),
    ...(suffix ? { NameSuffix: suffix } : {}),
    InformalName: String(row.FirstName),
  };
  if (row.Company !== null) body.PrimaryOrganization = { Name: String(row.Company), Title: title };
  body.AdditionalAttributes = {
    $values: [
      { Name: 'CustomerTypeCode', Value: String(row.MemberType) },
      { Name: 'IsMember', Value: { $type: 'System.Boolean', $value: row.IsMember === true } },
      { Name: 'JoinDate', Value: String(row.JoinDate) },
      { Name: 'PaidThruDate', Value: String(row.PaidThrough) },
    ],
  };
  body.Addresses = {
    $values: [
      {
        AdditionalLines: { $type: PARTY_TYPE.addressLines, $values: [] },
        Address: {
          AddressId: `${id}1`,
          AddressLines: { $values: lines },
          CityName: city,
          ...country,
          CountrySubEntityCode: state,
          CountrySubEntityName: STATE_NAMES[state] ?? state,
          FullAddress: `${lines.join('\r')}\r${city}, ${state}  ${postal}${canadian ? '\rCANADA' : ''}`,
          PostalCode: postal,
          VerificationStatus: 0,
        },
        AddressPurpose: 'Address',
        CommunicationPreferences: { $type: PARTY_TYPE.communicationPreferences, $values: [] },
        Email: email,
        FullAddressId: `${id}1`,
        Phone: phone,
      },
    ],
  };
  body.Emails = { $values: [{ Address: email, EmailType: '_Primary', IsPrimary: true }] };
  body.FinancialInformation = {};
  const phones: JsonObject[] = [{ Number: phone, PhoneType: 'Mobile' }];
  if (row.Company !== null) phones.push({ Number: workPhone, PhoneType: '_Work Phone' });
  body.Phones = { $values: phones };
  body.SocialNetworks = { $type: PARTY_TYPE.socialNetworks, $values: [] };
  body.CommunicationTypePreferences = { $type: PARTY_TYPE.communicationTypePreferences, $values: [] };
  body.Status = { PartyStatusId: 'A', Name: 'Active', Description: 'Active' };
  return { body, createdOn: `${String(row.JoinDate).slice(0, 10)}T10:15:00` };
}

/** The deliberate duplicates: a two-person household on one email, and a member's "twin". */
function duplicateBodies(seed: number, memberCount: number): { id: string; body: JsonObject }[] {
  const nonMember = (first: string, last: string, email: string, city: string, state: string, postal: string): JsonObject => ({
    $type: PARTY_TYPE.person,
    PersonName: { FirstName: first, LastName: last, InformalName: first },
    AdditionalAttributes: {
      $values: [
        { Name: 'CustomerTypeCode', Value: NON_MEMBER },
        { Name: 'IsMember', Value: { $type: 'System.Boolean', $value: false } },
      ],
    },
    Addresses: {
      $values: [
        {
          Address: { AddressLines: { $values: ['12 Harbour Road'] }, CityName: city, CountryCode: 'US', CountryName: 'United States', CountrySubEntityCode: state, PostalCode: postal },
          AddressPurpose: 'Address',
        },
      ],
    },
    Emails: { $values: [{ Address: email, EmailType: '_Primary', IsPrimary: true }] },
    Phones: { $values: [{ Number: '(802) 555-0142', PhoneType: '_Home Phone' }] },
    Status: { PartyStatusId: 'A', Name: 'Active', Description: 'Active' },
  });
  const out: { id: string; body: JsonObject }[] = [
    { id: DEMO_CONTACTS.householdIds[0], body: nonMember('Alex', 'Rivera', DEMO_CONTACTS.sharedEmail, 'Burlington', 'VT', '05401') },
    { id: DEMO_CONTACTS.householdIds[1], body: nonMember('Jordan', 'Rivera', DEMO_CONTACTS.sharedEmail, 'Burlington', 'VT', '05401') },
  ];
  const twinIndex = Number(DEMO_CONTACTS.twinOf) - 10001;
  if (memberCount > twinIndex) {
    const twin = memberRow(seed, twinIndex);
    const body = nonMember(DEMO_CONTACTS.twinFirstName, String(twin.LastName), String(twin.Email), String(twin.City), String(twin.StateProvince), '');
    // Same address as the member: most real duplicates are one person entered twice.
    body.Addresses = seededMemberBody(seed, twinIndex).body.Addresses!;
    out.push({ id: DEMO_CONTACTS.twinId, body });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The store

export class PartyStore {
  private byId: Map<string, JsonObject> | null = null;
  /** 0 until the first write; the member queries read the store only after one. */
  version = 0;

  constructor(
    private readonly seed: number,
    private readonly memberCount: number,
    private readonly now: () => number,
  ) {}

  /** Built on first use, so a simulator that only serves queries never pays for 1,234 contacts. */
  private get map(): Map<string, JsonObject> {
    if (this.byId) return this.byId;
    const map = new Map<string, JsonObject>();
    const store = (id: string, body: JsonObject, createdOn: string) => {
      const built = buildPerson(body, {
        id,
        uniformId: deterministicGuid(`${this.seed}:${id}`),
        createdBy: 'ADMINISTRATOR',
        createdOn,
        updatedBy: 'ADMINISTRATOR',
        updatedOn: createdOn,
      });
      if (!('person' in built)) throw new Error(`Seeded contact ${id} is invalid: ${built.errors.join(' ')}`);
      map.set(id, built.person);
    };
    for (const { id, body } of duplicateBodies(this.seed, this.memberCount)) store(id, body, '2019-06-03T14:20:00');
    for (let i = 0; i < this.memberCount; i++) {
      const { body, createdOn } = seededMemberBody(this.seed, i);
      store(String(10001 + i), body, createdOn);
    }
    this.byId = map;
    return map;
  }

  get(id: string): JsonObject | undefined {
    return this.map.get(id.trim());
  }

  /** Every contact, in iMIS ID order (the map is kept in that order: new IDs only ever grow). */
  all(): JsonObject[] {
    return [...this.map.values()];
  }

  private nextId(): string {
    let max = 0;
    for (const id of this.map.keys()) max = Math.max(max, Number(id) || 0);
    return String(max + 1);
  }

  create(body: Record<string, unknown>, user: string): { person: JsonObject } | { errors: string[] } {
    const id = this.nextId();
    const at = imisTime(this.now());
    const built = buildPerson(body, { id, uniformId: deterministicGuid(`${this.seed}:${id}`), createdBy: user, createdOn: at, updatedBy: user, updatedOn: at });
    if ('person' in built) {
      this.map.set(id, built.person);
      this.version += 1;
    }
    return built;
  }

  /** PUT: the body becomes the whole contact; only the server's own fields survive from before. */
  replace(id: string, body: Record<string, unknown>, user: string): { person: JsonObject } | { errors: string[] } {
    const old = this.map.get(id);
    if (!old) throw new Error(`No contact ${id}`);
    const info = isObject(old.UpdateInformation) ? old.UpdateInformation : {};
    const built = buildPerson(body, {
      id,
      uniformId: String(old.UniformId),
      createdBy: text(info.CreatedBy) ?? 'ADMINISTRATOR',
      createdOn: text(info.CreatedOn) ?? imisTime(this.now()),
      updatedBy: user,
      updatedOn: imisTime(this.now()),
    });
    if ('person' in built) {
      this.map.set(id, built.person);
      this.version += 1;
    }
    return built;
  }

  /** The rows of the Active Members query as the store now says. */
  memberRows(): QueryRow[] {
    return this.all().filter(isActiveMember).map(memberRowFromParty);
  }
}

// ---------------------------------------------------------------------------------------------
// /api/Party and /api/Person

/** The filters a Party list accepts: name (lower case) → the contact's values for it. */
const PARTY_FILTERS: Record<string, (p: JsonObject) => unknown[]> = {
  email: (p) => emailAddresses(p),
  firstname: (p) => [personName(p).FirstName],
  lastname: (p) => [personName(p).LastName],
  id: (p) => [p.Id],
  partyid: (p) => [p.Id],
  uniformid: (p) => [p.UniformId],
};
/** Not filters: paging, and OrderBy (accepted and ignored; results stay in iMIS ID order). */
const LIST_OPTIONS = new Set(['limit', 'offset', 'orderby']);

export interface PartyCall {
  req: HttpRequest;
  /** The controller as written ('Party', 'person', …). */
  controller: string;
  /** What follows '/api/{controller}/', still URL-encoded; '' for the collection. */
  rest: string;
  query: CaseInsensitiveParams;
  user: string;
}

function notFound(id: string): HttpResponse {
  // The wording is a guess; clients act on the 404 alone.
  return json(404, httpError(`No contact was found with iMIS ID '${id}'.`));
}

export function handleParty(store: PartyStore, call: PartyCall): HttpResponse {
  const { req, rest } = call;
  const isPerson = call.controller.toLowerCase() === 'person';
  let id: string;
  try {
    id = decodeURIComponent(rest).trim();
  } catch {
    return json(400, httpError('The request is invalid.'));
  }
  if (id.includes('/')) return json(404, httpError(`No HTTP resource was found that matches the request URI '${req.url}'.`));

  if (id === '') {
    if (req.method === 'GET') return listParties(store, call.query, isPerson);
    if (req.method === 'POST') {
      const read = readJsonBody(req);
      if ('response' in read) return read.response;
      if (!isObject(read.body)) return validationFailure(['The request body must be a contact (PersonData) object.']);
      const created = store.create(read.body, call.user);
      return 'person' in created ? json(201, cloneJson(created.person)) : validationFailure(created.errors);
    }
    return methodNotAllowed(req.method, 'GET, POST');
  }

  if (req.method === 'GET') {
    const person = store.get(id);
    return person ? json(200, cloneJson(person)) : notFound(id);
  }
  if (req.method === 'PUT') {
    const read = readJsonBody(req);
    if ('response' in read) return read.response;
    if (!store.get(id)) return notFound(id);
    const body = read.body;
    if (!isObject(body)) return validationFailure(['The request body must be a contact (PersonData) object.']);
    const given = [body.Id, body.PartyId].filter((v) => v !== undefined && v !== null && v !== '');
    if (given.length === 0 || given.some((v) => String(v).trim() !== id)) {
      const shown = given.length === 0 ? 'none' : given.map((v) => `'${String(v)}'`).join(', ');
      return validationFailure([`The iMIS ID in the body (${shown}) does not match the iMIS ID in the address ('${id}').`]);
    }
    const replaced = store.replace(id, body, call.user);
    return 'person' in replaced ? json(200, cloneJson(replaced.person)) : validationFailure(replaced.errors);
  }
  return methodNotAllowed(req.method, 'GET, PUT');
}

function listParties(store: PartyStore, query: CaseInsensitiveParams, isPerson: boolean): HttpResponse {
  const tests: { values: (p: JsonObject) => unknown[]; criterion: Criterion }[] = [];
  for (const { name, value } of query.list()) {
    const key = name.toLowerCase();
    if (LIST_OPTIONS.has(key)) continue;
    const values = PARTY_FILTERS[key];
    // The wording is a guess; iMIS refuses a filter on a property the contract does not have.
    if (!values) {
      return json(400, httpError(`'${name}' is not a property that contacts can be filtered on. Use Email, FirstName, LastName, Id, PartyId or UniformId.`));
    }
    // An empty value adds no condition (as with IQA prompts), so `?email=` lists every contact.
    const c = parseCriterion(value);
    if (c) tests.push({ values, criterion: c });
  }
  const matching = store.all().filter((p) => tests.every((t) => matchesAny(t.criterion, t.values(p))));
  const { offset, limit } = pageParams(query);
  const items = matching.slice(offset, offset + limit).map((p) => cloneJson(p));
  const page = { offset, limit, totalCount: matching.length };
  return json(200, isPerson ? pagedResult(TYPE.pagedPerson, TYPE.listOfPerson, items, page) : pagedResult(TYPE.pagedParty, TYPE.listOfParty, items, page));
}
