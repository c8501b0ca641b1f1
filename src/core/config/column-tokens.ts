// `{{column:Header}}` in a push's Constants reads another cell of the row being sent. Which
// headers exist is known only from the source tab, which config parsing never sees, so this check
// runs where the engine already holds that tab's header row before any request: a header that is
// not there would otherwise be sent as a blank on every row, without a word.

import { cellText } from '../cells';
import type { Cell } from '../ports';
import { scanTokens } from '../tokens';
import { closestName } from './suggestions';
import { TAB, type ConfigProblem, type Constant } from './types';

/** What the check needs of a push job: its name, source tab and Constants rows. */
export interface ColumnTokenJob {
  name: string;
  source: string;
  constants: readonly Constant[];
}

/**
 * One problem per Constants row and missing header, on that row's Value, naming the closest
 * header when one is near. Headers match as the push matches them when it fills the token in:
 * case and surrounding spaces do not matter.
 */
export function checkColumnTokens(job: ColumnTokenJob, headerRow: readonly Cell[]): ConfigProblem[] {
  const headers = headerRow.map((h) => cellText(h)).filter((h) => h !== '');
  const known = new Set(headers.map((h) => h.toLowerCase()));
  const problems: ConfigProblem[] = [];
  for (const constant of job.constants) {
    const reported = new Set<string>();
    for (const token of scanTokens(constant.value).tokens) {
      if (token.kind !== 'column') continue;
      const key = token.header.trim().toLowerCase();
      if (known.has(key) || reported.has(key)) continue;
      reported.add(key);
      const guess = closestName(token.header, headers);
      const hint = guess === undefined ? `use a header from the first row of "${job.source}"` : `did you mean {{column:${guess}}}?`;
      problems.push({
        tab: TAB.constants,
        row: constant.row,
        column: 'Value',
        message: `{{column:${token.header}}} reads the column "${token.header}", but the tab "${job.source}" (job "${job.name}") has no such column; ${hint}`,
      });
    }
  }
  return problems;
}
