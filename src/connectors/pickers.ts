// What a job's Mappings Field may hold, for the sidebar's field pickers and `sheets-sync fields`
// (DESIGN §10.3): a push's target fields from its catalogue (static, then the live ones only the
// system can list), a pull's query columns (read with a one-row query). Live lists go through
// lookupsFor(io), so one execution asks each system for each list once.

import type { Job } from '../core/config/types';
import { expandTokens } from '../core/tokens';
import type { ConnectorIO } from '../core/ports';
import { TARGET_CATALOGUES } from './catalogues';
import { identifierTypeOf } from './everyaction/identifiers';
import { lookupsFor } from './lookups';

export interface OfferedField {
  name: string;
  /** Listed by the system itself (a request), not known in advance. */
  live: boolean;
}

/**
 * `complete` when `fields` is everything the job's target accepts; otherwise only what is known
 * without the lookup that failed or was not made, and `why` says which.
 */
export type FieldChoices = { complete: true; fields: OfferedField[] } | { complete: false; fields: OfferedField[]; why: string };

/** Whether the job's Field list needs a request (a panel, EveryAction's custom fields, a query's columns). */
export function needsLookup(job: Job): boolean {
  if (job.action === 'Pull') return true;
  return job.system === 'EveryAction' || job.target.toLowerCase() !== 'contact';
}

function merged(fixed: readonly string[], live: readonly string[]): OfferedField[] {
  const seen = new Set<string>();
  const out: OfferedField[] = [];
  for (const [names, isLive] of [[fixed, false], [live, true]] as const) {
    for (const name of names) {
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      out.push({ name, live: isLive });
    }
  }
  return out;
}

/**
 * EveryAction cannot list its identifier types, so the `Identifier:<type>` fields the job already
 * names are offered: a dropdown then takes them as they are, without Sheets' warning mark.
 */
function identifiersNamed(job: Job): string[] {
  if (job.system !== 'EveryAction') return [];
  return [...job.mappings, ...job.constants].map((m) => m.field).filter((f) => (identifierTypeOf(f) ?? '') !== '');
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The fields `job`'s Mappings Field may name: with `io` null, only what needs no request.
 * Never throws for a lookup that fails: the answer is then incomplete, with the reason.
 */
export function fieldChoices(job: Job, io: ConnectorIO | null): FieldChoices {
  if (job.action === 'Push') {
    const catalogue = TARGET_CATALOGUES[job.system];
    const fixed = [...catalogue.fields(job.target), ...identifiersNamed(job)];
    if (!needsLookup(job) || !catalogue.liveFields) return { complete: true, fields: merged(fixed, []) };
    if (!io) return { complete: false, fields: merged(fixed, []), why: 'not looked up' };
    try {
      return { complete: true, fields: merged(fixed, catalogue.liveFields(job, io)) };
    } catch (e) {
      return { complete: false, fields: merged(fixed, []), why: reason(e) };
    }
  }
  if (job.system === 'EveryAction') {
    return { complete: false, fields: [], why: "an EveryAction export's columns are known only once one is read (run the job)" };
  }
  if (!io || job.connection.system !== 'iMIS') return { complete: false, fields: [], why: 'not looked up' };
  const connection = job.connection;
  try {
    const now = io.clock.now();
    // The prompt values as a run would send them ({{today}} in UTC here: close enough to learn the columns).
    const tokens = { today: now.toISOString().slice(0, 10), now: now.toISOString(), job: job.name, sheet: job.target, run: '', lastSuccess: '' };
    const parameters = job.parameters.map((p) => expandTokens(p, tokens));
    const columns = lookupsFor(io).queryColumns(connection, job.source, parameters);
    if (columns.length === 0) return { complete: false, fields: [], why: `the query ${job.source} answered no row, so its columns are unknown` };
    return { complete: true, fields: merged([], columns) };
  } catch (e) {
    return { complete: false, fields: [], why: reason(e) };
  }
}
