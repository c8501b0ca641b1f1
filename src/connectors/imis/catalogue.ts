// iMIS push targets as config parsing and the sidebar see them (DESIGN §5): `Contact` with its
// fixed contact fields, or a panel (business object) whose properties only iMIS can list, from
// its BoEntityDefinition (liveFields). Config parsing takes every iMIS field as written: a Contact
// field iMIS does not know is an additional attribute, and a panel's properties are unknown until
// a request, so the connector canonicalises and checks them when it sends (contactField, panels).

import type { ConnectorIO, TargetCatalogue } from '../../core/ports';
import { lookupsFor } from '../lookups';
import { CONTACT_FIELDS } from './person';

const isContact = (target: string) => target.toLowerCase() === 'contact';

export const IMIS_CATALOGUE: TargetCatalogue = {
  idLabel: 'iMIS ID',
  idField: 'ID',
  // A panel row's ID is the iMIS ID of the contact it belongs to.
  fields: (target) => (isContact(target) ? CONTACT_FIELDS : ['ID']),
  canonical: (_target, field) => ({ field }),
  liveFields: (job, io: ConnectorIO) =>
    job.system === 'iMIS' && job.connection.system === 'iMIS' && !isContact(job.target) ? lookupsFor(io).panelFields(job.connection, job.target) : [],
};
