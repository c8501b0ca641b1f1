// Builds the connector for a connection: the one place that knows which system offers what.
// The engine receives this factory as a port, so core never imports a connector.

import type { ConnectorFactory } from '../core/engine';
import { SyncError } from '../core/errors';
import { ImisClient } from './imis/client';
import { changedPeopleSource } from './everyaction/changed';
import { EveryActionClient } from './everyaction/client';
import { customFieldNames, peopleTarget } from './everyaction/people';
import { contactTarget } from './imis/contacts';
import { readQuery } from './imis/iqa';
import { panelFields, panelTarget } from './imis/panels';
import { CONTACT_FIELDS } from './imis/person';
import { EVERYACTION_PEOPLE_FIELDS } from '../core/config/parse';

export const createConnectors: ConnectorFactory = (connection, io) => {
  if (connection.system === 'iMIS') {
    const client = new ImisClient(connection, io);
    return {
      test: () => client.test(),
      fields: (job) => (job.system !== 'iMIS' ? [] : job.target.toLowerCase() === 'contact' ? [...CONTACT_FIELDS] : panelFields(client, job)),
      pull: { read: (job, parameters, options) => readQuery(client, job.source, parameters, options) },
      push: (job) => {
        if (job.system !== 'iMIS') throw new SyncError('config', `Job "${job.name}" pushes to ${job.system} through an iMIS connection.`);
        return job.target.toLowerCase() === 'contact' ? contactTarget(client, job) : panelTarget(client, job);
      },
    };
  }
  const client = new EveryActionClient(connection, io);
  return {
    test: () => client.test(),
    fields: () => [...EVERYACTION_PEOPLE_FIELDS, ...customFieldNames(client)],
    pull: changedPeopleSource(client, io.store, connection, () => io.clock.now(), (ms) => io.clock.sleep(ms)),
    push: (job) => {
      if (job.system !== 'EveryAction') throw new SyncError('config', `Job "${job.name}" pushes to ${job.system} through an EveryAction connection.`);
      return peopleTarget(client, job);
    },
  };
};
