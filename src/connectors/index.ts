// Builds the connector for a connection: the one place that knows which system offers what.
// The engine receives this factory as a port, so core never imports a connector.

import type { ConnectorFactory } from '../core/engine';
import { ImisClient } from './imis/client';
import { changedPeopleSource } from './everyaction/changed';
import { EveryActionClient } from './everyaction/client';
import { peopleTarget } from './everyaction/people';
import { contactTarget } from './imis/contacts';
import { readQuery } from './imis/iqa';
import { panelTarget } from './imis/panels';

export const createConnectors: ConnectorFactory = (connection, io) => {
  if (connection.system === 'iMIS') {
    const client = new ImisClient(connection, io);
    return {
      test: () => client.test(),
      pull: { read: (job, parameters, options) => readQuery(client, job.source, parameters, options) },
      push: (job) => {
        if (job.system !== 'iMIS') throw new Error(`Job "${job.name}" pushes to ${job.system} through an iMIS connection.`);
        return job.target.toLowerCase() === 'contact' ? contactTarget(client, job) : panelTarget(client, job);
      },
    };
  }
  const client = new EveryActionClient(connection, io);
  return {
    test: () => client.test(),
    pull: changedPeopleSource(client, io.store, connection, () => io.clock.now(), (ms) => io.clock.sleep(ms)),
    push: (job) => {
      if (job.system !== 'EveryAction') throw new Error(`Job "${job.name}" pushes to ${job.system} through an EveryAction connection.`);
      return peopleTarget(client, job);
    },
  };
};
