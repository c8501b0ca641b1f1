// The demo committee's people. A handful are written by hand because tests and the demo rely on them
// (a person every match combination can find, two people with one name, an unsubscribed email, values
// that need CSV quoting); the rest come from a seeded generator (never Math.random), so every run sees
// the same people, created and modified over the 60 days before the simulator's clock. Those changed
// in the last two days get chosen opt-in statuses, so a first changed-people pull shows every one.

import { DEMO_CUSTOM_FIELD_GROUP } from './custom-fields';
import { blankPerson, FIRST_VAN_ID, type PersonStore, type StoredPerson } from './people';
import { applyWrite, parsePersonInput } from './writes';
import type { CustomFieldDefinition } from './custom-fields';
import type { JsonObject } from './wire';
import { mulberry32 } from '../shared';

/** The hand-written people, in VAN ID order from 100000001. */
export const DEMO_PEOPLE = {
  /** Every identifier a match can use; phone is a cell opted in to SMS; Volunteer Interest = Phone banking, T-shirt M. */
  harriet: {
    vanId: FIRST_VAN_ID, firstName: 'Harriet', lastName: 'Kowalski', email: 'harriet.kowalski@example.com', phone: '9075554242',
    dateOfBirth: '1975-03-14', addressLine1: '742 Evergreen Terrace', zip: '99501',
  },
  /** Two people with one name and different emails: a name-only search could not tell them apart. */
  samRiveraOlder: { vanId: FIRST_VAN_ID + 1, firstName: 'Sam', lastName: 'Rivera', email: 'sam.rivera@example.org' },
  samRiveraNewer: { vanId: FIRST_VAN_ID + 2, firstName: 'Sam', lastName: 'Rivera', email: 'samuel.rivera@example.net' },
  /** Their only email is unsubscribed (U), which nothing can undo. */
  unsubscribed: { vanId: FIRST_VAN_ID + 3, firstName: 'Dana', lastName: 'Whitfield', email: 'dana.whitfield@example.com' },
  /** Accents in the name and a comma in the employer. */
  commaEmployer: { vanId: FIRST_VAN_ID + 4, firstName: 'José', lastName: 'Núñez', email: 'jose.nunez@example.org', employer: 'Summit Engineering, Inc.' },
  /** An occupation holding a line break and double quotes, and an apostrophe in the name. */
  newlineOccupation: {
    vanId: FIRST_VAN_ID + 5, firstName: 'Siobhán', lastName: "O'Brien", email: 'siobhan.obrien@example.org',
    occupation: 'Organizer\n"Weekend" shift lead',
  },
} as const;

const HAND_WRITTEN: JsonObject[] = [
  {
    firstName: 'Harriet', lastName: 'Kowalski', dateOfBirth: '1975-03-14', sex: 'F', employer: 'Anchorage Public Library', occupation: 'Librarian',
    emails: [{ email: 'harriet.kowalski@example.com' }],
    phones: [{ phoneNumber: '907-555-4242', phoneType: 'C', phoneOptInStatus: 'I', isPreferred: true }],
    addresses: [{ addressLine1: '742 Evergreen Terrace', city: 'Springfield', stateOrProvince: 'AK', zipOrPostalCode: '99501', type: 'Home' }],
    customFieldValues: [
      { customFieldId: 101, customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id, assignedValue: 1 },
      { customFieldId: 102, customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id, assignedValue: 'M' },
    ],
  },
  {
    firstName: 'Sam', lastName: 'Rivera', emails: [{ email: 'sam.rivera@example.org' }],
    addresses: [{ addressLine1: '12 Oak St', city: 'Columbus', stateOrProvince: 'OH', zipOrPostalCode: '43004' }],
  },
  {
    firstName: 'Sam', lastName: 'Rivera', emails: [{ email: 'samuel.rivera@example.net' }],
    phones: [{ phoneNumber: '(614) 555-0188', phoneType: 'H' }],
  },
  {
    firstName: 'Dana', lastName: 'Whitfield', emails: [{ email: 'dana.whitfield@example.com', subscriptionStatus: 'U' }],
    addresses: [{ addressLine1: '88 Harbor View Rd', city: 'Savannah', stateOrProvince: 'GA', zipOrPostalCode: '31401' }],
  },
  {
    firstName: 'José', lastName: 'Núñez', employer: 'Summit Engineering, Inc.', occupation: 'Civil engineer',
    emails: [{ email: 'jose.nunez@example.org' }],
    phones: [{ phoneNumber: '512-555-0143', phoneType: 'W', deviceType: 'L' }],
    addresses: [{ addressLine1: '400 Congress Ave', addressLine2: 'Suite 200', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701' }],
    customFieldValues: [{ customFieldId: 103, customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id, assignedValue: 'Transit, housing & zoning' }],
  },
  {
    firstName: 'Siobhán', lastName: "O'Brien", occupation: 'Organizer\n"Weekend" shift lead',
    emails: [{ email: 'siobhan.obrien@example.org', subscriptionStatus: 'N' }],
    addresses: [{ addressLine1: '9 Rue Sainte-Catherine', city: 'Montréal', stateOrProvince: 'QC', zipOrPostalCode: 'H2X 1K4', countryCode: 'CA' }],
    customFieldValues: [
      { customFieldId: 104, customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id, assignedValue: '2025-09-01' },
      { customFieldId: 105, customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id, assignedValue: true },
    ],
  },
];


function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

// Deliberately without "Sam" and "Rivera", so the hand-written pair stays the only duplicate name.
const FIRST_NAMES = [
  'Alex', 'Maria', 'Jordan', 'Priya', 'Wei', 'Aisha', 'Omar', 'Chloé', 'Kenji', 'Fatima', 'Liam', 'Noor', 'Mateo',
  'Grace', 'Tomás', 'Hannah', 'Kwame', 'Zoë', 'Elena', 'Marcus', 'Ingrid', 'Luis', 'Amara', 'Theo',
];
const LAST_NAMES = [
  'Nguyen', 'Patel', 'Okafor', 'García', 'Lindqvist', 'Haddad', 'Tanaka', 'Dubois', 'Mensah', 'Kim', 'Brennan',
  'Castillo', 'Novak', 'Abernathy', 'Singh', 'Morales', 'Larsen', 'Adeyemi', 'Fischer', 'Ortiz',
];
const PLACES: [string, string, string, string][] = [
  ['Anchorage', 'AK', '995', '907'], ['Columbus', 'OH', '432', '614'], ['Austin', 'TX', '787', '512'],
  ['Portland', 'OR', '972', '503'], ['Denver', 'CO', '802', '303'], ['Madison', 'WI', '537', '608'],
  ['Raleigh', 'NC', '276', '919'], ['Richmond', 'VA', '232', '804'], ['Boise', 'ID', '837', '208'],
  ['Albany', 'NY', '122', '518'], ['Tucson', 'AZ', '857', '520'], ['Omaha', 'NE', '681', '402'],
];
const STREETS = ['Maple Ave', 'Cedar St', 'Lakeview Dr', 'Main St', 'Willow Ln', 'Ridge Rd', 'Park Pl', 'Elm St'];
const EMPLOYERS = ['Riverside Community Clinic', 'Lakeside School District', 'Harbor Credit Union', 'Self-employed', 'Greenfield Library'];
const OCCUPATIONS = ['Nurse', 'Teacher', 'Accountant', 'Retired', 'Student', 'Carpenter', 'Designer'];
const TOPICS = ['Climate', 'Housing', 'Transit', 'Education', 'Health care'];

function asciiPart(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

/**
 * The payload of generated person `i` (6, 7, …), from (seed, i) alone, except that a name already
 * `used` moves on to the next last name: the Sam Riveras stay the only people sharing a name.
 */
function generated(i: number, used: Set<string>): JsonObject {
  const rnd = mulberry32(Math.imul(0x5eed + i, 0x9e3779b1));
  const first = pick(rnd, FIRST_NAMES);
  let lastIndex = Math.floor(rnd() * LAST_NAMES.length);
  for (let tries = 0; tries < LAST_NAMES.length && used.has(`${first} ${LAST_NAMES[lastIndex]}`); tries++) {
    lastIndex = (lastIndex + 1) % LAST_NAMES.length; // past 480 people, names repeat
  }
  const last = LAST_NAMES[lastIndex] as string;
  used.add(`${first} ${last}`);
  const [city, state, zip3, area] = pick(rnd, PLACES);
  const person: JsonObject = {
    firstName: first,
    lastName: last,
    emails: [{ email: `${asciiPart(first)}.${asciiPart(last)}.${i}@example.org`, ...(rnd() < 0.2 ? { subscriptionStatus: 'N' } : {}) }],
  };
  if (rnd() < 0.35) person['dateOfBirth'] = `${1950 + Math.floor(rnd() * 50)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
  if (rnd() < 0.6) {
    const cell = rnd() < 0.6;
    const optIn = rnd();
    person['phones'] = [{
      phoneNumber: `${area}555${String(100 + Math.floor(rnd() * 100)).padStart(4, '0')}`,
      phoneType: cell ? 'C' : 'H',
      ...(cell && optIn < 0.5 ? { phoneOptInStatus: 'I' } : cell && optIn < 0.6 ? { phoneOptInStatus: 'O' } : {}),
    }];
  }
  if (rnd() < 0.85) {
    person['addresses'] = [{
      addressLine1: `${10 + Math.floor(rnd() * 9000)} ${pick(rnd, STREETS)}`,
      city, stateOrProvince: state, zipOrPostalCode: `${zip3}${String(Math.floor(rnd() * 100)).padStart(2, '0')}`,
    }];
  }
  if (rnd() < 0.5) person['employer'] = pick(rnd, EMPLOYERS);
  if (rnd() < 0.5) person['occupation'] = pick(rnd, OCCUPATIONS);
  if (rnd() < 0.3) {
    person['customFieldValues'] = [
      { customFieldId: 101, customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id, assignedValue: 1 + Math.floor(rnd() * 4) },
      { customFieldId: 103, customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id, assignedValue: pick(rnd, TOPICS) },
      { customFieldId: 106, customFieldGroupId: DEMO_CUSTOM_FIELD_GROUP.id, assignedValue: Math.floor(rnd() * 30) },
    ];
  }
  return person;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Email subscription and SMS opt-in given to the generated people last changed in the two days
 * before the clock (the first pull's window), in VAN ID order; `sms` null takes the phone away,
 * absent keeps the generator's. With the default 40 people these are 100000029 (Unsubscribed,
 * Opt-Out), 100000034 (Neutral, Opt-In: texts only), 100000038 (Subscribed, Opt-In) and 100000040
 * (Neutral, no phone), beside Sam Rivera's Subscribed and Unknown: a Conservative pull brings
 * 100000003, 100000034 and 100000038 and leaves the other two out.
 */
const RECENT_STATUSES: { email: 'S' | 'N' | 'U'; sms?: 'I' | 'U' | 'O' | null }[] = [
  { email: 'U', sms: 'O' },
  { email: 'N', sms: 'I' },
  { email: 'S', sms: 'I' },
  { email: 'N', sms: null },
];

function withStatus(person: JsonObject, status: (typeof RECENT_STATUSES)[number], i: number): void {
  const emails = person['emails'] as JsonObject[];
  emails[0] = { ...emails[0], subscriptionStatus: status.email };
  if (status.sms === null) delete person['phones'];
  else if (status.sms !== undefined) {
    const number = (person['phones'] as JsonObject[] | undefined)?.[0]?.['phoneNumber'] ?? `907555${String(i).padStart(4, '0')}`;
    person['phones'] = [{ phoneNumber: number, phoneType: 'C', phoneOptInStatus: status.sms }];
  }
}

/**
 * Stores `count` people, created in VAN ID order over the 60 days before `now` and some modified
 * since, all by staff (so they appear in changed-entity exports even with excludeChangesFromSelf).
 */
export function seedPeople(store: PersonStore, fields: ReadonlyMap<number, CustomFieldDefinition>, count: number, now: number): StoredPerson[] {
  const start = now - 60 * DAY;
  const spacing = (59 * DAY) / Math.max(count, 1);
  const out: StoredPerson[] = [];
  const used = new Set(HAND_WRITTEN.map((p) => `${String(p['firstName'])} ${String(p['lastName'])}`));
  let recent = 0;
  for (let i = 0; i < count; i++) {
    const rnd = mulberry32(0xda7e + i * 7919);
    const created = Math.floor((start + i * spacing + rnd() * 0.25 * spacing) / MINUTE) * MINUTE;
    const modified = rnd() < 0.5 ? created : Math.floor((created + rnd() * (now - MINUTE - created)) / MINUTE) * MINUTE;
    const payload = HAND_WRITTEN[i] ?? generated(i, used);
    if (i >= HAND_WRITTEN.length && modified >= now - 2 * DAY && recent < RECENT_STATUSES.length) withStatus(payload, RECENT_STATUSES[recent++]!, i);
    const parsed = parsePersonInput(payload, fields);
    if (!('write' in parsed)) throw new Error(`Seed person ${i} is invalid: ${parsed.errors.map((e) => e.text).join(' ')}`);
    const person = blankPerson(store.newVanId(), created, null);
    applyWrite(person, parsed.write, created, store);
    person.dateModified = modified;
    person.changes = modified === created ? [{ at: created, bySelf: false }] : [{ at: created, bySelf: false }, { at: modified, bySelf: false }];
    store.add(person);
    out.push(person);
  }
  return out;
}
