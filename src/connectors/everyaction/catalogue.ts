// EveryAction's People target as config parsing and the sidebar see it (DESIGN §5): the standard
// fields, how a coordinator's spelling maps to them, and custom fields as `CustomField:<id>` or
// by their EveryAction name (resolved by the people target before anything is sent), and
// `Identifier:<type>`, an external ID under a type only the database knows (identifiers.ts).
// The standard list is fixed; the custom fields exist only in the account, so listing them costs
// a request (liveFields).

import { closestName } from '../../core/config/suggestions';
import type { ConnectorIO, FieldLookup, TargetCatalogue } from '../../core/ports';
import { lookupsFor } from '../lookups';
import { customFieldIdOf, EVERYACTION_PEOPLE_FIELDS } from './fields';
import { identifierField, identifierTypeOf } from './identifiers';

export { EVERYACTION_PEOPLE_FIELDS } from './fields';

/** A custom field is sent as `CustomField:<id>`; this reads the id back (null for other fields). */
export function customFieldId(field: string): number | null {
  const m = /^CustomField:(\d+)$/.exec(field);
  return m ? Number(m[1]) : null;
}

const PEOPLE_FIELD_LIST = `${EVERYACTION_PEOPLE_FIELDS.join(', ')}, CustomField:<id> (e.g. CustomField:101) or Identifier:<type> (e.g. Identifier:imisid)`;

/** The canonical People field a coordinator meant ("firstname" → FirstName, "customfield: 0101" → CustomField:101), or why not. */
function peopleField(name: string): FieldLookup {
  const known = EVERYACTION_PEOPLE_FIELDS.find((f) => f.toLowerCase() === name.toLowerCase());
  if (known) return { field: known };
  const identifierType = identifierTypeOf(name);
  if (identifierType !== null) {
    if (identifierType !== '') return { field: identifierField(identifierType) };
    return { problem: `"${name}" needs the identifier type after the colon, as your EveryAction database spells it, e.g. Identifier:imisid` };
  }
  const customId = customFieldIdOf(name);
  if (customId !== null) {
    if (customId !== '') return { field: `CustomField:${customId}` };
    return { problem: `"${name}" needs the custom field's number after the colon (a whole number above 0), e.g. CustomField:101` };
  }
  const guess = closestName(name, EVERYACTION_PEOPLE_FIELDS);
  // Anything else may be a custom field's EveryAction name: only the account knows, and config
  // parsing sends no request, so the people target resolves it when it prepares (one request).
  // A near miss of a standard field ("VAN ID", "Zip") is a typo, caught here; a longer name that
  // starts with one ("Employer Type") is a name.
  const longer = guess !== undefined && name.toLowerCase().startsWith(guess.toLowerCase()) && name.length > guess.length;
  if (guess === undefined || longer) return { field: name.trim() };
  return {
    problem: `"${name}" is not an EveryAction People field${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; use ${PEOPLE_FIELD_LIST}`,
  };
}

/** People is EveryAction's only push target (config parsing refuses any other), so `target` is not consulted. */
export const EVERYACTION_CATALOGUE: TargetCatalogue = {
  idLabel: 'VANID',
  idField: 'VANID',
  fields: () => EVERYACTION_PEOPLE_FIELDS,
  canonical: (_target, field) => peopleField(field),
  liveFields: (job, io: ConnectorIO) => (job.connection.system === 'EveryAction' ? lookupsFor(io).customFieldNames(job.connection) : []),
};
