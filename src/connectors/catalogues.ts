// Every system's target catalogue, for whoever parses config or offers field names: the runs (via
// createConnectors.catalogues), the sidebar and the CLI. The static part needs no request.

import type { PushJob } from '../core/config/types';
import type { ConnectorIO, TargetCatalogue, TargetCatalogues } from '../core/ports';
import { EVERYACTION_CATALOGUE } from './everyaction/catalogue';
import { IMIS_CATALOGUE } from './imis/catalogue';

export const TARGET_CATALOGUES: TargetCatalogues = { iMIS: IMIS_CATALOGUE, EveryAction: EVERYACTION_CATALOGUE };

/** The field names to offer for a push job's Mappings: the catalogue's own, then those only the system can list (costs requests). */
export function offeredFields(catalogue: TargetCatalogue, job: PushJob, io: ConnectorIO): string[] {
  return [...new Set([...catalogue.fields(job.target), ...(catalogue.liveFields?.(job, io) ?? [])])];
}
