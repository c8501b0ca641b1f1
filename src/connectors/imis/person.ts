// iMIS contacts: the sheet's contact fields (DESIGN §5) read from and written into the
// PartyData/PersonData JSON that iMIS sends and accepts (research/imis-api.md §3.3, checked against
// the real ComboPartyData body in research/imis/party-put-body-partydata.json).
//
// iMIS replaces the whole party on PUT. So an update always goes GET the party, apply the mapped
// fields to a copy with applyContactFields, then PUT the copy. Every key this module does not map
// is carried through untouched, including keys it has never heard of. Creating a contact goes
// through the same setters, so a new contact and an updated one are shaped alike.
//
// Pure code: no I/O and no Node or Apps Script globals, because it runs in both places.

import type { FieldValue, Payload } from '../../core/push/types';
import type { FieldChange } from '../../core/results';

/** The iMIS contact fields a push job can map (DESIGN §5). Any other name is an additional attribute. */
export const CONTACT_FIELDS: readonly string[] = Object.freeze([
  'ID',
  'FirstName',
  'MiddleName',
  'LastName',
  'Prefix',
  'Suffix',
  'Email',
  'Phone',
  'Organization',
  'Title',
  'AddressLine1',
  'AddressLine2',
  'City',
  'StateProvince',
  'PostalCode',
  'Country',
  'BirthDate',
  'MemberType',
]);

/** The party object exactly as iMIS sends it. Unknown keys are never dropped. */
export type PartyJson = Record<string, unknown>;

/** A value the contact cannot take, such as "maybe" for a Boolean attribute. The row fails with this message; the run goes on. */
export class ContactValueError extends Error {
  override name = 'ContactValueError';
}

// The $type strings, copied from the real body iMIS returns (party-put-body-partydata.json). The
// root PersonData type comes from the research (§3.3: R3 and R5 POST it). The capture's own root is
// ComboPartyData, which iMIS only sends back.
const M = 'Asi.Soa.Membership.DataContracts';
const C = 'Asi.Soa.Core.DataContracts';
const TYPE = {
  person: `${M}.PersonData, Asi.Contracts`,
  personName: `${M}.PersonNameData, Asi.Contracts`,
  emails: `${M}.EmailDataCollection, Asi.Contracts`,
  email: `${M}.EmailData, Asi.Contracts`,
  phones: `${M}.PhoneDataCollection, Asi.Contracts`,
  phone: `${M}.PhoneData, Asi.Contracts`,
  addresses: `${M}.FullAddressDataCollection, Asi.Contracts`,
  fullAddress: `${M}.FullAddressData, Asi.Contracts`,
  address: `${M}.AddressData, Asi.Contracts`,
  // The capture uses this collection for AddressLines, not a generic List<string>.
  addressLines: `${M}.AddressLineDataCollection, Asi.Contracts`,
  organization: `${M}.PrimaryOrganizationInformationData, Asi.Contracts`,
  properties: `${C}.GenericPropertyDataCollection, Asi.Contracts`,
  property: `${C}.GenericPropertyData, Asi.Contracts`,
} as const;

type Obj = Record<string, unknown>;

// ---- small JSON helpers ----------------------------------------------------------------------

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(parent: Obj | undefined, key: string): Obj | undefined {
  const v = parent?.[key];
  return isObj(v) ? v : undefined;
}

/** parent[key] as an object, created as `{ $type }` when it is missing. */
function ensureChild(parent: Obj, key: string, type: string): Obj {
  const v = parent[key];
  if (isObj(v)) return v;
  const made: Obj = { $type: type };
  parent[key] = made;
  return made;
}

/** The raw `$values` of an iMIS collection at parent[key], or undefined. */
function values(parent: Obj | undefined, key: string): unknown[] | undefined {
  const v = child(parent, key)?.['$values'];
  return Array.isArray(v) ? v : undefined;
}

/** The object entries of an iMIS collection (`{ $type, $values: [...] }`) at parent[key]. */
function entries(parent: Obj | undefined, key: string): Obj[] {
  return (values(parent, key) ?? []).filter(isObj);
}

/** The `$values` array of the collection at parent[key], creating the collection when it is missing. */
function ensureValues(parent: Obj, key: string, type: string): unknown[] {
  const c = ensureChild(parent, key, type);
  const v = c['$values'];
  if (Array.isArray(v)) return v;
  const made: unknown[] = [];
  c['$values'] = made;
  return made;
}

/** Any JSON value as the text the Sync Log shows and the comparison uses: '' for nothing, booleans as TRUE/FALSE, `{$type,$value}` unwrapped. */
function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (isObj(v) && '$value' in v) return text(v['$value']);
  return JSON.stringify(v);
}

const lower = (v: unknown): string => text(v).toLowerCase();

/** A copy that shares nothing with the original. The party came from JSON, so JSON copies it exactly. */
function deepCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** yyyy-mm-dd becomes iMIS's own date style, yyyy-mm-ddT00:00:00. Any other value is kept as text. */
function isoDateTime(v: FieldValue): string {
  const s = text(v);
  return DATE_ONLY.test(s) ? `${s}T00:00:00` : s;
}

// ---- field accessors -------------------------------------------------------------------------

interface Context {
  /** True while building a new PersonData (newPerson), false when changing a party read from iMIS. */
  isNew: boolean;
}

interface Accessor {
  read(p: Obj): string;
  /** The text the field will have once `value` is written. When it equals read(p), nothing is written. Defaults to text(value). */
  want?(p: Obj, value: FieldValue): string;
  write(p: Obj, value: FieldValue, ctx: Context): void;
}

/**
 * iMIS's FullName: "Prefix First Middle Last, Suffix". This is the style of the capture ("Mr.
 * Douglas A. Hunt, Jr."), so unchanged parts give back exactly the FullName iMIS sent.
 */
function fullName(name: Obj): string {
  const part = (k: string) => text(name[k]).trim().replace(/\s+/g, ' ');
  const main = ['NamePrefix', 'FirstName', 'MiddleName', 'LastName'].map(part).filter((s) => s !== '').join(' ');
  const suffix = part('NameSuffix');
  if (suffix === '') return main;
  return main === '' ? suffix : `${main}, ${suffix}`;
}

function namePart(key: string): Accessor {
  return {
    read: (p) => text(child(p, 'PersonName')?.[key]),
    write: (p, v, ctx) => {
      const name = ensureChild(p, 'PersonName', TYPE.personName);
      const hadFullName = 'FullName' in name;
      name[key] = text(v);
      // FullName is derived by iMIS from the parts. A FullName that was sent to us would otherwise
      // go back stale in the PUT body and contradict the new parts (and the Sync Log preview), so
      // keep it in step. Where the party had none, iMIS computes it and we add nothing. A new person
      // gets one so the POST body is complete.
      if (hadFullName || ctx.isNew) name['FullName'] = fullName(name);
    },
  };
}

/**
 * The FullAddressData whose AddressPurpose matches `purpose` (case-insensitive) gets `value` in its
 * `key` (Email or Phone), but only when it held exactly the old value. iMIS lists an address's email
 * and phone in Emails/Phones with the purpose as their type (the capture has an Emails entry of
 * type "Address" that equals the "Address" address's Email). These are one datum shown twice, and
 * a PUT carrying both copies with different values would be ambiguous.
 */
function mirrorToAddress(p: Obj, purpose: unknown, key: string, old: string, value: string): void {
  const want = lower(purpose);
  if (want === '') return;
  for (const full of entries(p, 'Addresses')) {
    if (lower(full['AddressPurpose']) === want && key in full && text(full[key]) === old) full[key] = value;
  }
}

function primaryEmail(p: Obj): Obj | undefined {
  const list = entries(p, 'Emails');
  return list.find((e) => text(e['IsPrimary']) === 'TRUE') ?? list.find((e) => lower(e['EmailType']) === '_primary') ?? list[0];
}

const email: Accessor = {
  read: (p) => text(primaryEmail(p)?.['Address']),
  write: (p, v) => {
    const value = text(v);
    const entry = primaryEmail(p);
    if (entry) {
      // A null blanks the primary address. The entry and any other emails stay.
      const old = text(entry['Address']);
      entry['Address'] = value;
      mirrorToAddress(p, entry['EmailType'], 'Email', old, value);
      return;
    }
    ensureValues(p, 'Emails', TYPE.emails).push({ $type: TYPE.email, Address: value, EmailType: '_Primary', IsPrimary: true });
  },
};

function primaryPhone(p: Obj): Obj | undefined {
  const list = entries(p, 'Phones');
  return list.find((e) => text(e['IsPrimary']) === 'TRUE') ?? list[0];
}

const phone: Accessor = {
  read: (p) => text(primaryPhone(p)?.['Number']),
  write: (p, v) => {
    const value = text(v);
    const entry = primaryPhone(p);
    if (entry) {
      const old = text(entry['Number']);
      entry['Number'] = value;
      mirrorToAddress(p, entry['PhoneType'], 'Phone', old, value);
      return;
    }
    ensureValues(p, 'Phones', TYPE.phones).push({ $type: TYPE.phone, Number: value, PhoneType: '_Work Phone' });
  },
};

function organizationPart(key: 'Name' | 'Title'): Accessor {
  return {
    read: (p) => text(child(p, 'PrimaryOrganization')?.[key]),
    write: (p, v) => {
      ensureChild(p, 'PrimaryOrganization', TYPE.organization)[key] = text(v);
      // ComboPartyData also carries the organisation name at the top level (OrganizationName).
      // Keep that copy in step when the party has it. Never add one.
      // OrganizationPartyId, when present, is left alone: it links the contact to an organisation
      // record (company membership and billing hang off it). Breaking that link over a difference
      // in name text would do more harm than a name iMIS may take from the linked record.
      if (key === 'Name' && 'OrganizationName' in p) p['OrganizationName'] = text(v);
    },
  };
}

/** The contact's main FullAddressData: the one with AddressPurpose "Address", else the first. */
function mainAddress(p: Obj): Obj | undefined {
  const list = entries(p, 'Addresses');
  return list.find((a) => lower(a['AddressPurpose']) === 'address') ?? list[0];
}

function addressData(p: Obj): Obj | undefined {
  return child(mainAddress(p), 'Address');
}

/** The main address's AddressData. A FullAddressData (purpose "Address") is created when the contact has none. */
function ensureAddressData(p: Obj): Obj {
  let full = mainAddress(p);
  if (!full) {
    full = { $type: TYPE.fullAddress, AddressPurpose: 'Address', Address: { $type: TYPE.address } };
    ensureValues(p, 'Addresses', TYPE.addresses).push(full);
  }
  return ensureChild(full, 'Address', TYPE.address);
}

// A note for every address setter: iMIS computes the display texts (AddressData.FullAddress,
// FullAddressData.AddresseeText, the Display* fields) from the parts when it saves, so they are
// left as they were, not rebuilt here.

function addressLine(index: number): Accessor {
  return {
    read: (p) => text(values(addressData(p), 'AddressLines')?.[index]),
    write: (p, v) => {
      const lines = ensureValues(ensureAddressData(p), 'AddressLines', TYPE.addressLines);
      while (lines.length <= index) lines.push('');
      lines[index] = text(v);
      // A blanked last line is removed, with any blank lines before it, so no empty lines are sent.
      if (lines.length === index + 1) while (lines.length > 0 && text(lines[lines.length - 1]) === '') lines.pop();
    },
  };
}

function addressPart(key: string): Accessor {
  return {
    read: (p) => text(addressData(p)?.[key]),
    write: (p, v) => {
      ensureAddressData(p)[key] = text(v);
    },
  };
}

/**
 * The state or province: CountrySubEntityCode, or CountrySubEntityName when there is no code.
 * When the code is written, the name that went with the old code is removed rather than left to
 * contradict it ("NY" beside "New Jersey"). iMIS fills it in again from the code.
 */
const stateProvince: Accessor = {
  read: (p) => {
    const a = addressData(p);
    return text(a?.['CountrySubEntityCode']) || text(a?.['CountrySubEntityName']);
  },
  write: (p, v) => {
    const a = ensureAddressData(p);
    a['CountrySubEntityCode'] = text(v);
    delete a['CountrySubEntityName'];
  },
};

const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/**
 * The country: CountryName (e.g. "United States"), or CountryCode when there is no name. A
 * 2-letter value is a code and goes to CountryCode. Anything else is a name and goes to
 * CountryName. Whichever of the pair is not written is removed, because it described the old
 * country. A code that matches the current CountryCode (any case) is no change, even though the
 * field reads as the name.
 */
const country: Accessor = {
  read: (p) => {
    const a = addressData(p);
    return text(a?.['CountryName']) || text(a?.['CountryCode']);
  },
  want: (p, v) => {
    const s = text(v);
    if (!COUNTRY_CODE.test(s)) return s;
    const current = text(addressData(p)?.['CountryCode']);
    return current.toUpperCase() === s.toUpperCase() ? country.read(p) : s.toUpperCase();
  },
  write: (p, v) => {
    const s = text(v);
    const a = ensureAddressData(p);
    if (COUNTRY_CODE.test(s)) {
      a['CountryCode'] = s.toUpperCase();
      delete a['CountryName'];
    } else {
      a['CountryName'] = s;
      delete a['CountryCode'];
    }
  },
};

const birthDate: Accessor = {
  read: (p) => text(p['BirthDate']),
  want: (_p, v) => isoDateTime(v),
  write: (p, v) => {
    // A DateTime cannot be '', so a blanked birth date is sent as null.
    const s = isoDateTime(v);
    p['BirthDate'] = s === '' ? null : s;
  },
};

// ---- additional attributes -------------------------------------------------------------------

function findProperty(p: Obj, name: string): Obj | undefined {
  const n = name.toLowerCase();
  return entries(p, 'AdditionalAttributes').find((e) => lower(e['Name']) === n);
}

type Kind = 'boolean' | 'integer' | 'number' | 'date' | 'text';

/** What kind of value a property holds, from its wrapper's $type or else from the JSON value itself. */
function kindOf(type: string | undefined, sample: unknown): Kind {
  const t = (type ?? '').split(',')[0]!.trim();
  if (t === 'System.Boolean') return 'boolean';
  if (/^System\.(S?Byte|U?Int(16|32|64))$/.test(t)) return 'integer';
  if (/^System\.(Decimal|Double|Single)$/.test(t)) return 'number';
  if (t === 'System.DateTime') return 'date';
  if (t === 'System.String') return 'text';
  if (typeof sample === 'boolean') return 'boolean';
  if (typeof sample === 'number') return 'number';
  if (typeof sample === 'string' && DATE_TIME.test(sample)) return 'date';
  return 'text';
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** `value` converted to the kind the property already holds, or a ContactValueError naming the property. */
function convert(kind: Kind, value: Exclude<FieldValue, null>, name: string): string | number | boolean {
  const s = text(value).trim();
  switch (kind) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const l = s.toLowerCase();
      if (['true', 'yes', 'y', '1'].includes(l)) return true;
      if (['false', 'no', 'n', '0'].includes(l)) return false;
      throw new ContactValueError(`${name} needs TRUE or FALSE, not "${text(value)}"`);
    }
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && INTEGER.test(s)) return Number(s);
      throw new ContactValueError(`${name} needs a whole number, not "${text(value)}"`);
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && NUMBER.test(s)) return Number(s);
      throw new ContactValueError(`${name} needs a number, not "${text(value)}"`);
    case 'date':
      return isoDateTime(value);
    case 'text':
      return text(value);
  }
}

/** `value` shaped like the property's current value: wrapped `{ $type, $value }` with the same $type, or a plain value of the same kind. */
function valueLike(existing: unknown, value: Exclude<FieldValue, null>, name: string): unknown {
  if (isObj(existing)) {
    if (!('$value' in existing)) throw new ContactValueError(`${name} holds a structured value that a sheet cell cannot replace`);
    const type = typeof existing['$type'] === 'string' ? existing['$type'] : undefined;
    const wrapped: Obj = { ...existing, $value: convert(kindOf(type, existing['$value']), value, name) };
    return wrapped;
  }
  if (existing === undefined || existing === null) return value;
  return convert(kindOf(undefined, existing), value, name);
}

/** An AdditionalAttributes property, found by name case-insensitively and added when absent. */
function attribute(name: string): Accessor {
  return {
    read: (p) => text(findProperty(p, name)?.['Value']),
    want: (p, v) => (v === null ? '' : text(valueLike(findProperty(p, name)?.['Value'], v, name))),
    write: (p, v) => {
      const prop = findProperty(p, name);
      if (!prop) {
        if (v !== null) ensureValues(p, 'AdditionalAttributes', TYPE.properties).push({ $type: TYPE.property, Name: name, Value: v });
        return;
      }
      // iMIS itself sends a null property with no Value at all (see the IQA and panel captures),
      // and for a typed (wrapped) value '' would not even be of the right type.
      if (v === null) delete prop['Value'];
      else prop['Value'] = valueLike(prop['Value'], v, name);
    },
  };
}

const ACCESSORS: Readonly<Record<string, Accessor>> = {
  FirstName: namePart('FirstName'),
  MiddleName: namePart('MiddleName'),
  LastName: namePart('LastName'),
  Prefix: namePart('NamePrefix'),
  Suffix: namePart('NameSuffix'),
  Email: email,
  Phone: phone,
  Organization: organizationPart('Name'),
  Title: organizationPart('Title'),
  AddressLine1: addressLine(0),
  AddressLine2: addressLine(1),
  City: addressPart('CityName'),
  StateProvince: stateProvince,
  PostalCode: addressPart('PostalCode'),
  Country: country,
  BirthDate: birthDate,
  // iMIS's member type is the CustomerTypeCode attribute (e.g. "CM" in the capture).
  MemberType: attribute('CustomerTypeCode'),
};

function accessor(field: string): Accessor {
  if (field === '') throw new ContactValueError('A mapped iMIS field has no name');
  return Object.prototype.hasOwnProperty.call(ACCESSORS, field) ? ACCESSORS[field]! : attribute(field);
}

/** Writes one field into p. Returns the change, or null when the field's text stays the same (then p is not touched). */
function setField(p: Obj, field: string, value: FieldValue, ctx: Context): FieldChange | null {
  const acc = accessor(field);
  const before = acc.read(p);
  const want = acc.want ? acc.want(p, value) : text(value);
  if (want === before) return null;
  acc.write(p, value, ctx);
  const after = acc.read(p);
  return after === before ? null : { field, before, after };
}

// ---- public API ------------------------------------------------------------------------------

const CANONICAL = new Map(CONTACT_FIELDS.map((f) => [f.toLowerCase(), f]));

/** Canonical contact field name (case-insensitive, ignoring spaces: 'first name' → 'FirstName'), or the name as given (trimmed) for any other name: it then means an AdditionalAttributes property of that name. */
export function contactField(name: string): string {
  const trimmed = name.trim();
  return CANONICAL.get(trimmed.replace(/\s+/g, '').toLowerCase()) ?? trimmed;
}

/** The iMIS ID of a party object (Id, else PartyId), '' when absent. */
export function partyId(party: PartyJson): string {
  return text(party['Id']) || text(party['PartyId']);
}

/** A field's current value as text ('' when absent), for comparing and for the Sync Log. */
export function readContactField(party: PartyJson, field: string): string {
  const f = contactField(field);
  if (f === 'ID') return partyId(party);
  if (f === '') return '';
  return accessor(f).read(party);
}

/**
 * A deep copy of the party with the payload applied, and the fields whose text actually changed
 * (FieldChange {field, before, after}). Everything the payload does not name is kept exactly as it
 * was (iMIS replaces the whole object on PUT). A null value blanks the field. 'ID' in the payload is
 * ignored (it identifies, never changes). Throws ContactValueError for a value a typed attribute
 * cannot take.
 */
export function applyContactFields(party: PartyJson, payload: Payload): { party: PartyJson; changes: FieldChange[] } {
  const copy = deepCopy(party);
  const changes: FieldChange[] = [];
  for (const [name, value] of Object.entries(payload)) {
    const field = contactField(name);
    if (field === 'ID') continue;
    const change = setField(copy, field, value, { isNew: false });
    if (!change) continue;
    // Two payload names for one field (e.g. "Email" and "email"): one entry, from the first before to the last after.
    const earlier = changes.findIndex((c) => c.field.toLowerCase() === field.toLowerCase());
    if (earlier < 0) changes.push(change);
    else if (changes[earlier]!.before === change.after) changes.splice(earlier, 1);
    else changes[earlier] = { ...changes[earlier]!, after: change.after };
  }
  return { party: copy, changes };
}

/**
 * A new PersonData body for POST /api/Party from the payload (with $type wrappers exactly as iMIS
 * expects). It holds only what the payload gives: no Id (iMIS assigns it) and no Status (iMIS
 * defaults it; the clients in the research create with PersonName and Emails alone). Blank and
 * null values add nothing.
 */
export function newPerson(payload: Payload): PartyJson {
  const person: PartyJson = { $type: TYPE.person };
  for (const [name, value] of Object.entries(payload)) {
    const field = contactField(name);
    if (field === 'ID') continue;
    setField(person, field, value, { isNew: true });
  }
  return person;
}
