// The catalogues of a connector factory that publishes none (a test's fake, say): every Field is
// taken as written and left to the connector to accept or refuse.

import type { TargetCatalogue, TargetCatalogues } from '../ports';

const OPEN_CATALOGUE: TargetCatalogue = {
  idLabel: 'ID',
  idField: 'ID',
  fields: () => [],
  canonical: (_target, field) => ({ field }),
};

export const OPEN_CATALOGUES: TargetCatalogues = { iMIS: OPEN_CATALOGUE, EveryAction: OPEN_CATALOGUE };
