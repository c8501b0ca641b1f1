// Which tab names a job may use as its Source or Target. Google Sheets' own refusals are checked
// while the Jobs tab is parsed, so that a job naming such a tab stops the run before any request,
// instead of failing when the tab is created after earlier jobs have already sent their rows.
// Only what certainly fails in Sheets is refused here: Sheets accepts `/`, `:`, `?`, `[` and the
// like in tab names (unlike Excel), so a tab such as "Q1/Q2" is legal and the CLI maps it to a
// safe file name itself (src/cli/csv-workbook.ts). The add-on's own tabs are refused too: a pull
// into one would wipe it.

import { LISTS_TAB, STATE_TAB, TAB } from './types';

/** Google Sheets' limit on a tab name, in characters. */
export const MAX_TAB_NAME_LENGTH = 100;

/** Why Google Sheets would refuse `name` as a tab name, or null when it would accept it. */
export function sheetTabNameProblem(name: string): string | null {
  if (name.trim() === '') return 'the tab name is blank';
  // Code points, not UTF-16 units: an emoji counts once, so only names that are over the limit
  // however Sheets counts are refused.
  const length = [...name].length;
  if (length > MAX_TAB_NAME_LENGTH) {
    return `the tab name "${[...name].slice(0, 30).join('')}…" is ${length} characters long; a Google Sheets tab name can have at most ${MAX_TAB_NAME_LENGTH}, so shorten it (here and on the tab itself)`;
  }
  return null;
}

/** The tabs the add-on writes, reads as configuration or keeps for itself, and why a job may not use them as data. */
const OWN_TABS: readonly { tab: string; why: string }[] = [
  ...Object.values(TAB).map((tab) => ({ tab, why: "is one of the add-on's own tabs" })),
  { tab: STATE_TAB, why: "is the add-on's hidden tab where it keeps the state of its runs" },
  { tab: LISTS_TAB, why: 'holds the dropdown choices of the setup tabs' },
];

/** Why a job may not use `name` as its data tab because the add-on owns it, or null. */
export function ownTabProblem(name: string): string | null {
  const own = OWN_TABS.find((t) => t.tab.toLowerCase() === name.toLowerCase());
  return own ? `"${name}" ${own.why}; use a tab of your own` : null;
}
