// The people a simulated EveryAction committee holds: the stored model (write codes already mapped to
// what VAN stores), the store that hands out VAN IDs, and the read shape of GET /people/{vanId}
// (recorded in transcript.update-appends-contact-methods.json and person-get-expanded.van-openapi-example.json),
// where every collection is null unless $expand asks for it.

import { assignedValueText, type CustomFieldDefinition, type StoredFieldValue } from './custom-fields';
import { DOTNET_MIN_DATE, vanTimestamp, type JsonObject, type JsonValue } from './wire';
import type { AddressWrite } from './writes';

export type SubscriptionStatus = 'S' | 'N' | 'U';
export type PhoneOptInStatus = 'I' | 'U' | 'O';
export type PhoneType = 'Personal' | 'Work' | 'Other';
export type DeviceType = 'Cell' | 'Landline' | 'Unknown' | 'Fax' | 'VoIP';
/** 'Voting' is written as a synonym of 'Home' and stored as Home. */
export type AddressType = 'Home' | 'Mailing' | 'Work' | 'Custom';

export interface StoredEmail {
  email: string;
  type: 'P' | 'W' | 'O';
  isPreferred: boolean;
  subscriptionStatus: SubscriptionStatus;
  dateCreated: number;
}

export interface StoredPhone {
  phoneId: number;
  /** Digits only, without the North American leading 1. */
  phoneNumber: string;
  ext: string | null;
  phoneType: PhoneType;
  deviceType: DeviceType;
  isPreferred: boolean;
  phoneOptInStatus: PhoneOptInStatus;
  isCellStatus: { statusId: number; statusName: string } | null;
  dialingPrefix: string;
  countryCode: string;
  dateCreated: number;
}

export interface StoredAddress extends AddressWrite {
  addressId: number;
  dateCreated: number;
}

/** An external ID (`identifiers[]`), its type as the committee spells it. */
export interface StoredIdentifier {
  type: string;
  externalId: string;
}

export interface StoredCustomFieldValue {
  customFieldId: number;
  customFieldGroupId: number;
  value: StoredFieldValue;
}

/** A change to a person, for the changed-entity export: by this API key (`bySelf`) or by staff in EveryAction. */
export interface PersonChange {
  at: number;
  bySelf: boolean;
}

export interface StoredPerson {
  vanId: number;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  suffix: string | null;
  title: string | null;
  salutation: string | null;
  envelopeName: string | null;
  nickname: string | null;
  website: string | null;
  party: string | null;
  employer: string | null;
  occupation: string | null;
  jobTitle: string | null;
  sex: 'M' | 'F' | null;
  /** YYYY-MM-DD */
  dateOfBirth: string | null;
  contactMethodPreferenceCode: 'P' | 'E' | 'M' | 'F' | 'S' | null;
  contactMode: 'Person' | 'Organization';
  organizationContactCommonName: string | null;
  organizationContactOfficialName: string | null;
  contactSource: string | null;
  emails: StoredEmail[];
  /** An email written with isPreferred: true pins the flag; otherwise the newest email takes it. */
  preferredEmailPinned: boolean;
  phones: StoredPhone[];
  addresses: StoredAddress[];
  customFieldValues: StoredCustomFieldValue[];
  identifiers: StoredIdentifier[];
  dateCreated: number;
  dateModified: number;
  changes: PersonChange[];
}

export function blankPerson(vanId: number, at: number, contactSource: string | null): StoredPerson {
  return {
    vanId,
    firstName: null,
    middleName: null,
    lastName: null,
    suffix: null,
    title: null,
    salutation: null,
    envelopeName: null,
    nickname: null,
    website: null,
    party: null,
    employer: null,
    occupation: null,
    jobTitle: null,
    sex: null,
    dateOfBirth: null,
    contactMethodPreferenceCode: null,
    contactMode: 'Person',
    organizationContactCommonName: null,
    organizationContactOfficialName: null,
    contactSource,
    emails: [],
    preferredEmailPinned: false,
    phones: [],
    addresses: [],
    customFieldValues: [],
    identifiers: [],
    dateCreated: at,
    dateModified: at,
    changes: [],
  };
}

/** First VAN ID handed out; the redacted recordings number from 100000001 too. */
export const FIRST_VAN_ID = 100000001;

export class PersonStore {
  private readonly byId = new Map<number, StoredPerson>();
  private nextVanId = FIRST_VAN_ID;
  private nextPhoneId = 1021001;
  private nextAddressId = 1206001;

  newVanId(): number {
    return this.nextVanId++;
  }

  newPhoneId(): number {
    return this.nextPhoneId++;
  }

  newAddressId(): number {
    return this.nextAddressId++;
  }

  add(person: StoredPerson): void {
    this.byId.set(person.vanId, person);
  }

  get(vanId: number): StoredPerson | undefined {
    return this.byId.get(vanId);
  }

  /** In VAN ID order, which is also creation order. */
  all(): StoredPerson[] {
    return [...this.byId.values()].sort((a, b) => a.vanId - b.vanId);
  }
}

// ---- derived views shared by the read shape and the export ----

/** The preferred email, else the newest. */
export function preferredEmail(p: StoredPerson): StoredEmail | undefined {
  return p.emails.find((e) => e.isPreferred) ?? p.emails[p.emails.length - 1];
}

/**
 * The phone VAN marks isBest (van-openapi PersonPhone): the preferred one; else the newest Personal
 * non-fax number, a Cell outranking every other device; else none.
 */
export function bestPhone(p: StoredPerson): StoredPhone | undefined {
  const preferred = p.phones.find((ph) => ph.isPreferred);
  if (preferred) return preferred;
  const qualifying = p.phones.filter((ph) => ph.phoneType === 'Personal' && ph.deviceType !== 'Fax');
  const cells = qualifying.filter((ph) => ph.deviceType === 'Cell');
  const pool = cells.length > 0 ? cells : qualifying;
  return pool[pool.length - 1];
}

/**
 * The two address slots $expand=addresses shows: the newest Home address as "Voting" and the newest
 * Mailing address as "Mailing", the home address filling both when there is no mailing address.
 * Work and Custom addresses are stored but never shown.
 */
export function addressSlots(p: StoredPerson): { voting?: StoredAddress; mailing?: StoredAddress } {
  const homes = p.addresses.filter((a) => a.type === 'Home');
  const mailings = p.addresses.filter((a) => a.type === 'Mailing');
  const voting = homes[homes.length - 1];
  const mailing = mailings[mailings.length - 1] ?? voting;
  return { ...(voting ? { voting } : {}), ...(mailing ? { mailing } : {}) };
}

// ---- the read shape ----

/** Every $expand section the API accepts, in the order of its own 400 hint. */
export const EXPAND_SECTIONS = [
  'contributionHistory', 'addresses', 'phones', 'emails', 'codes', 'customFields', 'externalIds', 'preferences',
  'recordedAddresses', 'reportedDemographics', 'suppressions', 'cases', 'customProperties', 'districts',
  'electionRecords', 'membershipStatuses', 'notes', 'organizationRoles', 'scores', 'disclosureFieldValues',
  'primaryContact', 'pollingLocation', 'biography',
] as const;
export type ExpandSection = (typeof EXPAND_SECTIONS)[number];

const PHONE_OPT_IN_WORDS: Record<PhoneOptInStatus, string> = { I: 'Opt-In', U: 'Unknown', O: 'Opt-Out' };
/** Guessed ids; van-openapi only says "e.g. 2 for Email". */
const CONTACT_METHOD: Record<string, [number, string]> = { P: [1, 'Phone'], E: [2, 'Email'], M: [3, 'Mail'], F: [4, 'Fax'], S: [5, 'SMS'] };

function emailWire(e: StoredEmail): JsonObject {
  return {
    type: e.type,
    email: e.email,
    dateCreated: vanTimestamp(e.dateCreated),
    isPreferred: e.isPreferred,
    isSubscribed: e.subscriptionStatus === 'S' ? true : e.subscriptionStatus === 'U' ? false : null,
    subscriptionStatus: e.subscriptionStatus,
  };
}

function phoneWire(ph: StoredPhone, isBest: boolean): JsonObject {
  const optIn = PHONE_OPT_IN_WORDS[ph.phoneOptInStatus];
  return {
    phoneId: ph.phoneId,
    phoneNumber: ph.phoneNumber,
    dialingPrefix: ph.dialingPrefix,
    countryCode: ph.countryCode,
    ext: ph.ext,
    dateCreated: vanTimestamp(ph.dateCreated),
    phoneType: ph.phoneType,
    deviceType: ph.deviceType,
    isPreferred: ph.isPreferred,
    isBest,
    // Unknown how VAN decides these two; the recorded example has one best cell reading true / false.
    isDisclosure: isBest,
    smsOptInStatus: optIn,
    phoneOptInStatus: optIn,
    isCellPhoneExchange: false,
    isCellStatus: ph.isCellStatus ? { ...ph.isCellStatus } : null,
    tags: null,
  };
}

function addressWire(a: StoredAddress, type: 'Voting' | 'Mailing', isPreferred: boolean): JsonObject {
  const street = [a.addressLine1, a.addressLine2].filter((s): s is string => !!s);
  return {
    addressId: a.addressId,
    addressLine1: a.addressLine1,
    addressLine2: a.addressLine2,
    addressLine3: a.addressLine3,
    unitNo: null,
    city: a.city,
    stateOrProvince: a.stateOrProvince,
    zipOrPostalCode: a.zipOrPostalCode ?? '',
    geoLocation: null,
    countryCode: a.countryCode,
    preview: street.length > 0 ? street.join(' ') : ' ',
    type,
    isPreferred,
    isBest: true,
    streetAddress: null,
    displayMode: 'Standardized',
  };
}

function fullName(p: StoredPerson): string | null {
  const name = [p.firstName, p.lastName].filter((s): s is string => !!s).join(' ');
  return name === '' ? null : name;
}

/**
 * GET /people/{vanId}: the recorded key order, collections null unless their section is expanded
 * ([] when expanded and empty). Sections with no simulated data read as [] (or null where the
 * recording never showed their shape).
 */
export function personWire(
  p: StoredPerson,
  expand: ReadonlySet<ExpandSection>,
  fields: ReadonlyMap<number, CustomFieldDefinition>,
): JsonObject {
  const has = (s: ExpandSection) => expand.has(s);
  const prefs = has('preferences');
  const name = fullName(p);
  const method = p.contactMethodPreferenceCode ? CONTACT_METHOD[p.contactMethodPreferenceCode] : undefined;
  const isOrg = p.contactMode === 'Organization';

  let phones: JsonValue = null;
  if (has('phones')) {
    const best = bestPhone(p);
    const ordered = best ? [best, ...p.phones.filter((ph) => ph !== best)] : p.phones;
    phones = ordered.map((ph) => phoneWire(ph, ph === best));
  }
  let addresses: JsonValue = null;
  if (has('addresses')) {
    const { voting, mailing } = addressSlots(p);
    addresses = [];
    if (voting) addresses.push(addressWire(voting, 'Voting', true));
    if (mailing) addresses.push(addressWire(mailing, 'Mailing', mailing === voting));
  }
  const customFields: JsonValue = has('customFields')
    ? p.customFieldValues.map((v) => ({
        customFieldId: v.customFieldId,
        customFieldGroupId: v.customFieldGroupId,
        assignedValue: assignedValueText(fields.get(v.customFieldId), v.value),
      }))
    : null;

  return {
    vanId: p.vanId,
    firstName: p.firstName,
    lastName: p.lastName,
    middleName: p.middleName,
    suffix: p.suffix,
    title: p.title,
    sourceFileTitle: null,
    sourceFileFirstName: null,
    sourceFileMiddleName: null,
    sourceFileLastName: null,
    sourceFileSuffix: null,
    contactSource: p.contactSource,
    contactMode: p.contactMode,
    organizationContactCommonName: isOrg ? p.organizationContactCommonName : null,
    organizationContactOfficialName: isOrg ? p.organizationContactOfficialName : null,
    salutation: p.salutation ?? p.firstName,
    formalSalutation: name ?? 'Friend',
    additionalSalutation: null,
    preferredPronoun: null,
    pronouns: null,
    namePronunciation: null,
    envelopeName: p.envelopeName ?? name,
    formalEnvelopeName: name ? (p.suffix ? `${name}, ${p.suffix}` : name) : 'Our Friend At',
    additionalEnvelopeName: null,
    contactMethodPreferenceCode: prefs ? p.contactMethodPreferenceCode : null,
    contactMethodPreferenceId: prefs && method ? method[0] : null,
    contactMethodPreferenceName: prefs && method ? method[1] : null,
    assistantName: null,
    nickname: prefs ? p.nickname : null,
    website: prefs ? p.website : null,
    professionalSuffix: null,
    party: p.party,
    employer: p.employer,
    occupation: p.occupation,
    jobTitle: prefs ? p.jobTitle : null,
    sex: p.sex,
    dateOfBirth: p.dateOfBirth ? `${p.dateOfBirth}T00:00:00Z` : null,
    isDeceased: false,
    dateCreated: vanTimestamp(p.dateCreated),
    dateAcquired: DOTNET_MIN_DATE,
    selfReportedRace: null,
    selfReportedEthnicity: null,
    selfReportedRaces: null,
    selfReportedEthnicities: null,
    selfReportedGenders: null,
    selfReportedSexualOrientations: null,
    selfReportedLanguagePreference: null,
    selfReportedLanguagePreferences: null,
    emails: has('emails') ? p.emails.map(emailWire) : null,
    phones,
    addresses,
    recordedAddresses: has('recordedAddresses') ? [] : null,
    pollingLocation: null,
    earlyVoteLocation: null,
    // The read shape of Parsons' get_person_response: [{type, externalId}].
    identifiers: has('externalIds') ? p.identifiers.map((i) => ({ type: i.type, externalId: i.externalId })) : null,
    codes: has('codes') ? [] : null,
    customFields,
    primaryCustomField: null,
    contributionSummary: null,
    suppressions: has('suppressions') ? [] : null,
    caseworkCases: has('cases') ? [] : null,
    caseworkIssues: has('cases') ? [] : null,
    caseworkStories: has('cases') ? [] : null,
    notes: has('notes') ? [] : null,
    scores: has('scores') ? [] : null,
    customProperties: has('customProperties') ? [] : null,
    electionRecords: has('electionRecords') ? [] : null,
    membershipStatus: null,
    organizationRoles: has('organizationRoles') ? [] : null,
    districts: has('districts') ? [] : null,
    surveyQuestionResponses: null,
    finderNumber: null,
    biographyImageUrl: null,
    biographyText: null,
    biographyHtml: null,
    primaryContact: null,
  };
}
