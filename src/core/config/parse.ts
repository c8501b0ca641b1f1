// Turns the Connections, Jobs, Mappings and Constants tabs into the typed Config, or into a list
// of problems a coordinator can fix: each names the tab, row and column, in plain words. Every
// cell passes through a zod schema at this border; every row is checked even after a bad one, so
// one run shows everything that needs fixing. A problem stops the run only when it touches a job
// that is turned on (DESIGN §10.2): one in a turned-off job or an unused connection is a note, so
// drafting a new job never stops the hourly sync. Secrets are looked up here but a missing one
// only matters for the jobs about to run, which is why selectJobs (not parseConfig) reports it.
// Each tab has its own file; this one reads them in order and decides what blocks.

import type { Grid, Secrets, TargetCatalogues } from '../ports';
import { parseConnections } from './connections';
import { inReadingOrder, tableOf, type Finding } from './findings';
import { parseJobs, type JobEntry } from './jobs';
import { checkEveryActionNeeds, parseConstants, parseMappings } from './mappings';
import { checkRequiredFields } from './required-fields';
import { OPTIONAL_HEADERS, REQUIRED_HEADERS, TAB, type Config, type ConfigProblem } from './types';

export { DEFAULT_EVERYACTION_URL } from './connections';
export { selectJobs, type DroppedJob, type SelectJobsResult, type SelectOptions } from './select-jobs';
export { closestName } from './suggestions';

export interface ConfigTabs {
  connections: Grid | null;
  jobs: Grid | null;
  mappings: Grid | null;
  constants: Grid | null;
}

/**
 * `problems` stop the run (ok is false when there are any); `notes` are problems in turned-off
 * jobs and in connections no turned-on job uses: reported, but they stop nothing.
 */
export type ParseConfigResult = { ok: true; config: Config; notes: ConfigProblem[] } | { ok: false; problems: ConfigProblem[]; notes: ConfigProblem[] };

/**
 * The typed configuration of every job whose setup is good, or the problems that stop the run;
 * either way the notes (problems that stop nothing, see Owner). Connections and Jobs must exist;
 * Mappings and Constants may be absent. A missing secret is stored as '' (see selectJobs).
 * `catalogues` say which fields each system's push targets take (`createConnectors.catalogues`).
 */
export function parseConfig(tabs: ConfigTabs, secrets: Secrets, catalogues: TargetCatalogues): ParseConfigResult {
  const found: Finding[] = [];
  const connectionsTab = tableOf(tabs.connections, TAB.connections, true, REQUIRED_HEADERS.connections, OPTIONAL_HEADERS.connections, found);
  const jobsTab = tableOf(tabs.jobs, TAB.jobs, true, REQUIRED_HEADERS.jobs, OPTIONAL_HEADERS.jobs, found);
  const mappingsTab = tableOf(tabs.mappings, TAB.mappings, false, REQUIRED_HEADERS.mappings, OPTIONAL_HEADERS.mappings, found);
  const constantsTab = tableOf(tabs.constants, TAB.constants, false, REQUIRED_HEADERS.constants, OPTIONAL_HEADERS.constants, found);

  const usedConnections = new Set<string>();
  const connections = parseConnections(connectionsTab.rows, secrets, found);
  const jobs = parseJobs(jobsTab.rows, connections, connectionsTab.usable, found, usedConnections);
  parseMappings(mappingsTab.rows, jobs, jobsTab.usable, catalogues, found);
  parseConstants(constantsTab.rows, jobs, jobsTab.usable, catalogues, found);
  checkEveryActionNeeds(jobs, mappingsTab.usable, constantsTab.usable, found);
  checkRequiredFields(jobs, catalogues, mappingsTab.usable, constantsTab.usable, found);

  const blocks = ({ owner }: Finding['from']) =>
    owner === 'workbook' || ('job' in owner ? owner.job.enabled : usedConnections.has(owner.connection));
  const problems = inReadingOrder(found.filter((f) => blocks(f.from)).map((f) => f.problem));
  const notes = inReadingOrder(found.filter((f) => !blocks(f.from)).map((f) => f.problem));
  if (problems.length > 0) return { ok: false, problems, notes };
  const built = (j: JobEntry) => j.job !== undefined && !j.broken;
  return {
    ok: true,
    notes,
    config: {
      connections: [...connections.values()].flatMap((c) => (c.connection ? [c.connection] : [])),
      jobs: [...jobs.values()].flatMap((j) => (built(j) ? [j.job!] : [])),
      drafts: [...jobs.values()].filter((j) => !j.enabled && !built(j)).map((j) => ({ name: j.name, row: j.row })),
    },
  };
}
