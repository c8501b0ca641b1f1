// The fixed values of the Connections and Jobs tabs' choice columns, by system and action: the one
// list the cell schemas (connections.ts, jobs.ts) check against and the sidebar's forms narrow their
// dropdowns with. The first value of each list is what a blank cell means. No zod here, so the
// sidebar page can import it without the schemas.

import type { System } from './types';

export const SYSTEMS = ['iMIS', 'EveryAction'] as const satisfies readonly System[];

/** Connections: Mode, by System. */
export const CONNECTION_MODES = {
  iMIS: ['EMS', '2017'],
  EveryAction: ['MyCampaign', 'VoterFile'],
} as const satisfies Record<System, readonly [string, ...string[]]>;

export const ACTIONS = ['Pull', 'Push'] as const;
/** The schedules a dropdown offers; others are accepted too (Daily HH:MM, Weekly <day> [HH:MM]: see schedule.ts). */
export const SCHEDULES = ['Hourly', 'Daily', 'Daily 06:00', 'Weekly Mon', 'Manual'] as const;

/**
 * Jobs: Match and Mode, by system and action. Match null: free text (an iMIS pull's key column,
 * blank meaning the query's ID column).
 */
export const JOB_CHOICES = {
  iMIS: {
    Pull: { Match: null, Mode: ['Replace', 'Merge'] },
    Push: { Match: ['Email', 'Email+Name', 'ID'], Mode: ['Upsert', 'Update only', 'Create only'] },
  },
  EveryAction: {
    Pull: { Match: ['VANID'], Mode: ['Liberal', 'Conservative'] },
    Push: { Match: ['Auto', 'VANID'], Mode: ['Liberal', 'Conservative'] },
  },
} as const satisfies Record<System, Record<(typeof ACTIONS)[number], { Match: readonly [string, ...string[]] | null; Mode: readonly [string, ...string[]] }>>;
