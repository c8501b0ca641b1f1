// What a person payload (the "Match Candidate" / PersonInput of findOrCreate, find and
// POST /people/{vanId}) does: first every value is checked and mapped from VAN's write codes to what
// it stores, so a refused payload changes nothing; then the checked write is merged into a person.
// Merging follows the recordings: scalars left out keep their values, emails/phones/addresses are
// appended (an identical one is not added twice), an unsubscribe is for ever; an external ID
// replaces the one the person held under its type.

import { checkFieldValue, isCalendarDate, type CustomFieldDefinition, type StoredFieldValue } from './custom-fields';
import type {
  AddressType, DeviceType, PhoneOptInStatus, PhoneType, StoredAddress, StoredEmail, StoredPerson, StoredPhone, SubscriptionStatus,
} from './people';
import { knownIdentifierType } from './external-ids';
import { invalid, type ApiError, type JsonObject } from './wire';

const TEXT_FIELDS = [
  'firstName', 'middleName', 'lastName', 'title', 'salutation', 'envelopeName', 'nickname', 'website',
  'employer', 'occupation', 'jobTitle', 'organizationContactCommonName', 'organizationContactOfficialName',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];

export interface EmailWrite {
  email: string;
  type?: 'P' | 'W' | 'O';
  isPreferred?: boolean;
  status?: SubscriptionStatus;
}

export interface PhoneWrite {
  phoneNumber: string;
  ext?: string;
  phoneType?: PhoneType;
  deviceType?: DeviceType;
  isPreferred?: boolean;
  optIn?: PhoneOptInStatus;
  isCellStatus?: { statusId: number; statusName: string };
  dialingPrefix: string;
  countryCode: string;
}

export interface AddressWrite {
  addressLine1: string | null;
  addressLine2: string | null;
  addressLine3: string | null;
  city: string | null;
  stateOrProvince: string | null;
  zipOrPostalCode: string | null;
  countryCode: string;
  type: AddressType;
}

export interface IdentifierWrite {
  /** As the committee spells it. */
  type: string;
  externalId: string;
}

export interface CustomFieldWrite {
  def: CustomFieldDefinition;
  value: StoredFieldValue | null;
}

/** A checked payload: only what the body actually set. A text value of null means "clear it". */
export interface PersonWrite {
  /** A vanId in the body (0 and null count as none). */
  vanId: number | null;
  text: Partial<Record<TextField, string | null>>;
  party?: string | null;
  suffix?: string;
  sex?: 'M' | 'F';
  dateOfBirth?: string;
  contactMethodPreferenceCode?: 'P' | 'E' | 'M' | 'F' | 'S';
  contactMode?: 'Person' | 'Organization';
  emails: EmailWrite[];
  phones: PhoneWrite[];
  addresses: AddressWrite[];
  customFields: CustomFieldWrite[];
  identifiers: IdentifierWrite[];
}

/** 500 (with no errors listed) = the payload would crash VAN itself. */
export type ParsedWrite = { write: PersonWrite } | { status: 400 | 500; errors: ApiError[] };

/** The hint VAN gives for a North American number (error-400-invalid-phone.van-openapi-example.json). */
export const NORTH_AMERICAN_PHONE_HINT =
  'After non-numeric characters are removed, value must match the regular expression: ^1?[2-9][0-8]\\d[2-9]\\d{6,6}$';
const NORTH_AMERICAN_PHONE = /^1?[2-9][0-8]\d[2-9]\d{6,6}$/;

// Loose on purpose: VAN's exact email rule is not public; this refuses what is plainly not an address.
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** van-openapi: suffixes are looked up case- and punctuation-insensitively; the list itself is a guess. */
const SUFFIXES = ['Jr', 'Sr', 'II', 'III', 'IV', 'V'];

const CELL_STATUSES: Record<number, string> = { 1: 'Verified Cell', 2: 'Likely Cell', 3: 'Likely Not a Cell', 4: 'Not a Cell' };

/** Write codes → stored phone type, and the device some codes imply (van-openapi PersonPhoneInput). */
const PHONE_TYPES: Record<string, [PhoneType, DeviceType | undefined]> = {
  H: ['Personal', undefined], C: ['Personal', 'Cell'], M: ['Personal', undefined], P: ['Personal', undefined],
  W: ['Work', undefined], F: ['Work', 'Fax'], O: ['Other', undefined],
  // The read words written back are accepted as well (a guess; clients copy what they read).
  PERSONAL: ['Personal', undefined], WORK: ['Work', undefined], OTHER: ['Other', undefined], CELL: ['Personal', 'Cell'],
};
const DEVICE_TYPES: Record<string, DeviceType> = {
  C: 'Cell', L: 'Landline', U: 'Unknown', F: 'Fax', V: 'VoIP', '1': 'Cell', '2': 'Landline', '4': 'Unknown', '5': 'Fax', '6': 'VoIP',
  CELL: 'Cell', LANDLINE: 'Landline', UNKNOWN: 'Unknown', FAX: 'Fax', VOIP: 'VoIP',
};
/** 'Voting' is Home by another name; single letters (the old docs' fixture writes "H", "W") are accepted too (a guess). */
const ADDRESS_TYPES: Record<string, AddressType> = {
  HOME: 'Home', VOTING: 'Home', MAILING: 'Mailing', WORK: 'Work', CUSTOM: 'Custom', H: 'Home', V: 'Home', M: 'Mailing', W: 'Work', C: 'Custom',
};

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A scalar as Json.NET binds it to a string property: numbers become text, null means "not sent". */
function textOf(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function normalizedCode(v: unknown): string | undefined {
  const t = textOf(v);
  return t === undefined || t === null ? undefined : t.trim().toUpperCase();
}

/** Digits of a phone number, without the North American leading 1. */
export function phoneDigits(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

/**
 * dateOfBirth: an ISO date (optionally with a midnight time) or US M/D/YYYY. Unparseable → undefined
 * (van-openapi: silently dropped); outside 1900–2099 → the recorded refusal.
 */
function parseDateOfBirth(v: unknown): { date?: string; error?: ApiError } {
  if (typeof v !== 'string') return {};
  const s = v.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us) [y, m, d] = [Number(us[3]), Number(us[1]), Number(us[2])];
  else return {};
  if (!isCalendarDate(y, m, d)) return {};
  if (y < 1900 || y > 2099) return { error: invalid("'dateOfBirth' must be in the 20th or 21st century.", 'dateOfBirth') };
  return { date: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

function trimmedOrNull(v: unknown): string | null {
  const t = textOf(v);
  if (t === undefined || t === null) return null;
  const s = t.trim();
  return s === '' ? null : s;
}

/**
 * Checks a person payload. Error wording is taken from the recordings where one exists (invalid
 * email, invalid phone hint, ext length, dateOfBirth century, sex, unknown custom field) and guessed
 * elsewhere. Every problem found is reported, as VAN's `errors` is an array.
 */
export function parsePersonInput(body: JsonObject, fields: ReadonlyMap<number, CustomFieldDefinition>): ParsedWrite {
  const problems: ApiError[] = [];
  let nullEntry = false;
  const write: PersonWrite = { vanId: null, text: {}, emails: [], phones: [], addresses: [], customFields: [], identifiers: [] };

  const rawVanId = body['vanId'];
  if (rawVanId !== undefined && rawVanId !== null) {
    if (typeof rawVanId === 'number' && Number.isInteger(rawVanId)) write.vanId = rawVanId > 0 ? rawVanId : null;
    else if (typeof rawVanId === 'string' && /^-?\d+$/.test(rawVanId.trim())) write.vanId = Number(rawVanId) > 0 ? Number(rawVanId) : null;
    else problems.push(invalid("'vanId' must be an integer.", 'vanId'));
  }

  for (const key of TEXT_FIELDS) {
    const v = textOf(body[key]);
    if (v === undefined) continue;
    if (v === null) {
      problems.push(invalid(`'${key}' must be a string.`, key));
      continue;
    }
    // An empty string clears the field; null is indistinguishable from "not sent" (both guesses).
    const trimmed = v.trim();
    write.text[key] = trimmed === '' ? null : trimmed;
  }

  const party = textOf(body['party']);
  if (party === null || (typeof party === 'string' && party.trim().length > 1)) problems.push(invalid("'party' must be 1 character in length.", 'party'));
  else if (party !== undefined) write.party = party.trim() === '' ? null : party.trim();

  const suffix = textOf(body['suffix']);
  if (typeof suffix === 'string') {
    const key = suffix.toLowerCase().replace(/[^a-z0-9]/g, '');
    const hit = SUFFIXES.find((s) => s.toLowerCase() === key);
    if (hit) write.suffix = hit; // an unrecognised suffix is accepted and ignored (van-openapi)
  }

  const sex = normalizedCode(body['sex']);
  if (sex !== undefined && sex !== 'NONE' && sex !== '') {
    if (sex === 'M' || sex === 'F') write.sex = sex;
    else problems.push(invalid("The specified condition was not met for 'sex'", 'sex'));
  }

  const cmp = normalizedCode(body['contactMethodPreferenceCode']);
  if (cmp !== undefined && cmp !== 'NONE' && cmp !== '') {
    if (cmp === 'P' || cmp === 'E' || cmp === 'M' || cmp === 'F' || cmp === 'S') write.contactMethodPreferenceCode = cmp;
    else problems.push(invalid("The specified condition was not met for 'contactMethodPreferenceCode'", 'contactMethodPreferenceCode'));
  }

  const mode = normalizedCode(body['contactMode']);
  if (mode !== undefined) write.contactMode = mode === 'ORGANIZATION' ? 'Organization' : 'Person';

  const dob = parseDateOfBirth(body['dateOfBirth']);
  if (dob.error) problems.push(dob.error);
  if (dob.date) write.dateOfBirth = dob.date;

  // A bare object instead of an array is silently ignored (van-openapi PersonInput); a null entry
  // is a 500 for phones (recorded) and, by the same code path presumably, for the other lists.
  const list = (key: string): unknown[] => {
    const v = body[key];
    if (!Array.isArray(v)) return [];
    if (v.some((entry) => entry === null)) nullEntry = true;
    return v;
  };

  list('emails').forEach((entry, i) => {
    if (!isObject(entry)) return;
    const at = `emails[${i}]`;
    const email = trimmedOrNull(entry['email']);
    if (email === null) {
      problems.push(invalid("'email' is required.", `${at}.email`));
      return;
    }
    if (!EMAIL.test(email)) {
      problems.push(invalid("'email' is not a valid email address", `${at}.email`));
      return;
    }
    const w: EmailWrite = { email };
    const type = normalizedCode(entry['type']);
    if (type !== undefined && type !== 'NONE' && type !== '') {
      if (type === 'P' || type === 'W' || type === 'O') w.type = type;
      else problems.push(invalid("'type' must be one of P, W or O.", `${at}.type`));
    }
    if (typeof entry['isPreferred'] === 'boolean') w.isPreferred = entry['isPreferred'];
    const isSubscribed = entry['isSubscribed'];
    const status = normalizedCode(entry['subscriptionStatus']);
    const hasStatus = status !== undefined && status !== 'NONE' && status !== '';
    if (isSubscribed !== undefined && isSubscribed !== null && hasStatus) {
      // "Do not send isSubscribed and subscriptionStatus together" (research §3); wording is a guess.
      problems.push(invalid("'isSubscribed' and 'subscriptionStatus' cannot both be specified.", at));
      return;
    }
    if (hasStatus) {
      if (status === 'S' || status === 'N' || status === 'U') w.status = status;
      else problems.push(invalid("'subscriptionStatus' must be one of S, N or U.", `${at}.subscriptionStatus`));
    } else if (typeof isSubscribed === 'boolean') {
      w.status = isSubscribed ? 'S' : 'U'; // false is a permanent opt-out
    } else if (isSubscribed !== undefined && isSubscribed !== null) {
      problems.push(invalid("'isSubscribed' must be true or false.", `${at}.isSubscribed`));
    }
    write.emails.push(w);
  });

  list('phones').forEach((entry, i) => {
    if (!isObject(entry)) return;
    const at = `phones[${i}]`;
    const raw = textOf(entry['phoneNumber']);
    if (raw === undefined || raw === null || raw.trim() === '') {
      problems.push(invalid("'phoneNumber' is required.", `${at}.phoneNumber`));
      return;
    }
    const countryCode = (trimmedOrNull(entry['countryCode']) ?? 'US').toUpperCase();
    const dialingPrefix = trimmedOrNull(entry['dialingPrefix']) ?? (countryCode === 'US' || countryCode === 'CA' ? '1' : '');
    const northAmerican = (countryCode === 'US' || countryCode === 'CA') && dialingPrefix === '1';
    const digits = raw.replace(/\D/g, '');
    if (northAmerican ? !NORTH_AMERICAN_PHONE.test(digits) : !/^\d{6,15}$/.test(digits)) {
      // Text and hint as in the recorded GET /people?phoneNumber= refusal. van-openapi notes that
      // writes may word it "Phone number is not valid. If entering UK number, please include
      // leading 0." instead; the recorded shape is used here. Other countries: a loose 6–15 digits (guess).
      problems.push(
        invalid(
          `'phoneNumber' (${raw}) is not a valid phone number for ${northAmerican ? 'NorthAmerica' : countryCode}`,
          `${at}.phoneNumber`,
          northAmerican ? NORTH_AMERICAN_PHONE_HINT : undefined,
        ),
      );
      return;
    }
    const w: PhoneWrite = { phoneNumber: northAmerican ? phoneDigits(digits) : digits, dialingPrefix, countryCode };
    const type = normalizedCode(entry['phoneType']);
    if (type !== undefined && type !== 'NONE' && type !== '') {
      const mapped = PHONE_TYPES[type];
      if (!mapped) problems.push(invalid("'phoneType' must be one of H, W, O, C, M, F or P.", `${at}.phoneType`));
      else {
        w.phoneType = mapped[0];
        if (mapped[1]) w.deviceType = mapped[1];
      }
    }
    const device = normalizedCode(entry['deviceType']);
    if (device !== undefined && device !== '') {
      const mapped = DEVICE_TYPES[device];
      if (!mapped) problems.push(invalid("'deviceType' must be one of C, L, U, F, V (or 1, 2, 4, 5, 6).", `${at}.deviceType`));
      else w.deviceType = mapped;
    }
    const ext = textOf(entry['ext']);
    if (typeof ext === 'string' && ext.trim() !== '') {
      if (ext.trim().length > 6) problems.push(invalid("'ext' must be between 0 and 6 characters", `${at}.ext`));
      else w.ext = ext.trim();
    }
    if (typeof entry['isPreferred'] === 'boolean') w.isPreferred = entry['isPreferred'];
    const optIn = normalizedCode(entry['phoneOptInStatus']);
    if (optIn !== undefined && optIn !== 'NONE' && optIn !== '') {
      if (optIn === 'I' || optIn === 'U' || optIn === 'O') w.optIn = optIn;
      else problems.push(invalid("'phoneOptInStatus' must be one of I, U or O.", `${at}.phoneOptInStatus`));
    }
    const cell = entry['isCellStatus'];
    if (isObject(cell)) {
      const byId = typeof cell['statusId'] === 'number' ? CELL_STATUSES[cell['statusId']] : undefined;
      const byName = Object.entries(CELL_STATUSES).find(([, name]) => name.toLowerCase() === String(cell['statusName'] ?? '').toLowerCase());
      if (byId) w.isCellStatus = { statusId: cell['statusId'] as number, statusName: byId };
      else if (byName) w.isCellStatus = { statusId: Number(byName[0]), statusName: byName[1] };
      else problems.push(invalid("'isCellStatus' must name a statusId from 1 to 4 or its statusName.", `${at}.isCellStatus`));
    }
    write.phones.push(w);
  });

  list('addresses').forEach((entry, i) => {
    if (!isObject(entry)) return;
    const at = `addresses[${i}]`;
    const type = normalizedCode(entry['type']);
    let stored: AddressType = 'Home';
    if (type !== undefined && type !== 'NONE' && type !== '') {
      const mapped = ADDRESS_TYPES[type];
      if (!mapped) {
        problems.push(invalid("'type' must be one of Home, Voting, Mailing, Work or Custom.", `${at}.type`));
        return;
      }
      stored = mapped;
    }
    const countryCode = (trimmedOrNull(entry['countryCode']) ?? 'US').toUpperCase();
    if (!/^[A-Z]{2}$/.test(countryCode)) {
      problems.push(invalid("'countryCode' must be a two-letter ISO country code.", `${at}.countryCode`));
      return;
    }
    const w: AddressWrite = {
      addressLine1: trimmedOrNull(entry['addressLine1']),
      addressLine2: trimmedOrNull(entry['addressLine2']),
      addressLine3: trimmedOrNull(entry['addressLine3']),
      city: trimmedOrNull(entry['city']),
      stateOrProvince: trimmedOrNull(entry['stateOrProvince'])?.toUpperCase() ?? null,
      zipOrPostalCode: trimmedOrNull(entry['zipOrPostalCode']),
      countryCode,
      type: stored,
    };
    if (w.addressLine1 || w.addressLine2 || w.addressLine3 || w.city || w.stateOrProvince || w.zipOrPostalCode) write.addresses.push(w);
  });

  list('customFieldValues').forEach((entry, i) => {
    if (!isObject(entry)) return;
    const at = `customFieldValues[${i}]`;
    const id = Number(entry['customFieldId']);
    const def = Number.isInteger(id) ? fields.get(id) : undefined;
    if (!def) {
      problems.push(invalid(`Custom field ${String(entry['customFieldId'])} does not exist.`, `${at}.customFieldId`));
      return;
    }
    // Both ids are documented as part of the value; refusing a missing or wrong group is a guess.
    const group = entry['customFieldGroupId'];
    if (group === undefined || group === null) {
      problems.push(invalid("'customFieldGroupId' is required.", `${at}.customFieldGroupId`));
      return;
    }
    if (Number(group) !== def.customFieldGroupId) {
      problems.push(invalid(`Custom field ${def.customFieldId} is not in custom field group ${String(group)}.`, `${at}.customFieldGroupId`));
      return;
    }
    const checked = checkFieldValue(def, entry['assignedValue'], `${at}.assignedValue`);
    if ('error' in checked) problems.push(checked.error);
    else write.customFields.push({ def, value: checked.value });
  });

  // identifiers need a type the committee defines. The text of the refusal is van-openapi's
  // (PersonIdentifierInput: "'type' (bogus) is not a valid ExternalID in this context"); its code
  // and `properties` path were not recorded and follow VAN's other INVALID_PARAMETER refusals.
  // The wording for a missing type or value is a guess.
  list('identifiers').forEach((entry, i) => {
    if (!isObject(entry)) return;
    const at = `identifiers[${i}]`;
    const type = trimmedOrNull(entry['type']);
    const externalId = trimmedOrNull(entry['externalId']);
    if (type === null) problems.push(invalid("'type' is required.", `${at}.type`));
    else if (!knownIdentifierType(type)) problems.push(invalid(`'type' (${type}) is not a valid ExternalID in this context`, `${at}.type`));
    else if (externalId === null) problems.push(invalid("'externalId' is required.", `${at}.externalId`));
    else write.identifiers.push({ type: knownIdentifierType(type)!, externalId });
  });

  if (nullEntry) return { status: 500, errors: [] };
  return problems.length > 0 ? { status: 400, errors: problems } : { write };
}

// ---- merging a checked write into a person ----

export interface IdSource {
  newPhoneId(): number;
  newAddressId(): number;
}

/**
 * Email status after a write. U is terminal (recorded: "U is terminal"). N over an existing S is open
 * (research §8.2); this simulator lets N not downgrade S, so a liberal push of a not-opted-in row never
 * unsubscribes-in-effect anyone who had subscribed. S lifts N.
 */
export function mergeSubscription(current: SubscriptionStatus, incoming: SubscriptionStatus | undefined): SubscriptionStatus {
  if (incoming === undefined || current === 'U') return current;
  if (incoming === 'U' || incoming === 'S') return incoming;
  return current === 'S' ? 'S' : 'N';
}

/**
 * Phone opt-in after a write. Opt-Out is treated as terminal like an email U (a guess: nothing public
 * says whether I after O re-subscribes), and U ("unknown") never erases a recorded I.
 */
export function mergeOptIn(current: PhoneOptInStatus, incoming: PhoneOptInStatus | undefined): PhoneOptInStatus {
  if (incoming === undefined || current === 'O') return current;
  if (incoming === 'U') return current;
  return incoming;
}

function addressKey(a: { addressLine1: string | null; addressLine2: string | null; city: string | null; stateOrProvince: string | null; zipOrPostalCode: string | null; type: AddressType }): string {
  const n = (s: string | null) => (s ?? '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return [a.type, n(a.addressLine1), n(a.addressLine2), n(a.city), n(a.stateOrProvince), n(a.zipOrPostalCode)].join('|');
}

function comparable(p: StoredPerson): string {
  const { changes: _changes, dateModified: _modified, ...rest } = p;
  return JSON.stringify(rest);
}

/** Merges `w` into `p` (dated `at`); true when anything changed. */
export function applyWrite(p: StoredPerson, w: PersonWrite, at: number, ids: IdSource): boolean {
  const before = comparable(p);

  for (const [key, value] of Object.entries(w.text) as [TextField, string | null][]) p[key] = value;
  if (w.party !== undefined) p.party = w.party;
  if (w.suffix !== undefined) p.suffix = w.suffix;
  if (w.sex !== undefined) p.sex = w.sex;
  if (w.dateOfBirth !== undefined) p.dateOfBirth = w.dateOfBirth;
  if (w.contactMethodPreferenceCode !== undefined) p.contactMethodPreferenceCode = w.contactMethodPreferenceCode;
  if (w.contactMode !== undefined) p.contactMode = w.contactMode;

  for (const e of w.emails) {
    const existing = p.emails.find((x) => x.email.toLowerCase() === e.email.toLowerCase());
    const makePreferred = (target: StoredEmail) => {
      for (const x of p.emails) x.isPreferred = x === target;
    };
    if (existing) {
      existing.subscriptionStatus = mergeSubscription(existing.subscriptionStatus, e.status);
      if (e.isPreferred === true) {
        makePreferred(existing);
        p.preferredEmailPinned = true;
      }
      continue;
    }
    const stored: StoredEmail = { email: e.email, type: e.type ?? 'P', isPreferred: false, subscriptionStatus: e.status ?? 'S', dateCreated: at };
    p.emails.push(stored);
    // A new address takes the preferred flag unless another one was pinned with an explicit true.
    if (e.isPreferred === true) {
      makePreferred(stored);
      p.preferredEmailPinned = true;
    } else if (e.isPreferred !== false && !p.preferredEmailPinned) {
      makePreferred(stored);
    }
  }

  for (const ph of w.phones) {
    let target: StoredPhone | undefined = p.phones.find((x) => x.phoneNumber === ph.phoneNumber && x.countryCode === ph.countryCode);
    if (target) {
      target.phoneOptInStatus = mergeOptIn(target.phoneOptInStatus, ph.optIn);
      if (ph.phoneType) target.phoneType = ph.phoneType;
      if (ph.deviceType) target.deviceType = ph.deviceType;
      if (ph.ext !== undefined) target.ext = ph.ext;
      if (ph.isCellStatus) target.isCellStatus = ph.isCellStatus;
    } else {
      target = {
        phoneId: ids.newPhoneId(),
        phoneNumber: ph.phoneNumber,
        ext: ph.ext ?? null,
        phoneType: ph.phoneType ?? 'Personal',
        deviceType: ph.deviceType ?? 'Unknown',
        isPreferred: false,
        phoneOptInStatus: ph.optIn ?? 'U',
        isCellStatus: ph.isCellStatus ?? null,
        dialingPrefix: ph.dialingPrefix,
        countryCode: ph.countryCode,
        dateCreated: at,
      };
      p.phones.push(target);
    }
    // A phone only becomes preferred when told so (van-openapi PersonPhoneInput).
    if (ph.isPreferred === true) for (const x of p.phones) x.isPreferred = x === target;
  }

  for (const a of w.addresses) {
    if (p.addresses.some((x) => addressKey(x) === addressKey(a))) continue; // identical: not added twice (a guess, by analogy with emails)
    const stored: StoredAddress = { addressId: ids.newAddressId(), ...a, dateCreated: at };
    p.addresses.push(stored);
  }

  for (const cf of w.customFields) {
    const i = p.customFieldValues.findIndex((v) => v.customFieldId === cf.def.customFieldId);
    if (cf.value === null) {
      if (i >= 0) p.customFieldValues.splice(i, 1);
    } else if (i >= 0) {
      p.customFieldValues[i] = { customFieldId: cf.def.customFieldId, customFieldGroupId: cf.def.customFieldGroupId, value: cf.value };
    } else {
      p.customFieldValues.push({ customFieldId: cf.def.customFieldId, customFieldGroupId: cf.def.customFieldGroupId, value: cf.value });
    }
  }
  p.customFieldValues.sort((a, b) => a.customFieldId - b.customFieldId);

  // One external ID per type (a guess: no successful write was ever recorded).
  for (const id of w.identifiers) {
    const held = p.identifiers.find((x) => x.type === id.type);
    if (held) held.externalId = id.externalId;
    else p.identifiers.push({ ...id });
  }

  return comparable(p) !== before;
}
