// VAN's person matching, as find and findOrCreate run it (research §2 and van-openapi's recordings):
// nothing is searched until the payload reaches a minimum combination; every name or birth date
// supplied must agree; with duplicates one record wins silently — the oldest when a name is part of
// the criteria, the newest for email/phone alone.

import type { StoredPerson } from './people';
import type { PersonWrite } from './writes';

interface AddressCriterion {
  streetNumber: string | null;
  streetName: string | null;
  zip5: string | null;
}

export interface MatchCriteria {
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
  dateOfBirth: string | null;
  addresses: AddressCriterion[];
}

/** Case- and accent-insensitive ("Pérez" = "perez"), as the docs promise. Nicknames are not modelled. */
export function normalizeName(s: string | null | undefined): string | null {
  if (!s) return null;
  const n = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
  return n === '' ? null : n;
}

function zip5(zip: string | null): string | null {
  if (!zip) return null;
  const compact = zip.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact === '' ? null : compact.slice(0, 5);
}

/** '742 Evergreen Terrace' → number '742', name 'evergreen terrace'. The number is required to match. */
function street(line: string | null): { number: string | null; name: string | null } {
  const m = /^\s*(\d+[a-z]?)\s+(.+)$/i.exec(line ?? '');
  if (!m) return { number: null, name: null };
  const name = normalizeName(m[2] ?? '')?.replace(/[^a-z0-9 ]/g, '').replace(/\s+/g, ' ').trim() ?? null;
  return { number: (m[1] ?? '').toLowerCase(), name: name || null };
}

export function criteriaOf(w: PersonWrite): MatchCriteria {
  return {
    firstName: normalizeName(w.text.firstName),
    lastName: normalizeName(w.text.lastName),
    emails: w.emails.map((e) => e.email.toLowerCase()),
    phones: w.phones.map((p) => p.phoneNumber),
    dateOfBirth: w.dateOfBirth ?? null,
    addresses: w.addresses.map((a) => {
      const s = street(a.addressLine1);
      return { streetNumber: s.number, streetName: s.name, zip5: zip5(a.zipOrPostalCode) };
    }),
  };
}

/** Which minimum combinations the criteria reach (docs' list plus the observed phone-alone). */
function combinations(c: MatchCriteria) {
  const named = c.firstName !== null && c.lastName !== null;
  return {
    named,
    email: c.emails.length > 0,
    phone: c.phones.length > 0,
    zipAndBirth: named && c.dateOfBirth !== null && c.addresses.some((a) => a.zip5 !== null),
    street: named && c.addresses.some((a) => a.streetNumber !== null && a.streetName !== null && a.zip5 !== null),
  };
}

/** True when the payload is below every minimum combination: find answers Unmatched, findOrCreate creates. */
export function belowThreshold(c: MatchCriteria): boolean {
  const k = combinations(c);
  return !(k.email || k.phone || k.zipAndBirth || k.street);
}

function agrees(p: StoredPerson, c: MatchCriteria): boolean {
  // "Everything you send must agree": a wrong first name turns a match into Unmatched. Emails, phones
  // and addresses the record lacks are not disagreement (they would be appended); a birth date counts
  // as disagreeing only when the record holds a different one. Both limits are guesses.
  if (c.firstName !== null && normalizeName(p.firstName) !== c.firstName) return false;
  if (c.lastName !== null && normalizeName(p.lastName) !== c.lastName) return false;
  if (c.dateOfBirth !== null && p.dateOfBirth !== null && p.dateOfBirth !== c.dateOfBirth) return false;
  return true;
}

function satisfies(p: StoredPerson, c: MatchCriteria): boolean {
  const k = combinations(c);
  if (k.email && p.emails.some((e) => c.emails.includes(e.email.toLowerCase()))) return true;
  if (k.phone && p.phones.some((ph) => c.phones.includes(ph.phoneNumber))) return true;
  const stored = p.addresses.map((a) => ({ ...street(a.addressLine1), zip5: zip5(a.zipOrPostalCode) }));
  if (k.zipAndBirth && p.dateOfBirth === c.dateOfBirth && c.addresses.some((a) => a.zip5 !== null && stored.some((s) => s.zip5 === a.zip5))) return true;
  if (
    k.street &&
    c.addresses.some(
      (a) => a.streetNumber !== null && a.zip5 !== null && stored.some((s) => s.number === a.streetNumber && s.name === a.streetName && s.zip5 === a.zip5),
    )
  ) {
    return true;
  }
  return false;
}

/** The one person VAN would answer with, or undefined (no match, or below the threshold). */
export function findMatch(people: readonly StoredPerson[], c: MatchCriteria): StoredPerson | undefined {
  if (belowThreshold(c)) return undefined;
  const hits = people.filter((p) => agrees(p, c) && satisfies(p, c)).sort((a, b) => a.vanId - b.vanId);
  return combinations(c).named ? hits[0] : hits[hits.length - 1];
}
