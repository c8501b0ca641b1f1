// iMIS push targets as config parsing and the sidebar see them (DESIGN §5, §10.5): `Contact` with
// its fixed contact fields, `Activity` with its usual properties, or a panel (business object);
// what only iMIS can list (a panel's or Activity's properties, from its BoEntityDefinition) comes
// from liveFields. Config parsing takes every iMIS field as written, spelling Activity's usual ones
// as iMIS does: a Contact field iMIS does not know is an additional attribute, and the rest of a
// panel's or Activity's properties are unknown until a request, so the connector canonicalises and
// checks them when it sends (contactField, panels, activity).

import type { ConnectorIO, TargetCatalogue } from '../../core/ports';
import { lookupsFor } from '../lookups';
import { ACTIVITY_FIELDS, isActivity } from './activity';
import { CONTACT_FIELDS } from './person';

const isContact = (target: string) => target.toLowerCase() === 'contact';

export const IMIS_CATALOGUE: TargetCatalogue = {
  idLabel: 'iMIS ID',
  idField: 'ID',
  // A panel row's ID is the iMIS ID of the contact it belongs to.
  fields: (target) => (isContact(target) ? CONTACT_FIELDS : isActivity(target) ? ACTIVITY_FIELDS : ['ID']),
  canonical: (target, field) => ({ field: (isActivity(target) && ACTIVITY_FIELDS.find((f) => f.toLowerCase() === field.trim().toLowerCase())) || field }),
  required: (target) =>
    isActivity(target) ? [{ field: 'ACTIVITY_TYPE', how: 'an iMIS Activity needs its type: map a column to ACTIVITY_TYPE, or add a Constants row for it (e.g. EVENT)' }] : [],
  liveFields: (job, io: ConnectorIO) => {
    if (job.system !== 'iMIS' || job.connection.system !== 'iMIS' || isContact(job.target)) return [];
    return isActivity(job.target) ? lookupsFor(io).activityFields(job.connection) : lookupsFor(io).panelFields(job.connection, job.target);
  },
};
