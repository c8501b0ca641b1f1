// Builds the connector for a connection: the one place that knows which system offers what.
// The engine receives this factory as a port, so core never imports a connector; the factory
// carries the systems' target catalogues for config parsing.

import type { ConnectorFactory, ConnectorSet } from '../core/engine';
import { SyncError } from '../core/errors';
import type { Connection } from '../core/config/types';
import type { ConnectorIO } from '../core/ports';
import { offeredFields, TARGET_CATALOGUES } from './catalogues';
import { changedPeopleSource } from './everyaction/changed';
import { lookupsFor } from './lookups';
import { peopleTarget } from './everyaction/people';
import { activityTarget, isActivity } from './imis/activity';
import { contactTarget } from './imis/contacts';
import { readQuery } from './imis/iqa';
import { panelTarget } from './imis/panels';

function connectorsFor(connection: Connection, io: ConnectorIO): ConnectorSet {
  if (connection.system === 'iMIS') {
    // The execution's one client for this connection, so a connection test and the field pickers share a sign-in.
    const client = lookupsFor(io).imis(connection);
    return {
      test: () => client.test(),
      fields: (job) => (job.system !== 'iMIS' ? [] : offeredFields(TARGET_CATALOGUES.iMIS, job, io)),
      pull: { read: (job, parameters, options) => readQuery(client, job.source, parameters, options) },
      push: (job) => {
        if (job.system !== 'iMIS') throw new SyncError('config', `Job "${job.name}" pushes to ${job.system} through an iMIS connection.`);
        if (job.target.toLowerCase() === 'contact') return contactTarget(client, job);
        return isActivity(job.target) ? activityTarget(client, job) : panelTarget(client, job);
      },
    };
  }
  const client = lookupsFor(io).everyAction(connection);
  return {
    test: () => client.test(),
    fields: (job) => offeredFields(TARGET_CATALOGUES.EveryAction, job, io),
    pull: changedPeopleSource(client, io.store, connection, () => io.clock.now(), (ms) => io.clock.sleep(ms)),
    push: (job) => {
      if (job.system !== 'EveryAction') throw new SyncError('config', `Job "${job.name}" pushes to ${job.system} through an EveryAction connection.`);
      return peopleTarget(client, job);
    },
  };
}

export const createConnectors: ConnectorFactory = Object.assign(connectorsFor, { catalogues: TARGET_CATALOGUES });

