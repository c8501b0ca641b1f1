// Secrets for the CLI come from the environment, never from the CSV files (DESIGN §2). The
// environment is set by whoever runs the command, for this run only, so there is no saved secret
// that could have been saved for another URL: a variable is either set or missing.

import type { Secrets } from '../core/ports';

/** "iMIS" → SHEETS_SYNC_SECRET_IMIS; "EveryAction Live" → SHEETS_SYNC_SECRET_EVERYACTION_LIVE. */
export function secretVariable(connectionName: string): string {
  return `SHEETS_SYNC_SECRET_${connectionName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export function envSecrets(env: Record<string, string | undefined>): Secrets {
  return {
    get: ({ name }) => {
      const value = env[secretVariable(name)];
      return value === undefined || value === '' ? { state: 'missing' } : { state: 'set', value };
    },
    howToSet: (name) => `set the environment variable ${secretVariable(name)}`,
  };
}
