// The simulator's demo members. Each row is derived from (seed, row index) alone, so any page of a
// 50,000-row benchmark query can be produced on demand without holding the rows, and every run of
// the demo sees exactly the same people. Also the activity types the site accepts and the few
// activities it starts with.

import { mulberry32 } from '../shared';
import type { StoredValue } from './validation';
import type { ColumnType, QueryRow } from './wire';

/** A generator for one row, independent of every other row. */
export function rowRandom(seed: number, index: number): () => number {
  return mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

// A few accents and apostrophes on purpose: the sync must carry them through untouched.
const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Priya', 'Wei',
  'Sofia', 'Mateo', 'Aisha', 'Omar', 'Chloé', 'José', 'Zoë', 'Siobhán', 'Kenji', 'Fatima',
];
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  "O'Brien", 'Nguyen', 'Patel', 'Kim', 'Müller', 'Smith-Jones', 'MacDonald', 'Okafor', 'Tanaka', 'Dubois',
];
const PLACES: [string, string][] = [
  ['Springfield', 'IL'], ['Columbus', 'OH'], ['Austin', 'TX'], ['Portland', 'OR'], ['Denver', 'CO'],
  ['Madison', 'WI'], ['Raleigh', 'NC'], ['Richmond', 'VA'], ['Boise', 'ID'], ['Albany', 'NY'],
  ['Sacramento', 'CA'], ['Tucson', 'AZ'], ['Omaha', 'NE'], ['Burlington', 'VT'], ['Savannah', 'GA'],
  ['Toronto', 'ON'], ['Ottawa', 'ON'], ['Halifax', 'NS'], ['Calgary', 'AB'], ['Montréal', 'QC'],
];
const COMPANIES = [
  'Acme Health Partners', 'Riverside Community Clinic', 'Northwind Traders', 'Blue Ridge Consulting',
  'Lakeside School District', 'Summit Engineering, Inc.', 'Harbor Credit Union', 'Greenfield Library',
];

export const MEMBER_TYPES = ['REG', 'STU', 'LIFE', 'ASSOC'] as const;
export const MEMBER_DUES: Record<(typeof MEMBER_TYPES)[number], number> = { REG: 187.5, STU: 42.25, LIFE: 0, ASSOC: 395 };

/** How /api/iqa types the member columns (what the IQA's property DataTypeName would say). */
export const MEMBER_COLUMN_TYPES: Record<string, ColumnType> = {
  JoinDate: 'DateTime',
  PaidThrough: 'DateTime',
  IsMember: 'Boolean',
  Dues: 'Decimal',
};

export function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

function isoDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 10)}T00:00:00`;
}

function emailPart(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

/** Member number `index` (0-based) of a member list; IDs count up from `firstId`. */
export function memberRow(seed: number, index: number, firstId = 10001): QueryRow {
  const rnd = rowRandom(seed, index);
  const id = String(firstId + index);
  const first = pick(rnd, FIRST_NAMES);
  const last = pick(rnd, LAST_NAMES);
  const roll = rnd();
  const type = roll < 0.6 ? 'REG' : roll < 0.8 ? 'STU' : roll < 0.85 ? 'LIFE' : 'ASSOC';
  const [city, state] = pick(rnd, PLACES);
  const joined = Date.UTC(2005, 0, 1) + Math.floor(rnd() * 7300) * 86_400_000;
  const paidYear = type === 'LIFE' ? 2099 : 2023 + Math.floor(rnd() * 5);
  const hasCompany = type !== 'STU' && rnd() < 0.65;
  return {
    ID: id,
    FirstName: first,
    LastName: last,
    Email: `${emailPart(first)}.${emailPart(last)}.${id}@example.org`,
    MemberType: type,
    JoinDate: isoDate(joined),
    PaidThrough: `${paidYear}-12-31T00:00:00`,
    City: city,
    StateProvince: state,
    IsMember: paidYear >= 2025,
    Dues: MEMBER_DUES[type],
    Company: hasCompany ? pick(rnd, COMPANIES) : null,
  };
}

export const DEMO_SEED = 20_250_101;

/** FNV-1a: a stable 32-bit hash of a string (per-query seeds, deterministic GUIDs). */
export function stringHash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Activities

/**
 * The codes ACTIVITY_TYPE may take. A real site keeps its own list (a validation table), so these
 * are invented; ONLINEAPP is the one ASI's "Creates an Activity" example uses.
 */
export const ACTIVITY_TYPES = ['DUES', 'EVENT', 'GIFT', 'MEETING', 'ONLINEAPP', 'PETITION', 'VOLUNTEER'] as const;

/** Activities every demo site starts with (one whose contact is beyond memberCount is left out). */
export const DEMO_ACTIVITIES: readonly Readonly<Record<string, StoredValue>>[] = [
  { SEQN: 1, PartyId: '10001', ACTIVITY_TYPE: 'EVENT', TRANSACTION_DATE: '2024-03-14T00:00:00', ACTIVITY_DATE: '2024-04-20T00:00:00', DESCRIPTION: 'Spring Conference 2024', AMOUNT: 250, PRODUCT_CODE: 'SPRING24' },
  { SEQN: 2, PartyId: '10001', ACTIVITY_TYPE: 'VOLUNTEER', TRANSACTION_DATE: '2024-04-20T00:00:00', DESCRIPTION: 'Registration desk', NOTE: 'Morning shift', UF_1: '4 hours' },
  { SEQN: 3, PartyId: '10002', ACTIVITY_TYPE: 'GIFT', TRANSACTION_DATE: '2024-11-29T00:00:00', DESCRIPTION: 'Giving Tuesday', AMOUNT: 75.5, SOURCE_CODE: 'GT2024' },
  { SEQN: 4, PartyId: '10001', ACTIVITY_TYPE: 'PETITION', TRANSACTION_DATE: '2025-01-15T00:00:00', DESCRIPTION: 'Clean Water Act letter' },
  { SEQN: 5, PartyId: '10003', ACTIVITY_TYPE: 'MEETING', TRANSACTION_DATE: '2025-02-03T00:00:00', ACTIVITY_DATE: '2025-02-03T14:30:00', DESCRIPTION: 'Chapter board meeting', STATUS: 'A' },
];
