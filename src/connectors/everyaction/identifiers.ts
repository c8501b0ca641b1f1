// The iMIS ↔ EveryAction crosswalk (DESIGN §10.6): a push Field `Identifier:<type>` sends the row's
// value as `identifiers: [{type, externalId}]`, under an identifier type the EveryAction database
// defines. Only the database knows its types and no researched endpoint lists them, so a type it
// does not know shows up as EveryAction's 400 on the first write that carries it; this file
// recognises that refusal so the push can end the job there instead of failing row after row.

import { z } from 'zod';
import type { HttpResponse } from '../../core/ports';
import type { FieldValue, Payload } from '../../core/push/types';
import { ErrorEnvelope } from './errors';

/** `identifier : imisid` → `imisid` (as typed: EveryAction spells its own types); '' for a bare `Identifier:`; null for any other field. */
export function identifierTypeOf(field: string): string | null {
  const m = /^\s*identifier\s*(?::\s*(.*?))?\s*$/i.exec(field);
  return m ? (m[1] ?? '') : null;
}

export const identifierField = (type: string) => `Identifier:${type}`;

export interface Identifier {
  type: string;
  externalId: string;
}

const text = (v: FieldValue | undefined) => (v === null || v === undefined ? '' : String(v).trim());

/**
 * The identifiers a row sends. A blank cell sends none: the API has no way to remove an
 * external ID, so a blank (or `{{clear}}`) leaves what EveryAction holds.
 */
export function identifiersOf(payload: Payload): Identifier[] {
  return Object.entries(payload).flatMap(([field, value]) => {
    const type = identifierTypeOf(field);
    return type && text(value) !== '' ? [{ type, externalId: text(value) }] : [];
  });
}

/** `identifiers` as GET /people/{vanId}?$expand=externalIds reads them back (Parsons' get_person_response). */
export const IdentifierList = z.array(z.object({ type: z.string(), externalId: z.string().nullable().optional() })).nullable().optional();

/**
 * EveryAction's refusal of an identifier type, or null when `res` is anything else. van-openapi
 * recorded only the words ("'type' (bogus) is not a valid ExternalID in this context"), so the
 * refusal is known by the property it names (`identifiers[0].type`) or, failing that, by those words.
 * A refused externalId is the row's own data and is not this.
 */
export function identifierRefusal(res: HttpResponse, sent: readonly Identifier[]): { said: string; type: string | null } | null {
  if (res.status !== 400) return null;
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    return null;
  }
  const env = ErrorEnvelope.safeParse(json);
  if (!env.success) return null;
  for (const e of env.data.errors) {
    const at = (e.properties ?? []).map((p) => /^identifiers\[(\d+)\]\.type$/i.exec(p.trim())).find((m) => m !== null);
    if (!at && !/not a valid ExternalID/i.test(e.text ?? '')) continue;
    const type = at ? (sent[Number(at[1])]?.type ?? null) : null;
    return { said: (e.text ?? e.code ?? '').trim(), type };
  }
  return null;
}

/** The sentence that ends the job: which Field, what EveryAction said, and the way on. */
export function unknownTypeMessage(type: string | null, where: string, said: string): string {
  const what = type === null ? 'an identifier type this push sends' : `the identifier type "${type}"`;
  return (
    `${where}: EveryAction does not know ${what} (EveryAction said: "${said}"). ` +
    'Use a type your EveryAction database defines, spelled as EveryAction spells it (your EveryAction administrator or support can tell you which it has), ' +
    'or remove the mapping. The job stopped before sending more people'
  );
}
