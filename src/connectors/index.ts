// Builds the connector for a connection: the one place that knows which system offers what.
// The engine receives this factory as a port, so core never imports a connector.

import type { ConnectorFactory } from '../core/engine';
import { ImisClient } from './imis/client';
import { contactTarget } from './imis/contacts';
import { readQuery } from './imis/iqa';
import { panelTarget } from './imis/panels';

export const createConnectors: ConnectorFactory = (connection, io) => {
  if (connection.system === 'iMIS') {
    const client = new ImisClient(connection, io);
    return {
      pull: { read: (job, parameters, options) => readQuery(client, job.source, parameters, options) },
      push: (job) => (job.target.toLowerCase() === 'contact' ? contactTarget(client, job) : panelTarget(client, job)),
    };
  }
  return {};
};
