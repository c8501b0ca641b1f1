// Secrets for the CLI come from the environment, never from the CSV files (DESIGN §2).

import type { Secrets } from '../core/ports';

/** "iMIS" → SHEETS_SYNC_SECRET_IMIS; "EveryAction Live" → SHEETS_SYNC_SECRET_EVERYACTION_LIVE. */
export function secretVariable(connectionName: string): string {
  return `SHEETS_SYNC_SECRET_${connectionName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export function envSecrets(env: Record<string, string | undefined>): Secrets {
  return {
    get: (name) => {
      const v = env[secretVariable(name)];
      return v === undefined || v === '' ? null : v;
    },
    howToSet: (name) => `set the environment variable ${secretVariable(name)}`,
  };
}
