// Fields a push target cannot do without, checked with the setup so a job that lacks one stops
// before anything is sent rather than failing row by row: an iMIS Activity needs its type
// (ACTIVITY_TYPE), from a column or, more often, a constant such as EVENT (DESIGN §10.5). Which
// fields those are is the target catalogue's to say (TargetCatalogue.required).

import type { TargetCatalogues } from '../ports';
import { RowCheck, type Finding } from './findings';
import type { JobEntry } from './jobs';
import { TAB } from './types';

/**
 * Checked only when the Mappings and Constants tabs could be read and the job's own rows there are
 * good, so a misspelt field is reported once, where it is.
 */
export function checkRequiredFields(jobs: Map<string, JobEntry>, catalogues: TargetCatalogues, mappingsKnown: boolean, constantsKnown: boolean, problems: Finding[]): void {
  if (!mappingsKnown || !constantsKnown) return;
  for (const entry of jobs.values()) {
    if (entry.action !== 'Push' || !entry.system || entry.target === undefined || entry.broken) continue;
    const needs = catalogues[entry.system].required?.(entry.target) ?? [];
    const check = new RowCheck(TAB.jobs, entry.row, problems);
    check.owner = { job: entry };
    for (const { field, how } of needs) {
      const key = field.toLowerCase();
      if (!entry.mapped.has(key) && !entry.constant.has(key)) check.add('Target', how);
    }
    if (!check.clean) entry.broken = true;
  }
}
